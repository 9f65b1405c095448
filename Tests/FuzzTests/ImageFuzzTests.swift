import Foundation
import Media
import Render
import TestSupport
import XCTest

/// PNG: libpng through both decoders (to float `Image`, and to packed pixels from a mapped file as
/// `mlwb show` does), then the half-block rasterizer.
final class ImageFuzzTests: XCTestCase {
    static let seedNames = ["gray8", "gray16", "graya8", "palette", "rgb8", "rgb8-interlaced", "rgba8", "rgba16"]

    static func seeds() throws -> [[UInt8]] {
        try seedNames.map { try FuzzHarness.projectFile("Tests/MediaTests/Fixtures/\($0).png") }
    }

    /// The parse under test: both decoders and the rasterizer on whatever decodes.
    static func parse(_ bytes: [UInt8], scratch: String) throws {
        let rasterizer = HalfBlockRasterizer()
        var failure: Error?
        do {
            let image = try PNGCodec.decode(bytes, source: "mutant.png")
            _ = rasterizer.grid(for: image, columns: 16, rows: 8)
        } catch { failure = error }
        try FuzzHarness.write(bytes, to: scratch)
        try PNGCodec.withPackedPixels(scratch) { pixels in _ = rasterizer.grid(for: pixels, columns: 16, rows: 8) }
        if let failure { throw failure }
    }

    /// JPEG, WebP and GIF fixtures (still and animated).
    static let otherSeedNames = ["photo.jpg", "photo-progressive.jpg", "photo-gray.jpg", "photo.webp", "rgba8-lossless.webp",
                                 "anim.webp", "anim.gif"]

    static func otherSeeds() throws -> [[UInt8]] {
        try otherSeedNames.map { try FuzzHarness.projectFile("Tests/MediaTests/Fixtures/\($0)") }
    }

    /// The decoders of the other formats: first picture from memory, every frame from a mapped file.
    static func parseOther(_ bytes: [UInt8], scratch: String) throws {
        let rasterizer = HalfBlockRasterizer()
        var failure: Error?
        do {
            let image = try ImageFile.decode(bytes, source: "mutant")
            _ = rasterizer.grid(for: image, columns: 16, rows: 8)
        } catch { failure = error }
        try FuzzHarness.write(bytes, to: scratch)
        do {
            for frame in try ImageFile.frames(scratch, limit: 8) { _ = frame.image.withPixels { rasterizer.grid(for: $0, columns: 16, rows: 8) } }
        } catch { failure = failure ?? error }
        if let failure { throw failure }
    }

    func testMutatedJPEGsWebPsAndGIFs() throws {
        let dir = try TemporaryDirectory(prefix: "mlwb-fuzz-img")
        defer { dir.remove() }
        FuzzHarness.run("jpeg-webp-gif", seeds: try Self.otherSeeds(), seed: 0x4A5047) { bytes, _ in
            try Self.parseOther(bytes, scratch: dir.file("mutant.img"))
        }
    }

    func testMutatedPNGs() throws {
        let dir = try TemporaryDirectory(prefix: "mlwb-fuzz-png")
        defer { dir.remove() }
        FuzzHarness.run("png", seeds: try Self.seeds(), seed: 0x504E47) { bytes, _ in
            try Self.parse(bytes, scratch: dir.file("mutant.png"))
        }
    }
}
