@testable import Render
import XCTest

/// Sixel output: exact bytes for a tiny picture, and pictures read back pixel by pixel.
final class SixelEncoderTests: XCTestCase {
    func testGoldenBytesForTwoColours() {
        // 3×7: red above, blue in the last row of the first band and the whole second band (one row).
        var bitmap = Bitmap(width: 3, height: 7, fill: RGB8(255, 0, 0))
        for x in 0..<3 { bitmap.pixels[5 * 3 + x] = RGB8(0, 0, 255); bitmap.pixels[6 * 3 + x] = RGB8(0, 0, 255) }
        let text = String(decoding: SixelEncoder().encode(bitmap), as: UTF8.self)
        // Palette sorted by the median cut: blue's bin first, red's second.
        XCTAssertEqual(text, "\u{1B}P0;1;0q\"1;1;3;7#0;2;0;0;100#1;2;100;0;0#0___$#1^^^-#0@@@-\u{1B}\\")
    }

    func testRunLengthEncoding() {
        let bitmap = Bitmap(width: 40, height: 6, fill: RGB8(10, 200, 30))
        let text = String(decoding: SixelEncoder().encode(bitmap), as: UTF8.self)
        XCTAssertTrue(text.contains("#0!40~-"), text)
    }

    func testFewColoursReadBackExactly() throws {
        // 37×20 with 64 colours: every pixel comes back as its colour (to sixel's percent steps).
        var bitmap = Bitmap(width: 37, height: 20, fill: RGB8(0, 0, 0))
        for y in 0..<20 { for x in 0..<37 { bitmap.pixels[y * 37 + x] = RGB8(UInt8((x % 8) * 32), UInt8((y % 8) * 32), 128) } }
        let decoded = try SixelDecoder(SixelEncoder().encode(bitmap))
        XCTAssertEqual(decoded.width, 37); XCTAssertEqual(decoded.height, 20)
        for i in 0..<bitmap.pixels.count {
            let got = try XCTUnwrap(decoded.pixels[i], "pixel \(i) not painted")
            let want = bitmap.pixels[i]
            XCTAssertLessThanOrEqual(max(abs(Int(got.r) - Int(want.r)), abs(Int(got.g) - Int(want.g)), abs(Int(got.b) - Int(want.b))), 2, "pixel \(i)")
        }
    }

    func testPhotoLikeGradientReadsBackClose() throws {
        // 96×50 smooth gradient with thousands of colours: median cut to 256 keeps every pixel close,
        // with and without dithering; dithering keeps the local mean closer.
        var bitmap = Bitmap(width: 96, height: 50, fill: RGB8(0, 0, 0))
        for y in 0..<50 { for x in 0..<96 {
            bitmap.pixels[y * 96 + x] = RGB8(UInt8(x * 255 / 95), UInt8(y * 255 / 49), UInt8((x + y) * 255 / 144))
        } }
        for dither in [false, true] {
            let bytes = SixelEncoder(dither: dither).encode(bitmap)
            let decoded = try SixelDecoder(bytes)
            var worst = 0, total = 0
            for i in 0..<bitmap.pixels.count {
                let got = try XCTUnwrap(decoded.pixels[i]), want = bitmap.pixels[i]
                let e = max(abs(Int(got.r) - Int(want.r)), abs(Int(got.g) - Int(want.g)), abs(Int(got.b) - Int(want.b)))
                worst = max(worst, e); total += e
            }
            let mean = Double(total) / Double(bitmap.pixels.count)
            XCTAssertLessThan(mean, dither ? 12 : 8, "dither \(dither)")
            XCTAssertLessThan(worst, dither ? 64 : 24, "dither \(dither)")
        }
    }

    func testQuantizerKeepsAtMostMaxColours() {
        var bitmap = Bitmap(width: 64, height: 64, fill: RGB8(0, 0, 0))
        var seed: UInt32 = 1
        for i in 0..<bitmap.pixels.count {
            seed = seed &* 1_664_525 &+ 1_013_904_223
            bitmap.pixels[i] = RGB8(UInt8(seed >> 24), UInt8(seed >> 16 & 255), UInt8(seed >> 8 & 255))
        }
        for n in [1, 2, 16, 256] {
            let q = MedianCutQuantizer(maxColors: n).quantize(bitmap)
            XCTAssertLessThanOrEqual(q.palette.count, n)
            XCTAssertTrue(q.indices.allSatisfy { Int($0) < q.palette.count })
        }
        XCTAssertEqual(MedianCutQuantizer(maxColors: 256).quantize(bitmap).palette.count, 256)
    }
}
