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

    func testMutatedPNGs() throws {
        let dir = try TemporaryDirectory(prefix: "mlwb-fuzz-png")
        defer { dir.remove() }
        FuzzHarness.run("png", seeds: try Self.seeds(), seed: 0x504E47) { bytes, _ in
            try Self.parse(bytes, scratch: dir.file("mutant.png"))
        }
    }
}
