import XCTest
import Media
@testable import Canvas

final class ImageMaskTests: XCTestCase {
    /// Three vertical colour bands (red | green | blue) split at `a` and `b`, with a little seeded noise.
    private func bands(width: Int = 60, height: Int = 40, _ a: Int, _ b: Int, seed: UInt64) -> Image {
        var rng = SeededGenerator(seed: seed)
        return Image(width: width, height: height) { x, _ in
            let base: SIMD3<Float> = x < a ? SIMD3(0.9, 0.1, 0.1) : (x < b ? SIMD3(0.1, 0.8, 0.2) : SIMD3(0.1, 0.2, 0.9))
            let n = SIMD3(Float(rng.nextUnit()), Float(rng.nextUnit()), Float(rng.nextUnit())) * 0.06 - 0.03
            let c = base + n
            return SIMD4(c.x, c.y, c.z, 1)
        }
    }

    func testKMeansOrdersClustersBySize() {
        let image = bands(24, 38, seed: 1)  // red 24, green 14, blue 22 columns
        let mask = ImageMask(image: image, channels: 3).render(width: 60, height: 40)
        let labels = mask.argmax()
        XCTAssertEqual(labels[5], 0, "red is the largest cluster")
        XCTAssertEqual(labels[50], 1, "blue is second")
        XCTAssertEqual(labels[30], 2, "green is smallest")
        XCTAssertTrue(mask.values.allSatisfy { $0 == 0 || $0 == 1 })
        XCTAssertTrue(mask.pixelSums().allSatisfy { $0 == 1 })
    }

    func testKMeansIsDeterministic() {
        let spec = MaskSpec.image(ImageMask(image: TestImages.noise(width: 24, height: 16), channels: 4))
        XCTAssertEqual(spec.render(width: 24, height: 16), spec.render(width: 24, height: 16))
    }

    func testKMeansLabelsStayStableBetweenFrames() {
        let first = ImageMask(image: bands(24, 38, seed: 1), channels: 3).render(width: 60, height: 40)
        // Green grows to the largest band, so sorting by size alone would renumber every channel.
        let next = bands(18, 44, seed: 2)
        let unmatched = ImageMask(image: next, channels: 3).render(width: 60, height: 40)
        XCTAssertNotEqual(unmatched.argmax()[30], first.argmax()[30], "size order changed")
        let matched = MaskSpec.image(ImageMask(image: next, channels: 3)).render(width: 60, height: 40, previous: first)
        let a = first.argmax(), b = matched.argmax()
        for y in 0..<40 {
            for x in [0, 10, 17, 24, 30, 37, 44, 50, 59] {
                XCTAssertEqual(b[y * 60 + x], a[y * 60 + x], "pixel \(x),\(y)")
            }
        }
        let agreement = zip(a, b).filter { $0 == $1 }.count
        // Only the 12 of 60 columns that changed colour may change label.
        XCTAssertEqual(Double(agreement) / Double(a.count), 0.8, accuracy: 1e-9)
    }

    func testLabelMatchingFindsPermutation() {
        let previous = [0, 0, 1, 1, 2, 2, 2]
        let labels = [2, 2, 0, 0, 1, 1, 0]
        XCTAssertEqual(LabelMatching.bestPermutation(labels: labels, previous: previous, k: 3), [1, 2, 0])
        let big = (0..<100).map { $0 % 10 }
        let shifted = big.map { ($0 + 3) % 10 }
        let map = LabelMatching.bestPermutation(labels: shifted, previous: big, k: 10)
        XCTAssertEqual(shifted.map { map[$0] }, big)
    }

    func testAutoThresholdGivesEqualAreas() {
        let ramp = Image(width: 64, height: 8) { x, _ in let g = Float(x) / 63; return SIMD4(g, g, g, 1) }
        let mask = ImageMask(image: ramp, channels: 4, method: .auto).render(width: 64, height: 8)
        for c in 0..<4 {
            let area = mask.channel(c).reduce(0, +) / Float(64 * 8)
            XCTAssertEqual(area, 0.25, accuracy: 0.03, "channel \(c)")
        }
        XCTAssertEqual(mask.argmax()[0], 0, "darkest pixels are channel 0")
        XCTAssertEqual(mask.argmax()[63], 3)
    }

    func testThresholdSplitsByGreyLevel() {
        let image = Image(width: 30, height: 4) { x, _ in
            let g: Float = x < 10 ? 0.1 : (x < 20 ? 0.4 : 0.95)
            return SIMD4(g, g, g, 1)
        }
        let mask = ImageMask(image: image, channels: 2, method: .threshold([0.2, 0.5])).render(width: 30, height: 4)
        XCTAssertEqual(mask[x: 5, y: 1, c: 0], 1)
        XCTAssertEqual(mask[x: 15, y: 1, c: 1], 1)
        XCTAssertEqual(mask[x: 15, y: 1, c: 0], 0)
        XCTAssertEqual(mask.pixelSums()[25], 0, "brighter than every threshold: no channel")
        let blurred = ImageMask(image: image, channels: 2, method: .threshold([0.2, 0.5]), blurSize: 3)
            .render(width: 30, height: 4)
        XCTAssertEqual(blurred[x: 10, y: 1, c: 0], 1.0 / 3, accuracy: 1e-5)
    }

    func testImageIsCroppedToMaskAspect() {
        // A wide image whose outer quarters are white: the square crop sees only the dark middle.
        let image = Image(width: 80, height: 20) { x, _ in x < 30 || x >= 50 ? SIMD4(1, 1, 1, 1) : SIMD4(0, 0, 0, 1) }
        let mask = ImageMask(image: image, channels: 1, method: .threshold([0.5])).render(width: 10, height: 10)
        XCTAssertTrue(mask.values.allSatisfy { $0 == 1 })
    }
}
