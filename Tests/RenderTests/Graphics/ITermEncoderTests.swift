import Foundation
import Media
@testable import Render
import TestSupport
import XCTest

/// iTerm2 inline images: the escape's fields, and a PNG inside that decodes to the same pixels.
final class ITermEncoderTests: XCTestCase {
    func testPayloadIsThePicture() throws {
        var bitmap = Bitmap(width: 5, height: 3, fill: RGB8(1, 2, 3))
        bitmap.pixels[7] = RGB8(200, 100, 50)
        let bytes = try PixelRenderer(.iterm).encode(PixelRenderer.Placed(bitmap: bitmap, columns: 2, rows: 1))
        let text = String(decoding: bytes, as: UTF8.self)
        XCTAssertTrue(text.hasPrefix("\u{1B}]1337;File=inline=1;size="), text)
        XCTAssertTrue(text.hasSuffix("\u{07}"))
        let fields = text.dropFirst(2).split(separator: ":", maxSplits: 1)
        XCTAssertTrue(fields[0].hasSuffix(";width=2;height=1;preserveAspectRatio=0"), String(fields[0]))
        let png = try XCTUnwrap(Data(base64Encoded: String(fields[1].dropLast())))
        XCTAssertTrue(fields[0].contains("size=\(png.count);"))
        let dir = try TemporaryDirectory(prefix: "mlwb-iterm")
        defer { dir.remove() }
        try png.write(to: URL(fileURLWithPath: dir.file("p.png")))
        let back = try PNGCodec.loadPacked(dir.file("p.png"))
        XCTAssertEqual(back.width, 5); XCTAssertEqual(back.height, 3)
        XCTAssertEqual(Array(back.bytes[28..<31]), [200, 100, 50])
        XCTAssertEqual(Array(back.bytes[0..<3]), [1, 2, 3])
    }
}
