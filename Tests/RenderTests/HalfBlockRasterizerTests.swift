import XCTest
import Media
@testable import Render

final class HalfBlockRasterizerTests: XCTestCase {
    func testFitKeepsAspectWithSquarePixels() {
        XCTAssertEqual(CellLayout.fit(width: 1024, height: 1024, columns: 200, rows: 60).width, 120)
        XCTAssertEqual(CellLayout.fit(width: 1024, height: 1024, columns: 200, rows: 60).height, 120)
        let wide = CellLayout.fit(width: 773, height: 512, columns: 80, rows: 40)
        XCTAssertEqual(wide.width, 80)
        XCTAssertEqual(wide.height, 54)  // 80 × 512/773 = 53 → rounded up to whole cells
        XCTAssertEqual(CellLayout.fit(width: 10, height: 1000, columns: 80, rows: 5).height, 10)
    }

    func testAreaAveragingOfTwoByTwoBlocks() {
        // 4×4 image: left half red, right half blue, rendered into 2×1 cells (2×2 pixels).
        let image = Image(width: 4, height: 4) { x, _ in x < 2 ? SIMD4(1, 0, 0, 1) : SIMD4(0, 0, 1, 1) }
        let grid = HalfBlockRasterizer().grid(for: image, width: 2, height: 2)
        XCTAssertEqual(grid.top(0, 0), RGB8(255, 0, 0))
        XCTAssertEqual(grid.bottom(1, 0), RGB8(0, 0, 255))
    }

    func testMixedBlockAveragesInSRGBOrLinearLight() {
        // A black/white checkerboard averaged into one pixel: 128 in sRGB values, 188 in linear light.
        let image = Image(width: 2, height: 4) { x, y in (x + y) % 2 == 0 ? SIMD4(1, 1, 1, 1) : SIMD4(0, 0, 0, 1) }
        let plain = HalfBlockRasterizer().grid(for: image, width: 1, height: 2)
        XCTAssertEqual(plain.top(0, 0), RGB8(128, 128, 128))
        let linear = HalfBlockRasterizer(linearLight: true).grid(for: image, width: 1, height: 2)
        XCTAssertEqual(Int(linear.top(0, 0).r), 188, accuracy: 1)
    }

    func testPackedAndFloatImagesRenderAlike() throws {
        let image = Image(width: 37, height: 23) { x, y in SIMD4(Float(x) / 37, Float(y) / 23, 0.3, 1) }
        let packedBytes = image.pixels.enumerated().flatMap { i, v -> [UInt8] in
            let b = UInt8((v * 255).rounded())
            return i % 3 == 2 ? [b, 255] : [b]
        }
        let packed = PackedImage(width: 37, height: 23, bytes: packedBytes)
        XCTAssertTrue(packed.isOpaque)
        let a = HalfBlockRasterizer().grid(for: image, columns: 10, rows: 4)
        let b = HalfBlockRasterizer().grid(for: packed, columns: 10, rows: 4)
        XCTAssertEqual(a.columns, b.columns)
        for (p, q) in zip(a.pixels, b.pixels) {
            XCTAssertEqual(Int(p.r), Int(q.r), accuracy: 1); XCTAssertEqual(Int(p.g), Int(q.g), accuracy: 1)
        }
    }

    func testBorrowedPixelsRenderExactlyLikeThePackedImage() {
        let bytes = (0..<(41 * 29 * 4)).map { i in i % 4 == 3 ? UInt8(i % 7 == 3 ? 128 : 255) : UInt8(truncatingIfNeeded: i * 37) }
        let packed = PackedImage(width: 41, height: 29, bytes: bytes)
        let borrowed = bytes.withUnsafeBytes { raw in
            HalfBlockRasterizer().grid(for: PackedPixels(width: 41, height: 29, bytes: raw, isOpaque: packed.isOpaque), columns: 12, rows: 5)
        }
        let owned = HalfBlockRasterizer().grid(for: packed, columns: 12, rows: 5)
        XCTAssertEqual(borrowed.columns, owned.columns)
        XCTAssertEqual(borrowed.pixels, owned.pixels)
    }

    func testTransparentPixelsShowTheBackground() {
        let image = Image(width: 2, height: 2, hasAlpha: true, fill: [1, 0, 0, 0])
        let grid = HalfBlockRasterizer(background: RGB8(10, 20, 30)).grid(for: image, width: 1, height: 2)
        XCTAssertEqual(grid.top(0, 0), RGB8(10, 20, 30))
        let half = Image(width: 2, height: 2, hasAlpha: true, fill: [1, 1, 1, 0.5])
        XCTAssertEqual(HalfBlockRasterizer().grid(for: half, width: 1, height: 2).top(0, 0), RGB8(128, 128, 128))
    }
}
