import Foundation
@testable import Render
import XCTest

/// kitty graphics: exact bytes for a tiny picture, chunking of a big one, deletion, tmux passthrough.
final class KittyEncoderTests: XCTestCase {
    func testGoldenBytes() {
        let bitmap = Bitmap(width: 2, height: 1, pixels: [RGB8(255, 0, 0), RGB8(0, 255, 0)])
        var writer = EscapeWriter(tmuxPassthrough: false)
        KittyEncoder().display(bitmap, columns: 1, rows: 1, imageID: 7, moveCursor: false, into: &writer)
        XCTAssertEqual(String(decoding: writer.bytes, as: UTF8.self), "\u{1B}_Ga=T,f=24,s=2,v=1,q=2,c=1,r=1,i=7,C=1;/wAAAP8A\u{1B}\\")
        var delete = EscapeWriter(tmuxPassthrough: false)
        KittyEncoder().delete(imageID: 7, into: &delete)
        XCTAssertEqual(String(decoding: delete.bytes, as: UTF8.self), "\u{1B}_Ga=d,d=I,q=2,i=7\u{1B}\\")
    }

    func testChunksCarryThePixels() throws {
        var bitmap = Bitmap(width: 50, height: 40, fill: RGB8(0, 0, 0))
        for i in 0..<bitmap.pixels.count { bitmap.pixels[i] = RGB8(UInt8(i & 255), UInt8(i >> 8), 9) }
        var writer = EscapeWriter(tmuxPassthrough: false)
        KittyEncoder().display(bitmap, columns: 10, rows: 5, into: &writer)
        let text = String(decoding: writer.bytes, as: UTF8.self)
        let sequences = text.components(separatedBy: "\u{1B}\\").filter { !$0.isEmpty }
        XCTAssertEqual(sequences.count, (50 * 40 * 3 * 4 / 3 + 4095) / 4096)
        var payload = ""
        for (n, s) in sequences.enumerated() {
            XCTAssertTrue(s.hasPrefix("\u{1B}_G"))
            let parts = s.dropFirst(3).split(separator: ";", maxSplits: 1)
            let keys = parts[0], data = parts[1]
            XCTAssertLessThanOrEqual(data.count, KittyEncoder.chunkSize)
            if n == 0 { XCTAssertEqual(keys, "a=T,f=24,s=50,v=40,q=2,c=10,r=5,m=1") }
            else { XCTAssertEqual(keys, n == sequences.count - 1 ? "m=0" : "m=1") }
            payload += data
        }
        XCTAssertEqual(Data(base64Encoded: payload).map { [UInt8]($0) }, bitmap.rgbBytes)
    }

    func testTmuxPassthroughDoublesEscapes() {
        var writer = EscapeWriter(tmuxPassthrough: true)
        KittyEncoder().delete(imageID: 3, into: &writer)
        XCTAssertEqual(String(decoding: writer.bytes, as: UTF8.self), "\u{1B}Ptmux;\u{1B}\u{1B}_Ga=d,d=I,q=2,i=3\u{1B}\u{1B}\\\u{1B}\\")
    }

    func testBase64MatchesFoundation() {
        for n in [0, 1, 2, 3, 4, 5, 100, 1001] {
            let bytes = (0..<n).map { UInt8(truncatingIfNeeded: $0 * 37 + 11) }
            XCTAssertEqual(String(decoding: Base64.encode(bytes), as: UTF8.self), Data(bytes).base64EncodedString(), "\(n) bytes")
        }
    }

    func testCellFit() {
        let cell = CellPixelSize(width: 8, height: 16)
        let square = cell.fit(width: 1024, height: 1024, columns: 80, rows: 40)
        XCTAssertEqual(square.width, 640); XCTAssertEqual(square.height, 640)
        XCTAssertEqual(square.columns, 80); XCTAssertEqual(square.rows, 40)
        let wide = cell.fit(width: 1000, height: 100, columns: 80, rows: 40)
        XCTAssertEqual(wide.width, 640); XCTAssertEqual(wide.height, 64); XCTAssertEqual(wide.rows, 4)
        XCTAssertEqual(CellPixelSize(argument: "10x20"), CellPixelSize(width: 10, height: 20))
        XCTAssertNil(CellPixelSize(argument: "0x20"))
        // A giant box does not make a giant picture.
        let huge = cell.fit(width: 1024, height: 1024, columns: 4096, rows: 4096)
        XCTAssertLessThanOrEqual(huge.width * huge.height, CellPixelSize.maxPixels)
        XCTAssertEqual(huge.width, 4096); XCTAssertEqual(huge.columns, 512); XCTAssertEqual(huge.rows, 256)
    }
}
