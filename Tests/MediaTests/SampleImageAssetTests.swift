import Foundation
import XCTest
import Media
import TestSupport

/// `assets/images/sample.png`: a procedural picture the project makes itself.
final class SampleImageAssetTests: XCTestCase {
    /// The generator: smooth colour fields, rings and a diagonal band, with fine detail for previews.
    static func render(size: Int = 256) -> Image {
        Image(width: size, height: size) { x, y in
            let u = Float(x) / Float(size) - 0.5, v = Float(y) / Float(size) - 0.5
            let r = (u * u + v * v).squareRoot()
            let angle = atan2f(v, u)
            let rings = 0.5 + 0.5 * cosf(40 * r - 3 * angle)
            let band = 0.5 + 0.5 * sinf(12 * (u + v))
            let red = 0.55 + 0.45 * sinf(6 * u + 2 * rings)
            let green = 0.5 + 0.4 * cosf(5 * v - 1.5 * band) * (1 - r)
            let blue = 0.5 + 0.5 * sinf(9 * r + angle)
            return SIMD4(min(max(red, 0), 1), min(max(green, 0), 1), min(max(blue * 0.8 + 0.2 * rings, 0), 1), 1)
        }
    }

    func testRegenerateAsset() throws {
        guard ProcessInfo.processInfo.environment["MLWB_REGENERATE_ASSETS"] == "1" else {
            throw XCTSkip("set MLWB_REGENERATE_ASSETS=1 to rewrite assets/images/sample.png")
        }
        try FileManager.default.createDirectory(atPath: SharedData.asset("images"), withIntermediateDirectories: true)
        try Self.render().save(SharedData.asset("images/sample.png"))
    }

    func testCommittedAssetMatchesTheGenerator() throws {
        let image = try Image.load(SharedData.asset("images/sample.png"))
        XCTAssertEqual(image.width, 256)
        XCTAssertEqual(image.height, 256)
        let expected = Self.render()
        var worst: Float = 0
        for i in stride(from: 0, to: image.pixels.count, by: 97) { worst = max(worst, abs(image.pixels[i] - expected.pixels[i])) }
        XCTAssertLessThan(worst, 1.0 / 255, "8-bit quantisation only")
    }

    /// `tilted.jpg` is sample.png stored turned a quarter to the left with EXIF orientation 6: it must come out upright.
    func testTiltedJPEGComesOutUpright() throws {
        let tilted = try ImageFile.loadPacked(SharedData.asset("images/tilted.jpg"))
        let sample = try PNGCodec.loadPacked(SharedData.asset("images/sample.png"))
        XCTAssertEqual(tilted.width, sample.width); XCTAssertEqual(tilted.height, sample.height)
        var total = 0
        for i in sample.bytes.indices where i % 4 != 3 { total += abs(Int(tilted.bytes[i]) - Int(sample.bytes[i])) }
        XCTAssertLessThan(Double(total) / Double(sample.bytes.count / 4 * 3) / 255, 0.03)
    }

    /// `swirl.gif` is twelve canvas frames of sample.png at 96×96.
    func testSwirlGIFHasItsFrames() throws {
        let frames = try ImageFile.frames(SharedData.asset("images/swirl.gif"))
        XCTAssertEqual(frames.count, 12)
        XCTAssertEqual(frames[0].image.width, 96)
        XCTAssertEqual(frames[0].duration, 0.08, accuracy: 1e-9)
    }
}
