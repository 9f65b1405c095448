import Media
@testable import Models
import XCTest

/// `PILBilinearResize` against bytes produced by Pillow 13.0.0 (`Image.fromarray(a, "RGB").resize((w, h),
/// Image.BILINEAR)` on seeded random RGB arrays). The full-size photos in ../shared/media were also checked
/// byte for byte against Pillow while writing this (eagle, dog, scream and 800 random sizes: no byte differs).
final class PILBilinearResizeTests: XCTestCase {
    func check(_ input: [UInt8], _ w: Int, _ h: Int, to ow: Int, _ oh: Int, expect: [UInt8],
               file: StaticString = #filePath, line: UInt = #line) {
        let out = PILBilinearResize.resize(PixelBytes(width: w, height: h, bytes: input), width: ow, height: oh)
        XCTAssertEqual(out.width, ow, file: file, line: line)
        XCTAssertEqual(out.height, oh, file: file, line: line)
        XCTAssertEqual(out.bytes, expect, file: file, line: line)
    }

    /// 4×9 → 3×3: the height shrinks by more than twice the width, so Pillow 13 runs the vertical pass first
    /// (horizontal first, as Pillow ≤ 12 does, gives different bytes here).
    func testVerticalPassFirstWhenHeightShrinksMost() {
        let input: [UInt8] = [
            255, 228, 34, 121, 243, 189, 6, 131, 102, 168, 82, 193, 187, 150, 81, 243, 205, 24, 236, 8, 246, 164, 231, 36,
            210, 111, 172, 210, 174, 176, 218, 242, 169, 114, 205, 63, 160, 47, 212, 79, 72, 112, 120, 222, 69, 31, 95, 108,
            36, 109, 238, 69, 51, 81, 228, 211, 202, 58, 202, 65, 76, 70, 193, 104, 42, 250, 209, 164, 2, 44, 178, 140,
            98, 2, 243, 21, 50, 29, 14, 7, 53, 50, 151, 221, 46, 60, 230, 192, 164, 156, 127, 214, 154, 194, 195, 137,
            72, 153, 74, 209, 58, 76, 105, 84, 10, 213, 226, 115
        ]
        let expected: [UInt8] = [
            199, 160, 110, 172, 157, 142, 143, 156, 114, 96, 73, 190, 132, 126, 119, 90, 173, 108, 91, 77, 168, 124, 109, 95,
            132, 170, 129
        ]
        check(input, 4, 9, to: 3, 3, expect: expected)
        XCTAssertNotEqual(PILBilinearResize.resize(PixelBytes(width: 4, height: 9, bytes: input), width: 3, height: 3,
                                                   passOrder: .horizontalFirst).bytes, expected)
    }

    /// 7×5 → 3×4: antialiased horizontal shrink (support 7/3), then a plain vertical enlargement.
    func testShrinkWidthGrowHeight() {
        let input: [UInt8] = [
            139, 74, 229, 241, 169, 65, 6, 160, 149, 106, 38, 175, 188, 205, 175, 229, 98, 249, 10, 148, 95, 86, 147, 198,
            66, 39, 106, 213, 171, 45, 167, 57, 69, 81, 55, 14, 153, 178, 215, 76, 52, 39, 250, 72, 215, 50, 161, 223,
            112, 172, 161, 233, 38, 17, 89, 1, 221, 6, 242, 127, 143, 6, 60, 210, 94, 25, 166, 33, 249, 189, 12, 204,
            33, 57, 124, 30, 199, 149, 202, 119, 72, 220, 3, 209, 122, 136, 147, 77, 133, 82, 115, 87, 162, 230, 70, 71,
            240, 62, 47, 184, 31, 34, 63, 65, 146
        ]
        let expected: [UInt8] = [
            142, 126, 138, 126, 110, 141, 134, 131, 161, 118, 117, 160, 149, 85, 84, 95, 107, 115, 165, 84, 179, 112, 81, 138,
            131, 100, 131, 123, 106, 131, 167, 76, 102, 158, 61, 92
        ]
        check(input, 7, 5, to: 3, 4, expect: expected)
    }

    /// 3×2 → 5×4: enlargement keeps the support at one pixel; edge pixels copy through.
    func testEnlargeBothWays() {
        let input: [UInt8] = [
            244, 99, 52, 184, 130, 116, 180, 83, 121, 147, 8, 60, 218, 44, 190, 252, 229, 123
        ]
        let expected: [UInt8] = [
            244, 99, 52, 220, 111, 78, 184, 130, 116, 182, 102, 119, 180, 83, 121, 220, 76, 54, 209, 89, 87, 193, 109, 135,
            196, 115, 127, 198, 120, 122, 171, 31, 58, 186, 44, 104, 210, 66, 172, 224, 142, 142, 234, 193, 123, 147, 8, 60,
            175, 22, 112, 218, 44, 190, 238, 155, 150, 252, 229, 123
        ]
        check(input, 3, 2, to: 5, 4, expect: expected)
    }

    /// 10×6 → 4×6: only the horizontal pass runs (the height is unchanged).
    func testHorizontalOnly() {
        let input: [UInt8] = [
            33, 135, 234, 107, 222, 166, 200, 222, 32, 4, 7, 246, 68, 218, 108, 73, 190, 163, 70, 29, 203, 234, 103, 154,
            248, 154, 226, 170, 65, 121, 12, 199, 133, 42, 131, 164, 187, 170, 80, 183, 108, 27, 79, 234, 0, 90, 86, 234,
            8, 202, 52, 237, 24, 194, 66, 220, 23, 98, 148, 184, 10, 159, 17, 235, 172, 9, 88, 3, 42, 116, 206, 6,
            156, 97, 50, 204, 36, 124, 239, 111, 218, 239, 136, 191, 184, 79, 37, 124, 240, 132, 216, 230, 10, 242, 173, 16,
            59, 29, 115, 172, 119, 181, 112, 1, 0, 48, 232, 37, 67, 155, 163, 212, 46, 8, 227, 74, 37, 178, 185, 251,
            52, 186, 57, 89, 249, 48, 220, 200, 86, 49, 204, 245, 235, 99, 203, 80, 206, 62, 109, 250, 233, 191, 144, 180,
            91, 147, 249, 247, 124, 33, 151, 76, 151, 32, 81, 131, 76, 177, 161, 189, 148, 221, 63, 247, 135, 131, 157, 71,
            22, 204, 36, 123, 211, 224, 87, 200, 150, 247, 188, 214
        ]
        let expected: [UInt8] = [
            100, 185, 161, 74, 140, 151, 111, 117, 172, 212, 108, 175, 72, 160, 129, 138, 154, 60, 88, 138, 124, 112, 152, 114,
            125, 131, 19, 137, 113, 40, 217, 92, 159, 180, 145, 110, 189, 156, 44, 121, 84, 93, 102, 133, 72, 201, 107, 104,
            105, 216, 68, 141, 176, 172, 132, 194, 172, 164, 144, 164, 87, 104, 148, 118, 180, 163, 80, 197, 100, 143, 199, 182
        ]
        check(input, 10, 6, to: 4, 6, expect: expected)
    }

    /// torchvision `Resize(8)` + `CenterCrop(5)` on a 12×9 PIL image: 10×8 (long side truncated), offsets
    /// round(1.5) = 2 and round(2.5) = 2 (halves to even).
    func testCroppedMatchesTorchvisionOnPIL() {
        let input: [UInt8] = [
            56, 207, 217, 156, 28, 8, 54, 64, 168, 150, 21, 249, 158, 102, 94, 242, 114, 192, 125, 16, 252, 76, 119, 48,
            147, 130, 17, 51, 184, 10, 230, 45, 192, 68, 248, 148, 93, 87, 146, 89, 112, 103, 147, 123, 74, 192, 4, 59,
            155, 15, 152, 243, 10, 85, 162, 171, 113, 23, 2, 170, 166, 215, 117, 29, 16, 159, 235, 40, 247, 135, 116, 229,
            72, 26, 221, 80, 146, 112, 174, 219, 48, 47, 73, 201, 186, 69, 185, 0, 122, 232, 13, 121, 192, 134, 157, 138,
            212, 39, 200, 119, 231, 154, 90, 27, 218, 250, 47, 184, 15, 86, 9, 66, 240, 75, 223, 89, 236, 178, 185, 106,
            244, 24, 85, 76, 168, 47, 32, 116, 77, 118, 131, 214, 121, 116, 216, 119, 214, 140, 142, 189, 8, 188, 113, 237,
            32, 231, 234, 55, 118, 210, 62, 66, 81, 20, 226, 142, 166, 146, 25, 48, 166, 88, 133, 176, 13, 147, 166, 171,
            14, 85, 189, 173, 116, 154, 85, 242, 93, 5, 142, 108, 98, 85, 61, 236, 241, 181, 174, 249, 97, 16, 88, 225,
            75, 141, 161, 77, 105, 157, 121, 16, 79, 167, 77, 220, 54, 81, 203, 239, 117, 43, 250, 84, 232, 157, 52, 166,
            25, 229, 52, 43, 173, 72, 30, 223, 246, 144, 32, 217, 37, 36, 121, 104, 201, 219, 238, 200, 81, 240, 41, 56,
            224, 218, 36, 248, 66, 22, 0, 203, 203, 129, 227, 208, 110, 224, 96, 169, 222, 241, 101, 12, 116, 16, 98, 199,
            210, 185, 10, 182, 124, 83, 139, 51, 181, 59, 125, 219, 29, 224, 100, 34, 215, 47, 28, 102, 18, 239, 124, 195,
            76, 234, 78, 198, 170, 181, 45, 5, 45, 151, 185, 64, 225, 226, 18, 242, 73, 208, 87, 144, 63, 30, 149, 34,
            215, 146, 197, 87, 226, 211, 160, 153, 73, 190, 180, 0
        ]
        let expected: [UInt8] = [
            142, 143, 141, 165, 74, 157, 62, 120, 163, 42, 126, 155, 147, 119, 179, 129, 141, 144, 172, 124, 81, 93, 148, 63,
            87, 145, 79, 110, 131, 198, 71, 159, 139, 81, 146, 131, 79, 132, 116, 128, 97, 84, 114, 105, 197, 90, 142, 207,
            68, 65, 165, 93, 146, 177, 193, 121, 94, 197, 95, 107, 66, 73, 177, 125, 124, 97, 164, 140, 104, 152, 95, 158,
            95, 146, 144
        ]
        let out = ImageNetPreprocessing.cropped(PixelBytes(width: 12, height: 9, bytes: input), resize: 8, crop: 5)
        XCTAssertEqual(out.width, 5)
        XCTAssertEqual(out.height, 5)
        XCTAssertEqual(out.bytes, expected)
    }

    func testPassOrderRule() {
        typealias R = PILBilinearResize
        XCTAssertFalse(R.horizontalRunsFirst(from: (4, 9), to: (3, 3), order: .pillow13))       // 6 > 2 · 1
        XCTAssertTrue(R.horizontalRunsFirst(from: (4, 9), to: (3, 3), order: .horizontalFirst))
        XCTAssertTrue(R.horizontalRunsFirst(from: (352, 448), to: (256, 325), order: .pillow13)) // scream: 123 ≤ 192
        XCTAssertTrue(R.horizontalRunsFirst(from: (773, 512), to: (386, 256), order: .pillow13))
        XCTAssertFalse(R.horizontalRunsFirst(from: (10, 10), to: (20, 4), order: .pillow13))     // 6 > 2 · (−10)
        XCTAssertTrue(R.horizontalRunsFirst(from: (10, 10), to: (5, 10), order: .pillow13))
        // The order matters for the bytes: the intermediate image is rounded to 8 bits.
        let image = PixelBytes(width: 4, height: 9, bytes: (0..<108).map { UInt8(($0 * 97 + 13) % 256) })
        XCTAssertNotEqual(R.resize(image, width: 3, height: 3, passOrder: .pillow13).bytes,
                          R.resize(image, width: 3, height: 3, passOrder: .horizontalFirst).bytes)
    }

    func testTapsAndFixedPointWeights() {
        // Halving 4 → 2: support 2; output 0 is centred at 1.0 and reads pixels 0..<3 with triangle weights
        // ¾, ¾, ¼ (normalised to 3/7, 3/7, 1/7); output 1 is centred at 3.0 and reads 1..<4 (¼, ¾, ¾).
        let taps = PILBilinearResize.taps(inSize: 4, outSize: 2)
        XCTAssertEqual(taps.start, [0, 1])
        XCTAssertEqual(taps.count, [3, 3])
        // 3/7 · 2²² = 1797558.86 → 1797559, 1/7 · 2²² = 599186.29 → 599186.
        XCTAssertEqual(Array(taps.weights[0..<3]), [1_797_559, 1_797_559, 599_186])
        XCTAssertEqual(Array(taps.weights[taps.stride..<taps.stride + 3]), [599_186, 1_797_559, 1_797_559])
        // Same size: each output reads its own pixel with weight 1 (and the next with weight 0).
        let identity = PILBilinearResize.taps(inSize: 5, outSize: 5)
        XCTAssertEqual(identity.start, [0, 1, 2, 3, 4])
        XCTAssertEqual(identity.count, [2, 2, 2, 2, 1])
        XCTAssertEqual(identity.weights[0], 1 << PILBilinearResize.precisionBits)
        XCTAssertEqual(identity.weights[1], 0)
        // Neither size changes: a copy.
        XCTAssertEqual(PILBilinearResize.resize(PixelBytes(width: 2, height: 1, bytes: [1, 2, 3, 4, 5, 6]), width: 2, height: 1).bytes,
                       [1, 2, 3, 4, 5, 6])
    }

    func testFloatImageRoundTripsToBytes() {
        let bytes: [UInt8] = [0, 1, 2, 127, 128, 254, 255, 37, 200]
        let image = Image(width: 3, height: 1, pixels: bytes.map { Float($0) * (1 / 255) })
        XCTAssertEqual(ImageNetPreprocessing.rgb8(image).bytes, bytes)
        let packed = PackedImage(width: 1, height: 1, bytes: [9, 8, 7, 100])
        XCTAssertEqual(ImageNetPreprocessing.rgb8(packed).bytes, [9, 8, 7])
    }
}
