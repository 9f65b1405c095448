import Foundation
import XCTest
@testable import Media
import TestSupport

final class PNGCodecTests: XCTestCase {
    private func fixture(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)").path
    }

    private func maxDifference(_ a: Image, _ b: Image, channels: Int = 3) -> Float {
        var worst: Float = 0
        for y in 0..<a.height { for x in 0..<a.width {
            let p = a.pixel(x, y), q = b.pixel(x, y)
            for k in 0..<channels { worst = max(worst, abs(p[k] - q[k])) }
        } }
        return worst
    }

    // MARK: Colour types and bit depths

    func testEveryColourTypeLoadsAtTheRightSize() throws {
        let expectations: [(String, Bool)] = [
            ("rgb8.png", false), ("rgba8.png", true), ("rgb16.png", false), ("rgba16.png", true),
            ("gray8.png", false), ("graya8.png", true), ("gray16.png", false), ("palette.png", false),
            ("rgb8-interlaced.png", false),
        ]
        for (name, alpha) in expectations {
            let image = try Image.load(fixture(name))
            XCTAssertEqual(image.width, 16, name)
            XCTAssertEqual(image.height, 12, name)
            XCTAssertEqual(image.hasAlpha, alpha, name)
            XCTAssertEqual(image.pixels.count, 16 * 12 * (alpha ? 4 : 3), name)
        }
    }

    func testKnownPixelValuesOfTheEightBitFile() throws {
        let image = try Image.load(fixture("rgba8.png"))
        // The fixture's generator: R = 17x, G = 23y, B = 9(x+y), A = 128 where (x+y) % 3 == 0.
        let p = image.pixel(5, 6)
        XCTAssertEqual(p.x, Float(85) / 255, accuracy: 1e-6)
        XCTAssertEqual(p.y, Float(138) / 255, accuracy: 1e-6)
        XCTAssertEqual(p.z, Float(99) / 255, accuracy: 1e-6)
        XCTAssertEqual(p.w, 1, accuracy: 1e-6)
        XCTAssertEqual(image.pixel(3, 0).w, Float(128) / 255, accuracy: 1e-6)
    }

    func testInterlacedFileDecodesToTheSamePixels() throws {
        XCTAssertEqual(try Image.load(fixture("rgb8.png")), try Image.load(fixture("rgb8-interlaced.png")))
    }

    func testSixteenBitFilesKeepTheirValues() throws {
        XCTAssertLessThan(maxDifference(try Image.load(fixture("rgb16.png")), try Image.load(fixture("rgb8.png"))), 0.5 / 255)
        // The grey fixtures were quantised from RGB separately at each depth: one 8-bit step apart at most.
        XCTAssertLessThan(maxDifference(try Image.load(fixture("gray16.png")), try Image.load(fixture("gray8.png"))), 1.01 / 255)
        XCTAssertLessThan(maxDifference(try Image.load(fixture("rgba16.png")), try Image.load(fixture("rgba8.png")), channels: 4), 1.0 / 255)
    }

    func testGreyFilesExpandToEqualChannels() throws {
        let image = try Image.load(fixture("gray8.png"))
        for y in 0..<image.height { for x in 0..<image.width {
            let p = image.pixel(x, y)
            XCTAssertEqual(p.x, p.y); XCTAssertEqual(p.y, p.z)
        } }
    }

    func testPaletteFileIsCloseToTheOriginal() throws {
        // 16 colours for 192 distinct pixels: close, not exact.
        XCTAssertLessThan(maxDifference(try Image.load(fixture("palette.png")), try Image.load(fixture("rgb8.png"))), 0.35)
    }

    func testPackedLoadMatchesFloatLoad() throws {
        let packed = try PNGCodec.loadPacked(fixture("rgba8.png"))
        XCTAssertEqual(packed.toImage(), try Image.load(fixture("rgba8.png")))
    }

    func testBorrowedPixelsMatchThePackedLoad() throws {
        for name in ["rgba8.png", "rgb8.png", "palette.png", "gray16.png", "rgb8-interlaced.png"] {
            let packed = try PNGCodec.loadPacked(fixture(name))
            let (bytes, opaque) = try PNGCodec.withPackedPixels(fixture(name)) { pixels in
                (Array(pixels.bytes), pixels.isOpaque)
            }
            XCTAssertEqual(bytes, packed.bytes, name)
            XCTAssertEqual(opaque, packed.isOpaque, name)
        }
    }

    func testBorrowedPixelsOfBrokenFilesGiveClearErrors() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let whole = try Data(contentsOf: URL(fileURLWithPath: fixture("rgb8.png")))
        try whole.prefix(whole.count / 2).write(to: URL(fileURLWithPath: dir.file("half.png")))
        try Data().write(to: URL(fileURLWithPath: dir.file("empty.png")))
        for (name, expected) in [("half.png", "not a valid PNG"), ("empty.png", "missing PNG signature")] {
            XCTAssertThrowsError(try PNGCodec.withPackedPixels(dir.file(name)) { _ in XCTFail("body ran for \(name)") }) {
                XCTAssertTrue("\($0)".contains(expected), "\(name): \($0)")
            }
        }
        XCTAssertThrowsError(try PNGCodec.withPackedPixels(dir.path) { _ in }) {
            XCTAssertEqual($0 as? MediaError, .isDirectory(path: dir.path))
        }
    }

    func testMappedBufferIsZeroedWritableAndHugePageAligned() throws {
        let buffer = try XCTUnwrap(MappedBuffer(count: 3_000_001))
        XCTAssertEqual(buffer.bytes.count, 3_000_001)
        XCTAssertEqual(Int(bitPattern: buffer.bytes.baseAddress) % (2 << 20), 0)
        XCTAssertTrue(buffer.bytes.allSatisfy { $0 == 0 })
        buffer.bytes[3_000_000] = 7
        XCTAssertEqual(buffer.bytes[3_000_000], 7)
    }

    // MARK: Writing

    func testRoundTripIsExactAtEightBits() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        for name in ["rgb8.png", "rgba8.png"] {
            let image = try Image.load(fixture(name))
            try image.save(dir.file(name))
            XCTAssertEqual(try Image.load(dir.file(name)), image)
        }
        XCTAssertEqual(dir.contents(), ["rgb8.png", "rgba8.png"], "no temporary files are left behind")
    }

    func testSaveIntoAMissingDirectoryFailsWithoutLeavingAFile() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let image = Image(width: 2, height: 2)
        XCTAssertThrowsError(try image.save(dir.file("nope/out.png"))) { error in
            XCTAssertTrue("\(error)".contains("does not exist"), "\(error)")
        }
        XCTAssertEqual(dir.contents(), [])
    }

    // MARK: Bad input

    func testTruncatedFileGivesAClearError() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let bytes = try Data(contentsOf: URL(fileURLWithPath: fixture("rgb8.png")))
        // Inside IHDR, before the image data, and inside IDAT (which spans bytes 130..<171).
        for cut in [20, 45, 150] {
            let path = dir.file("cut\(cut).png")
            try bytes.prefix(cut).write(to: URL(fileURLWithPath: path))
            XCTAssertThrowsError(try Image.load(path)) { error in
                let text = "\(error)"
                XCTAssertTrue(text.contains(path) && text.contains("not a valid PNG"), text)
            }
        }
    }

    func testCorruptDataGivesAClearError() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: fixture("rgb8.png"))))
        let garbage = dir.file("garbage.png")
        try Data("this is not an image".utf8).write(to: URL(fileURLWithPath: garbage))
        XCTAssertThrowsError(try Image.load(garbage)) { XCTAssertTrue("\($0)".contains("unsupported image format (JPEG/PNG/WebP/GIF are read)"), "\($0)") }
        XCTAssertThrowsError(try PNGCodec.decode(Array("this is not an image".utf8))) { XCTAssertTrue("\($0)".contains("missing PNG signature"), "\($0)") }

        // Flip bytes inside the compressed image data (IDAT spans 130..<171): the CRC check must catch it.
        for i in 140..<160 { bytes[i] ^= 0x5A }
        let flipped = dir.file("flipped.png")
        try Data(bytes).write(to: URL(fileURLWithPath: flipped))
        XCTAssertThrowsError(try Image.load(flipped)) { XCTAssertTrue("\($0)".contains("not a valid PNG"), "\($0)") }
    }

    func testHugeDeclaredDimensionsAreRefusedBeforeAllocating() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: fixture("rgb8.png"))))
        // IHDR width/height at bytes 16..<24; patch to 60000 × 60000 and fix the CRC.
        let size: [UInt8] = [0, 0, 0xEA, 0x60, 0, 0, 0xEA, 0x60]
        bytes.replaceSubrange(16..<24, with: size)
        let crc = crc32(Array(bytes[12..<29]))
        bytes.replaceSubrange(29..<33, with: [UInt8(crc >> 24), UInt8((crc >> 16) & 0xFF), UInt8((crc >> 8) & 0xFF), UInt8(crc & 0xFF)])
        let path = dir.file("huge.png")
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try Image.load(path)) { error in
            XCTAssertTrue("\(error)".contains("too large") && "\(error)".contains("60000×60000"), "\(error)")
        }
    }

    func testMissingFileAndDirectoryAreNamed() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        XCTAssertThrowsError(try Image.load(dir.file("absent.png"))) {
            XCTAssertEqual($0 as? MediaError, .fileNotFound(path: dir.file("absent.png")))
            XCTAssertTrue("\($0)".contains("no such file"))
        }
        XCTAssertThrowsError(try Image.load(dir.path)) {
            XCTAssertEqual($0 as? MediaError, .isDirectory(path: dir.path))
        }
    }

    private func crc32(_ data: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in data {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }
}
