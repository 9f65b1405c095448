import XCTest
import Media
import TestSupport
@testable import Render

/// Pins the exact bytes `HalfBlockRasterizer` + `ANSIEncoder` write for fixed, photo-sized inputs in
/// every colour mode and pixel layout (length and FNV-1a hash), so that speed work on the renderer
/// is proven to change no output byte.
final class RenderGoldenBytesTests: XCTestCase {
    // MARK: Inputs

    /// A deterministic 1024×1024 "photo": gradients, a noisy quadrant, a flat block, a band of
    /// nearly equal colours (for the 24-bit tolerance) and, unless `opaque`, varying alpha.
    private static func syntheticImage(width: Int = 1024, height: Int = 1024, opaque: Bool = true) -> PackedImage {
        var bytes = [UInt8](repeating: 255, count: width * height * 4)
        for y in 0..<height {
            for x in 0..<width {
                var h = UInt32(truncatingIfNeeded: x &* 73_856_093 ^ y &* 19_349_663)
                h = (h ^ (h >> 13)) &* 0x5bd1_e995
                h ^= h >> 15
                let noise = Int(h & 0xFF)
                var r = x * 255 / max(1, width - 1), g = y * 255 / max(1, height - 1), b = ((x + 2 * y) / 5) % 256
                if x >= width / 2 && y < height / 2 {                 // noisy quadrant
                    r = (r + noise) / 2; g = (g * 3 + Int((h >> 8) & 0xFF)) / 4; b = Int((h >> 16) & 0xFF)
                } else if x < width / 4 && y >= height * 3 / 4 {      // flat block
                    r = 40; g = 90; b = 160
                } else if y >= height / 2 && y < height / 2 + height / 8 {  // nearly equal colours
                    r = 128 + noise % 2; g = 64 + (noise >> 1) % 2; b = 200 - (noise >> 2) % 2
                }
                let i = (y * width + x) * 4
                bytes[i] = UInt8(r); bytes[i + 1] = UInt8(g); bytes[i + 2] = UInt8(b)
                if !opaque { bytes[i + 3] = UInt8((x / 3 + y / 7 + noise / 16) % 256) }
            }
        }
        return PackedImage(width: width, height: height, bytes: bytes, isOpaque: opaque)
    }

    private static let opaque = syntheticImage()
    private static let translucent = syntheticImage(opaque: false)

    // MARK: Hashing

    /// FNV-1a, 64 bit.
    private func fnv1a(_ bytes: [UInt8]) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return h
    }

    private func assertBytes(_ bytes: [UInt8], count: Int, hash: UInt64, _ label: String,
                             file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(bytes.count, count, "\(label): byte count", file: file, line: line)
        XCTAssertEqual(fnv1a(bytes), hash, "\(label): hash 0x\(String(fnv1a(bytes), radix: 16))", file: file, line: line)
    }

    // MARK: 8-bit opaque (the path of `mlwb show` and `mlwb bench render`)

    func testOpaquePhotoInEveryColourMode() {
        let grid = HalfBlockRasterizer().grid(for: Self.opaque, columns: 200, rows: 60)
        XCTAssertEqual(grid.columns, 120)
        XCTAssertEqual(grid.rows, 60)
        assertBytes(ANSIEncoder(mode: .truecolor, tolerance: 1).encodeLines(grid), count: 215_858, hash: 0xa73d_d423_eae2_2797, "24-bit, tolerance 1")
        assertBytes(ANSIEncoder(mode: .truecolor).encodeLines(grid), count: 240_592, hash: 0xf4cc_60af_02cb_be47, "24-bit exact")
        assertBytes(ANSIEncoder(mode: .palette256).encodeLines(grid), count: 22_075, hash: 0x63fe_ec66_8ac3_bb2a, "256 colours")
        assertBytes(ANSIEncoder(mode: .ansi16).encodeLines(grid), count: 11_036, hash: 0xea02_8782_b2d7_b2af, "16 colours")
        assertBytes(ANSIEncoder(mode: .none).encodeLines(grid), count: 18_346, hash: 0x69fa_0946_63d9_11c1, "no colour")
        assertBytes(ANSIEncoder(mode: .truecolor, tolerance: 1).encodePlaced(grid, row: 2, column: 3), count: 215_850, hash: 0xdd7f_e301_7c0d_fc96, "placed")
        assertBytes(ANSIEncoder(mode: .truecolor).encodePlaced(grid, row: 1, column: 7, fromSavedCursor: true),
                    count: 240_926, hash: 0xde06_5928_722c_ce82, "placed from the saved cursor")
    }

    func testOpaquePhotoAtUnevenScalesAndInLinearLight() {
        let uneven = HalfBlockRasterizer().grid(for: Self.opaque, width: 97, height: 62)
        assertBytes(ANSIEncoder(mode: .truecolor, tolerance: 1).encodeLines(uneven), count: 90_641, hash: 0xfcab_3e6a_a3d8_3e04, "97×62")
        let large = HalfBlockRasterizer().grid(for: Self.opaque, width: 333, height: 250)
        assertBytes(ANSIEncoder(mode: .truecolor).encodeLines(large), count: 1_318_259, hash: 0x67c8_acb6_6912_9a3d, "333×250")
        let tiny = HalfBlockRasterizer().grid(for: Self.opaque, width: 3, height: 2)
        assertBytes(ANSIEncoder(mode: .truecolor).encodeLines(tiny), count: 117, hash: 0x513d_0836_659a_72af, "3×2")
        let linear = HalfBlockRasterizer(linearLight: true).grid(for: Self.opaque, columns: 200, rows: 60)
        assertBytes(ANSIEncoder(mode: .truecolor).encodeLines(linear), count: 241_017, hash: 0xeba1_aa2f_64ee_cdd8, "linear light")
    }

    // MARK: Alpha and float images

    func testTranslucentAndFloatImages() {
        let rasterizer = HalfBlockRasterizer(background: RGB8(12, 34, 56))
        let translucent = rasterizer.grid(for: Self.translucent, columns: 200, rows: 60)
        assertBytes(ANSIEncoder(mode: .truecolor, tolerance: 1).encodeLines(translucent), count: 182_988, hash: 0x0ca3_497b_35d0_ab33, "8-bit alpha")
        let float = Self.opaque.toImage()
        assertBytes(ANSIEncoder(mode: .truecolor, tolerance: 1).encodeLines(rasterizer.grid(for: float, columns: 200, rows: 60)),
                    count: 215_858, hash: 0xa73d_d423_eae2_2797, "float RGBA")
        let linear = HalfBlockRasterizer(linearLight: true).grid(for: Self.translucent.toImage(), width: 101, height: 48)
        assertBytes(ANSIEncoder(mode: .truecolor).encodeLines(linear), count: 80_549, hash: 0xdf6f_f1f6_7e54_ccd2, "float RGBA, linear light")
    }

    // MARK: The benchmark's photo

    /// The input of `mlwb bench render` (the shared eagle photo resized to 1024² and saved as PNG).
    func testBenchmarkPhoto() throws {
        let path = try SharedData.require("media/eagle.png")
        let dir = NSTemporaryDirectory() + "mlwb-golden-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Image.load(path).resized(width: 1024, height: 1024).save(dir + "/eagle-1024.png")
        let packed = try PNGCodec.loadPacked(dir + "/eagle-1024.png")
        let grid = HalfBlockRasterizer().grid(for: packed, columns: 200, rows: 60)
        assertBytes(ANSIEncoder(mode: .truecolor, tolerance: 1).encodeLines(grid), count: 225_618, hash: 0x43fd_3cac_3aae_3ff0, "eagle, 24-bit")
        assertBytes(ANSIEncoder(mode: .palette256).encodeLines(grid), count: 69_934, hash: 0x2559_d0b4_1c3b_7955, "eagle, 256 colours")
    }
}
