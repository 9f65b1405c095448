import XCTest
@testable import Media

final class ResamplingTests: XCTestCase {
    func testAreaAverageIsTheExactMeanOfEachBlock() {
        // 4×2 single channel: blocks of 2×2 → 2×1.
        let samples: [Float] = [1, 2, 3, 4,
                                5, 6, 7, 8]
        let out = Resampling.resize(samples, channels: 1, width: 4, height: 2, toWidth: 2, toHeight: 1, filter: .area)
        XCTAssertEqual(out, [3.5, 5.5])
    }

    func testAreaAverageHandlesFractionalFootprints() {
        // 3 → 2: output 0 covers [0, 1.5) = p0 + half p1.
        let out = Resampling.resize([0, 3, 6], channels: 1, width: 3, height: 1, toWidth: 2, toHeight: 1, filter: .area)
        XCTAssertEqual(out[0], (0 + 1.5) / 1.5, accuracy: 1e-6)
        XCTAssertEqual(out[1], (1.5 + 6) / 1.5, accuracy: 1e-6)
    }

    func testEveryFilterKeepsAConstantImageConstant() {
        let constant = [Float](repeating: 0.25, count: 7 * 5 * 3)
        for filter in ResizeFilter.allCases {
            for (w, h) in [(3, 2), (20, 13), (7, 9)] {
                let out = Resampling.resize(constant, channels: 3, width: 7, height: 5, toWidth: w, toHeight: h, filter: filter)
                XCTAssertEqual(out.count, w * h * 3)
                for v in out { XCTAssertEqual(v, 0.25, accuracy: 1e-5, "\(filter) \(w)×\(h)") }
            }
        }
    }

    func testBilinearEnlargementInterpolates() {
        let out = Resampling.resize([0, 1], channels: 1, width: 2, height: 1, toWidth: 4, toHeight: 1, filter: .bilinear)
        XCTAssertEqual(out, [0, 0.25, 0.75, 1])
    }

    func testShrinkingACheckerboardAveragesInsteadOfAliasing() {
        var board = [Float](repeating: 0, count: 64 * 64)
        for y in 0..<64 { for x in 0..<64 where (x + y) % 2 == 0 { board[y * 64 + x] = 1 } }
        for filter in [ResizeFilter.area, .bilinear, .bicubic, .lanczos3] {
            let out = Resampling.resize(board, channels: 1, width: 64, height: 64, toWidth: 10, toHeight: 10, filter: filter)
            for v in out { XCTAssertEqual(v, 0.5, accuracy: 0.08, "\(filter)") }
        }
    }

    func testSharpFiltersKeepAnEdgeSharperThanBilinear() {
        let edge: [Float] = [0, 0, 0, 0, 1, 1, 1, 1]
        let linear = Resampling.resize(edge, channels: 1, width: 8, height: 1, toWidth: 32, toHeight: 1, filter: .bilinear)
        let lanczos = Resampling.resize(edge, channels: 1, width: 8, height: 1, toWidth: 32, toHeight: 1, filter: .lanczos3)
        // Slope across the edge (output pixels 15 → 16) is steeper for Lanczos.
        XCTAssertGreaterThan(lanczos[16] - lanczos[15], linear[16] - linear[15])
    }

    func testImageResizeShorterSide() {
        let image = Image(width: 773, height: 512)
        let resized = image.resized(shorterSide: 256)
        XCTAssertEqual(resized.height, 256)
        XCTAssertEqual(resized.width, 387)
    }
}
