import Foundation
import XCTest
@testable import Media
import TestSupport

/// JPEG, WebP and GIF input beside PNG: recognised by their bytes, decoded by libjpeg-turbo, libwebp and
/// giflib, compared with the PNG each fixture was made from (Fixtures/README.md says how).
final class ImageFileTests: XCTestCase {
    private func fixture(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)").path
    }

    /// Mean and largest absolute difference over RGB (and alpha when both have it), in 0…1.
    private func difference(_ a: PackedImage, _ b: PackedImage) -> (mean: Double, max: Double) {
        XCTAssertEqual(a.width, b.width); XCTAssertEqual(a.height, b.height)
        guard a.bytes.count == b.bytes.count else { return (1, 1) }
        var total = 0.0, worst = 0.0
        for i in a.bytes.indices where i % 4 != 3 {
            let d = abs(Double(a.bytes[i]) - Double(b.bytes[i])) / 255
            total += d; worst = max(worst, d)
        }
        return (total / Double(a.bytes.count / 4 * 3), worst)
    }

    private func rgb(_ image: PackedImage, _ x: Int, _ y: Int) -> [UInt8] {
        let p = (y * image.width + x) * 4
        return Array(image.bytes[p..<(p + 3)])
    }

    // MARK: Recognition by bytes

    func testFormatsAreRecognisedByTheirBytes() throws {
        let expected: [(String, ImageFormat)] = [("photo.png", .png), ("photo.jpg", .jpeg), ("photo-progressive.jpg", .jpeg),
                                                 ("photo.webp", .webp), ("anim.webp", .webp), ("anim.gif", .gif)]
        for (name, format) in expected { XCTAssertEqual(try ImageFile.format(of: fixture(name)), format, name) }
        // A WAV is RIFF too, but not WebP.
        XCTAssertNil(ImageFormat.detect(Array("RIFF\u{0}\u{0}\u{0}\u{0}WAVEfmt ".utf8)))
    }

    func testAJPEGNamedPNGDecodesAsJPEG() throws {
        let dir = try TemporaryDirectory(prefix: "mlwb-images")
        defer { dir.remove() }
        let path = dir.file("f3.png")
        try FileManager.default.copyItem(atPath: fixture("photo.jpg"), toPath: path)
        let image = try Image.load(path)
        XCTAssertEqual(image.width, 96)
        XCTAssertFalse(image.hasAlpha)
    }

    func testUnknownAndEmptyFilesSayWhatIsRead() throws {
        let dir = try TemporaryDirectory(prefix: "mlwb-images")
        defer { dir.remove() }
        let bmp = dir.file("f3.jpg")
        try Data([0x42, 0x4D, 0x3A, 0, 0, 0, 0, 0, 0, 0, 0x36, 0, 0, 0, 0x28, 0]).write(to: URL(fileURLWithPath: bmp))
        XCTAssertThrowsError(try Image.load(bmp)) { error in
            XCTAssertTrue("\(error)".contains("unsupported image format (JPEG/PNG/WebP/GIF are read)"), "\(error)")
        }
        let empty = dir.file("empty.png")
        FileManager.default.createFile(atPath: empty, contents: Data())
        XCTAssertThrowsError(try Image.load(empty)) { XCTAssertTrue("\($0)".contains("empty"), "\($0)") }
    }

    // MARK: JPEG

    func testJPEGsMatchThePNGTheyWereMadeFrom() throws {
        let png = try PNGCodec.loadPacked(fixture("photo.png"))
        for name in ["photo.jpg", "photo-progressive.jpg"] {
            let jpeg = try ImageFile.loadPacked(fixture(name))
            XCTAssertTrue(jpeg.isOpaque)
            let (mean, worst) = difference(jpeg, png)
            XCTAssertLessThan(mean, 0.03, name)
            XCTAssertLessThan(worst, 0.5, name)
        }
        let grey = try ImageFile.loadPacked(fixture("photo-gray.jpg"))
        for p in stride(from: 0, to: grey.bytes.count, by: 4) {
            XCTAssertTrue(grey.bytes[p] == grey.bytes[p + 1] && grey.bytes[p + 1] == grey.bytes[p + 2]); if grey.bytes[p] != grey.bytes[p + 2] { break }
        }
        let image = try Image.load(fixture("photo.jpg"))
        XCTAssertEqual(image.channels, 3)
    }

    func testACutShortJPEGIsAnErrorNotAGreyPicture() throws {
        let bytes = try Array(Data(contentsOf: URL(fileURLWithPath: fixture("photo.jpg"))))
        for cut in [bytes.count / 2, 200, 3] {
            XCTAssertThrowsError(try ImageFile.decode(Array(bytes.prefix(cut)), source: "cut.jpg"), "cut at \(cut)") { error in
                guard case MediaError.corrupt(_, let format, _) = error else { return XCTFail("\(error)") }
                XCTAssertEqual(format, "JPEG")
            }
        }
    }

    /// `quadrants.jpg` (32×16: red, green / blue, white) with an Exif APP1 segment carrying `orientation`.
    private func quadrants(orientation: Int, littleEndian: Bool = false) throws -> [UInt8] {
        let jpeg = try Array(Data(contentsOf: URL(fileURLWithPath: fixture("quadrants.jpg"))))
        func u16(_ v: Int) -> [UInt8] { littleEndian ? [UInt8(v & 255), UInt8(v >> 8)] : [UInt8(v >> 8), UInt8(v & 255)] }
        func u32(_ v: Int) -> [UInt8] { littleEndian ? u16(v & 0xFFFF) + u16(v >> 16) : u16(v >> 16) + u16(v & 0xFFFF) }
        let tiff = (littleEndian ? [0x49, 0x49] : [0x4D, 0x4D]) + u16(42) + u32(8)
            + u16(1) + u16(0x0112) + u16(3) + u32(1) + u16(orientation) + u16(0) + u32(0)
        let body = Array("Exif".utf8) + [0, 0] + tiff
        let segment: [UInt8] = [0xFF, 0xE1, UInt8((body.count + 2) >> 8), UInt8((body.count + 2) & 255)] + body
        return Array(jpeg.prefix(2)) + segment + Array(jpeg.dropFirst(2))
    }

    func testEXIFOrientationIsApplied() throws {
        let red: [UInt8] = [255, 0, 0], green: [UInt8] = [0, 255, 0], blue: [UInt8] = [0, 0, 255], white: [UInt8] = [255, 255, 255]
        // Corners as a viewer shows them (top-left, top-right, bottom-left, bottom-right), worked out from
        // the Exif definitions of where row 0 and column 0 go.
        let expected: [Int: [[UInt8]]] = [
            1: [red, green, blue, white], 2: [green, red, white, blue], 3: [white, blue, green, red], 4: [blue, white, red, green],
            5: [red, blue, green, white], 6: [blue, red, white, green], 7: [white, green, blue, red], 8: [green, white, red, blue],
        ]
        func near(_ a: [UInt8], _ b: [UInt8]) -> Bool { zip(a, b).allSatisfy { abs(Int($0) - Int($1)) < 40 } }
        for orientation in 1...8 {
            for little in [false, true] {
                let image = try ImageFile.decode(try quadrants(orientation: orientation, littleEndian: little), source: "q.jpg")
                let packed = PackedImage(width: image.width, height: image.height,
                                         bytes: image.pixels.enumerated().flatMap { i, v in (i % 3 == 2) ? [UInt8(v * 255 + 0.5), 255] : [UInt8(v * 255 + 0.5)] })
                let swapped = orientation >= 5
                XCTAssertEqual(packed.width, swapped ? 16 : 32, "orientation \(orientation)")
                XCTAssertEqual(packed.height, swapped ? 32 : 16, "orientation \(orientation)")
                let (w, h) = (packed.width, packed.height)
                let corners = [rgb(packed, 2, 2), rgb(packed, w - 3, 2), rgb(packed, 2, h - 3), rgb(packed, w - 3, h - 3)]
                for (i, corner) in corners.enumerated() {
                    XCTAssertTrue(near(corner, expected[orientation]![i]), "orientation \(orientation) corner \(i): \(corner)")
                }
            }
        }
    }

    func testMalformedExifIsIgnored() throws {
        var bytes = try quadrants(orientation: 6)
        bytes[6 + 6 + 4 + 3] = 0xFF   // the IFD offset now points far outside the segment
        let image = try ImageFile.decode(bytes, source: "q.jpg")
        XCTAssertEqual(image.width, 32)
    }

    // MARK: WebP

    func testLosslessWebPEqualsItsPNG() throws {
        XCTAssertEqual(try ImageFile.loadPacked(fixture("photo-lossless.webp")).bytes, try PNGCodec.loadPacked(fixture("photo.png")).bytes)
        let alpha = try ImageFile.loadPacked(fixture("rgba8-lossless.webp"))
        XCTAssertEqual(alpha.bytes, try PNGCodec.loadPacked(fixture("rgba8.png")).bytes)
        XCTAssertFalse(alpha.isOpaque)
        XCTAssertTrue(try Image.load(fixture("rgba8-lossless.webp")).hasAlpha)
    }

    func testLossyWebPIsCloseToItsPNG() throws {
        let (mean, _) = difference(try ImageFile.loadPacked(fixture("photo.webp")), try PNGCodec.loadPacked(fixture("photo.png")))
        XCTAssertLessThan(mean, 0.03)
    }

    func testAnimatedWebPFramesAndDurations() throws {
        let frames = try ImageFile.frames(fixture("anim.webp"))
        XCTAssertEqual(frames.count, 2)
        XCTAssertEqual(frames.map(\.duration), [0.2, 0.3])
        XCTAssertEqual(rgb(frames[0].image, 5, 5), [0x20, 0x40, 0x80])
        XCTAssertNotEqual(frames[1].image.bytes, frames[0].image.bytes)
        // A still is the first frame.
        XCTAssertEqual(try ImageFile.loadPacked(fixture("anim.webp")).bytes, frames[0].image.bytes)
    }

    func testDamagedWebPIsAnError() throws {
        let bytes = try Array(Data(contentsOf: URL(fileURLWithPath: fixture("photo.webp"))))
        for cut in [bytes.count / 2, 20] {
            XCTAssertThrowsError(try ImageFile.decode(Array(bytes.prefix(cut)), source: "cut.webp"), "cut at \(cut)")
        }
    }

    // MARK: GIF

    func testGIFFramesMatchImageMagicksCoalescedFrames() throws {
        let frames = try ImageFile.frames(fixture("anim.gif"))
        XCTAssertEqual(frames.count, 4)
        XCTAssertEqual(frames.map(\.duration), [0.2, 0.3, 0.4, 0.5])
        for (i, frame) in frames.enumerated() {
            let reference = try PNGCodec.loadPacked(fixture("anim-frame-\(i).png"))
            XCTAssertEqual(frame.image.width, reference.width)
            for p in 0..<(reference.width * reference.height) {
                let a = frame.image.bytes[p * 4 + 3], b = reference.bytes[p * 4 + 3]
                XCTAssertEqual(a == 0, b == 0, "frame \(i) pixel \(p): alpha \(a) vs \(b)")
                if a != 0 && b != 0 {
                    XCTAssertEqual(Array(frame.image.bytes[(p * 4)..<(p * 4 + 3)]), Array(reference.bytes[(p * 4)..<(p * 4 + 3)]), "frame \(i) pixel \(p)")
                }
                if a == 0 || b == 0 { continue }
            }
        }
        // Disposal to background left a hole in frame 2 where frame 1's patch was.
        XCTAssertEqual(frames[2].image.bytes[(5 * 24 + 5) * 4 + 3], 0)
    }

    func testStillGIFIsItsFirstFrame() throws {
        let still = try ImageFile.loadPacked(fixture("photo.gif"))
        XCTAssertLessThan(difference(still, try PNGCodec.loadPacked(fixture("photo.png"))).mean, 0.05)
        XCTAssertEqual(try ImageFile.loadPacked(fixture("anim.gif")).bytes, try ImageFile.frames(fixture("anim.gif"))[0].image.bytes)
    }

    func testCutShortGIFKeepsTheWholeFramesOrFails() throws {
        let bytes = try Array(Data(contentsOf: URL(fileURLWithPath: fixture("anim.gif"))))
        let dir = try TemporaryDirectory(prefix: "mlwb-images")
        defer { dir.remove() }
        let path = dir.file("cut.gif")
        try Data(bytes.prefix(bytes.count - 20)).write(to: URL(fileURLWithPath: path))
        let frames = try ImageFile.frames(path)
        XCTAssertTrue((1..<4).contains(frames.count), "\(frames.count) frames")
        XCTAssertThrowsError(try ImageFile.decode(Array(bytes.prefix(40)), source: "cut.gif")) { error in
            guard case MediaError.corrupt(_, let format, _) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(format, "GIF")
        }
    }

    // MARK: Decompression bombs

    func testHeadersClaimingFarMorePixelsThanTheFileHoldsAreRefused() throws {
        var gif = try Array(Data(contentsOf: URL(fileURLWithPath: fixture("anim.gif"))))
        gif[6] = 0x70; gif[7] = 0x17; gif[8] = 0x70; gif[9] = 0x17          // logical screen 6000×6000
        var jpeg = try Array(Data(contentsOf: URL(fileURLWithPath: fixture("photo.jpg"))))
        let sof = try XCTUnwrap((0..<(jpeg.count - 9)).first { jpeg[$0] == 0xFF && (jpeg[$0 + 1] == 0xC0 || jpeg[$0 + 1] == 0xC2) })
        jpeg[sof + 5] = 0x1F; jpeg[sof + 6] = 0x40; jpeg[sof + 7] = 0x1F; jpeg[sof + 8] = 0x40   // 8000×8000
        for (bytes, name) in [(gif, "bomb.gif"), (jpeg, "bomb.jpg")] {
            XCTAssertThrowsError(try ImageFile.decode(bytes, source: name), name) { error in
                guard case MediaError.tooLarge = error else { return XCTFail("\(name): \(error)") }
                XCTAssertTrue("\(error)".contains("decompression bomb"), "\(error)")
            }
        }
    }
}
