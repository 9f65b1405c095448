import XCTest
import Media
@testable import Canvas

final class MaskGeneratorTests: XCTestCase {
    /// argmax label at pixel (x, y).
    private func label(_ mask: Mask, _ x: Int, _ y: Int) -> Int {
        mask.argmax()[y * mask.width + x]
    }

    // MARK: Solid and interpolation

    func testSolidIsAllOnes() {
        let mask = MaskSpec.solid(SolidMask(channels: 3)).render(width: 5, height: 4)
        XCTAssertEqual(mask.channelCount, 3)
        XCTAssertTrue(mask.values.allSatisfy { $0 == 1 })
        let normalized = SolidMask(channels: 4, normalize: true).render(width: 3, height: 3)
        XCTAssertTrue(normalized.values.allSatisfy { abs($0 - 0.25) < 1e-6 })
    }

    func testInterpolationAtZeroIsChannelZero() {
        let spec = InterpolationMask(channels: 3, period: 10)
        XCTAssertEqual(spec.weights(t: 0), [1, 0, 0])
        let mask = MaskSpec.interpolation(spec).render(width: 4, height: 3, t: 0)
        XCTAssertEqual(mask.channel(0), [Float](repeating: 1, count: 12))
        XCTAssertEqual(mask.channel(1), [Float](repeating: 0, count: 12))
        XCTAssertEqual(InterpolationMask(channels: 3, period: 10, reverse: true).weights(t: 0), [0, 0, 1])
    }

    func testInterpolationFadesAcrossPeriods() {
        let fade = InterpolationMask(channels: 3, period: 10, crossFade: true)
        XCTAssertEqual(fade.weights(t: 5), [0.5, 0.5, 0])
        XCTAssertEqual(fade.weights(t: 10), [0, 1, 0])
        XCTAssertEqual(fade.weights(t: 25), [0.5, 0, 0.5])
        let held = InterpolationMask(channels: 3, period: 10)
        XCTAssertEqual(held.weights(t: 5), [1, 0.5, 0], "without cross_fade the current channel stays at 1")
        let late = InterpolationMask(channels: 2, period: 10, blend: 0.2, crossFade: true)
        XCTAssertEqual(late.weights(t: 7), [1, 0], "blend 0.2 fades only in the last fifth")
        XCTAssertEqual(late.weights(t: 9)[1], 0.5, accuracy: 1e-6)
    }

    // MARK: Arcs

    func testArcsCenterIsChannelZeroAtStart() {
        let mask = ArcsMask(channels: 3, radius: 0.2).render(width: 41, height: 41, t: 0)
        XCTAssertEqual(label(mask, 20, 20), 0)
        // Rings are born at the centre in channel order, so outwards they read 0, 2, 1 (as in ml4a).
        XCTAssertEqual(label(mask, 20 + 10, 20), 2, "distance 0.25 is the ring born before")
        XCTAssertEqual(label(mask, 20 + 18, 20), 1, "distance 0.45 is the oldest ring")
        XCTAssertTrue(mask.pixelSums().allSatisfy { $0 >= 1 }, "hard rings cover every pixel")
        let whole = ArcsMask(channels: 3).render(width: 21, height: 21, t: 0)
        XCTAssertEqual(label(whole, 10, 10), 0)
        XCTAssertEqual(label(whole, 0, 10), 0, "the default radius covers the image with one ring")
    }

    func testArcsMoveOutwardsWithTime() {
        let spec = ArcsMask(channels: 3, period: 10, radius: 0.2)
        let a = spec.render(width: 41, height: 41, t: 0)
        let b = spec.render(width: 41, height: 41, t: 10)
        let c = spec.render(width: 41, height: 41, t: 30)
        // After one period every ring is one radius (0.2 = 8 pixels) farther out.
        for r in 0..<10 where r % 8 != 0 {
            XCTAssertEqual(label(b, 20 + r + 8, 20), label(a, 20 + r, 20), "radius \(r)")
        }
        XCTAssertNotEqual(a, b)
        XCTAssertEqual(a.argmax(), c.argmax(), "n periods is a full cycle")
        let inwards = ArcsMask(channels: 3, period: 10, radius: 0.2, inwards: true)
        let i0 = inwards.render(width: 41, height: 41, t: 0), i1 = inwards.render(width: 41, height: 41, t: 10)
        for r in 0..<10 where r % 8 != 0 {
            XCTAssertEqual(label(i0, 20 + r + 8, 20), label(i1, 20 + r, 20), "inwards radius \(r)")
        }
    }

    func testArcsBlendOverlapsAndNormalizes() {
        let mask = ArcsMask(channels: 3, radius: 0.2, blend: 0.3, normalize: true).render(width: 33, height: 33, t: 0)
        for s in mask.pixelSums() { XCTAssertEqual(s, 1, accuracy: 1e-5) }
        XCTAssertTrue(mask.values.contains { $0 > 0.05 && $0 < 0.95 }, "blended edges are soft")
    }

    // MARK: Rects

    func testRectsMoveAlongSegmentWithTime() {
        let spec = RectsMask(channels: 4, period: 5, p1: Vec2(x: 0, y: 0.5), p2: Vec2(x: 1, y: 0.5))
        let a = spec.render(width: 41, height: 5, t: 0)
        let b = spec.render(width: 41, height: 5, t: 5)
        XCTAssertEqual(label(a, 0, 2), 3, "the band at p1 is the last channel")
        XCTAssertEqual(label(a, 40 - 1, 2), 0, "the band nearest p2 is channel 0")
        // After one period the bands have moved a quarter of the length (10 pixels) towards p2.
        for x in 0..<30 { XCTAssertEqual(label(b, x + 10, 2), label(a, x, 2), "x \(x)") }
        let reversed = RectsMask(channels: 4, period: 5, p1: Vec2(x: 0, y: 0.5), p2: Vec2(x: 1, y: 0.5), reverse: true)
        XCTAssertEqual(label(reversed.render(width: 41, height: 5, t: 0), 0, 2), 0)
    }

    func testRectsWidthLimitsBands() {
        let spec = RectsMask(channels: 2, p1: Vec2(x: 0, y: 0.5), p2: Vec2(x: 1, y: 0.5), width: 0.2)
        let mask = spec.render(width: 21, height: 21, t: 0)
        XCTAssertEqual(mask.pixelSums()[0], 0, "the top row is outside the band")
        XCTAssertEqual(mask.pixelSums()[10 * 21 + 5], 1)
    }

    func testDefaultRectsCoverDiagonally() {
        let mask = RectsMask(channels: 3, normalize: true).render(width: 30, height: 30, t: 0)
        for s in mask.pixelSums() { XCTAssertEqual(s, 1, accuracy: 1e-5) }
        XCTAssertEqual(label(mask, 0, 0), 2)
        XCTAssertEqual(label(mask, 28, 28), 0)
    }

    // MARK: Normalisation, resizing, colour

    func testNormalizedChannelsSumToOne() {
        let raw = Mask(width: 3, height: 2, channels: 3, values: [1, 1, 0, 0.2, 0.2, 0.1, 3, 0, 1, 0.5, 0.5, 0.5, 0, 0, 1, 0.9, 0, 0])
        for s in raw.normalized().pixelSums() { XCTAssertEqual(s, 1, accuracy: 1e-6) }
        let zero = Mask(width: 1, height: 1, channels: 2, fill: 0).normalized()
        XCTAssertEqual(zero.values, [0, 0], "empty pixels stay empty")
    }

    func testResizedKeepsChannelsAndRange() {
        let mask = ArcsMask(channels: 3, radius: 0.2).render(width: 40, height: 30, t: 0)
        let small = mask.resized(width: 20, height: 15)
        XCTAssertEqual(small.channelCount, 3)
        XCTAssertEqual(small.width, 20)
        XCTAssertTrue(small.values.allSatisfy { $0 >= 0 && $0 <= 1 })
        XCTAssertEqual(small.argmax()[7 * 20 + 10], 0)
    }

    func testColorizedUsesPalette() {
        let mask = Mask(width: 3, height: 1, channels: 3, values: [1, 0, 0, 0, 1, 0, 0.5, 0, 0.5])
        let image = mask.colorized()
        XCTAssertEqual(image.pixel(0, 0), SIMD4(1, 0, 0, 1))
        XCTAssertEqual(image.pixel(1, 0), SIMD4(0, 1, 0, 1))
        XCTAssertEqual(image.pixel(2, 0), SIMD4(0.5, 0, 0.5, 1))
        XCTAssertEqual(Set(MaskPalette.colors.map { "\($0)" }).count, MaskPalette.colors.count, "colours are distinct")
    }

    func testSpecValidation() {
        XCTAssertThrowsError(try MaskSpec.arcs(ArcsMask(channels: 0)).validate())
        XCTAssertThrowsError(try MaskSpec.rects(RectsMask(p1: .one, p2: .one)).validate())
        let image = Image(width: 4, height: 4)
        XCTAssertThrowsError(try MaskSpec.image(ImageMask(image: image, channels: 2, method: .threshold([0.5]))).validate())
        XCTAssertNoThrow(try MaskSpec.arcs(ArcsMask(channels: 3, period: 20)).validate())
    }
}
