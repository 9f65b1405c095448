import Foundation
import XCTest
import Media
import TestSupport
@testable import Canvas

final class MaskFileTests: XCTestCase {
    private var dir: TemporaryDirectory!

    override func setUpWithError() throws { dir = try TemporaryDirectory(prefix: "mlwb-canvas") }
    override func tearDown() { dir.remove() }

    func testThreeChannelMaskRoundTrips() throws {
        let arcs = ArcsMask(channels: 3, radius: 0.2).render(width: 48, height: 40, t: 0)
        let mask = Mask(labels: arcs.argmax(), width: 48, height: 40, channels: 3)
        let path = dir.file("arcs.png")
        try mask.save(to: path)
        XCTAssertEqual(try Mask.load(path), mask)
        XCTAssertEqual(try Mask.load(path, channels: 3), mask)
    }

    func testBlendedMaskRoundTripsWithinQuantisation() throws {
        let mask = RectsMask(channels: 2, blend: 0.5, normalize: true).render(width: 32, height: 32, t: 0)
        let path = dir.file("rects.png")
        try mask.save(to: path)
        let back = try Mask.load(path)
        XCTAssertEqual(back.channelCount, 2)
        for (a, b) in zip(back.values, mask.values) { XCTAssertEqual(a, b, accuracy: 1.01 / 255) }
    }

    func testManyChannelMaskRoundTripsByPalette() throws {
        let labels = (0..<(30 * 20)).map { ($0 % 30) / 5 }  // six vertical bands
        let mask = Mask(labels: labels, width: 30, height: 20, channels: 6)
        let path = dir.file("six.png")
        try mask.save(to: path)
        XCTAssertEqual(try Mask.load(path), mask)
    }

    func testGreyMaskLoadsAsOneOrManyChannels() throws {
        let grey = Mask(width: 16, height: 4, channels: 1) { x, _, _ in Float(x) / 15 }
        let path = dir.file("grey.png")
        try grey.save(to: path)
        let one = try Mask.load(path)
        XCTAssertEqual(one.channelCount, 1)
        for (a, b) in zip(one.values, grey.values) { XCTAssertEqual(a, b, accuracy: 0.6 / 255) }
        let four = try Mask.load(path, channels: 4)
        XCTAssertEqual(four.channelCount, 4)
        XCTAssertEqual(four.argmax()[0], 0)
        XCTAssertEqual(four.argmax()[15], 3)
        XCTAssertTrue(four.pixelSums().allSatisfy { $0 == 1 })
    }

    func testBrokenMaskPNGGivesClearError() throws {
        let path = dir.file("broken.png")
        try Array("this is not a PNG file".utf8).write(to: path)
        XCTAssertThrowsError(try Mask.load(path)) { error in
            guard case MediaError.unknownImageFormat(let p)? = error as? MediaError else {
                return XCTFail("unexpected error \(error)")
            }
            XCTAssertEqual(p, path)
            XCTAssertTrue("\(error)".contains("broken.png"))
        }
        // A real PNG cut short.
        let good = dir.file("good.png")
        try Mask(width: 20, height: 20, channels: 2) { x, _, c in (x < 10) == (c == 0) ? 1 : 0 }.save(to: good)
        let bytes = try FileAccess.readBytes(good)
        let cut = dir.file("cut.png")
        try Array(bytes.prefix(bytes.count / 2)).write(to: cut)
        XCTAssertThrowsError(try Mask.load(cut)) { XCTAssertTrue("\($0)".contains("cut.png")) }
        XCTAssertThrowsError(try Mask.load(dir.file("missing.png"))) { error in
            XCTAssertEqual(error as? MediaError, .fileNotFound(path: self.dir.file("missing.png")))
        }
        XCTAssertThrowsError(try Mask.load(good, channels: 0))
    }
}

extension Array where Element == UInt8 {
    /// Writes the bytes to `path` (test helper).
    func write(to path: String) throws {
        try Data(self).write(to: URL(fileURLWithPath: path))
    }
}
