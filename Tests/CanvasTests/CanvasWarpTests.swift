import XCTest
import Media
@testable import Canvas

final class CanvasWarpTests: XCTestCase {
    // MARK: Identity

    func testIdentityModLeavesImageUnchanged() {
        let image = TestImages.noise(width: 17, height: 13)
        XCTAssertEqual(CanvasWarp.apply(to: image, mods: [CanvasMod()]), image)
        XCTAssertEqual(CanvasWarp.apply(to: image, mods: []), image)
        let mask = ArcsMask(channels: 2, radius: 0.2, blend: 0.3).render(width: 17, height: 13, t: 0)
        XCTAssertEqual(CanvasWarp.apply(to: image, mods: [.identity, .identity], masks: mask), image)
        XCTAssertTrue(CanvasWarp.field(width: 17, height: 13, mods: [.identity]).isIdentity)
    }

    func testZeroRotationAndUnitZoomWithOtherDefaultsIsIdentity() {
        let image = TestImages.noise(width: 12, height: 12)
        // A mod that goes through the polar stage but maps every pixel to itself.
        let out = CanvasWarp.apply(to: image, mods: [CanvasMod(rotConst: 2 * .pi)])
        XCTAssertLessThan(TestImages.maxDifference(out, image), 1e-4)
    }

    // MARK: Shift and mirror wrap

    func testShiftMovesPatternByKnownAmount() {
        var image = Image(width: 32, height: 24)
        image.setPixel(5, 7, SIMD4(1, 1, 1, 1))
        let out = CanvasWarp.apply(to: image, mods: [CanvasMod(shift: Vec2(x: 0.25, y: 0.125))])
        XCTAssertEqual(out.pixel(5 + 8, 7 + 3), SIMD4(1, 1, 1, 1))
        XCTAssertEqual(out.pixel(5, 7), SIMD4(0, 0, 0, 1))
        // Output x = 2 reads x = −6, mirrored onto x = 5: the pattern reflects in from the left edge.
        XCTAssertEqual(out.pixel(2, 7 + 3), SIMD4(1, 1, 1, 1))
        XCTAssertEqual(out.pixels.reduce(0, +), 6, "the pixel and its mirror image, nothing else")
    }

    func testShiftMirrorWrapsAtEdges() {
        let image = TestImages.noise(width: 16, height: 6)
        let out = CanvasWarp.apply(to: image, mods: [CanvasMod(shift: Vec2(x: 0.25, y: 0))])
        for y in 0..<6 {
            // Output x reads input x − 4, mirrored about the left edge: −1 → 0, −4 → 3.
            for x in 0..<16 {
                let source = x - 4 >= 0 ? x - 4 : -(x - 4) - 1
                XCTAssertEqual(out.pixel(x, y), image.pixel(source, y), "pixel \(x),\(y)")
            }
        }
        let back = CanvasWarp.apply(to: image, mods: [CanvasMod(shift: Vec2(x: -0.25, y: 0))])
        // Reading past the right edge: 16 → 15, 19 → 12.
        XCTAssertEqual(back.pixel(15, 2), image.pixel(12, 2))
        XCTAssertEqual(back.pixel(12, 2), image.pixel(15, 2))
        XCTAssertEqual(WarpField.mirror(-1.75, 10), 0.75, accuracy: 1e-6)
        XCTAssertEqual(WarpField.mirror(-0.25, 10), 0, accuracy: 1e-6)
        XCTAssertEqual(WarpField.mirror(10.75, 10), 8.25, accuracy: 1e-6)
        XCTAssertEqual(WarpField.mirror(25, 10), 5, accuracy: 1e-6)
    }

    func testStretchEnlargesAboutCenter() {
        let image = TestImages.ramp(width: 17, height: 9)
        let out = CanvasWarp.apply(to: image, mods: [CanvasMod(stretch: Vec2(x: 2, y: 1))])
        // centre x = 8; output x reads 8 + (x − 8) / 2.
        for x in 0..<17 {
            XCTAssertEqual(out.pixel(x, 4).x, (8 + Float(x - 8) / 2) / 16, accuracy: 1e-5)
        }
    }

    // MARK: Zoom and rotation

    func testZoomMagnifiesAboutCenter() {
        let image = TestImages.ramp(width: 16, height: 16)
        let out = CanvasWarp.apply(to: image, mods: [CanvasMod(zoom: 2)])
        for (x, y) in [(0, 0), (3, 12), (15, 15), (8, 7)] {
            let sx = 7.5 + (Float(x) - 7.5) / 2, sy = 7.5 + (Float(y) - 7.5) / 2
            XCTAssertEqual(out.pixel(x, y).x, sx / 15, accuracy: 1e-5, "x at \(x),\(y)")
            XCTAssertEqual(out.pixel(x, y).y, sy / 15, accuracy: 1e-5, "y at \(x),\(y)")
        }
    }

    func testHalfTurnRotationFlipsImage() {
        let image = TestImages.noise(width: 16, height: 10)
        let out = CanvasWarp.apply(to: image, mods: [CanvasMod(rotConst: .pi)])
        for y in 0..<10 {
            for x in 0..<16 {
                let a = out.pixel(x, y), b = image.pixel(15 - x, 9 - y)
                let d = a - b
                XCTAssertLessThan(max(abs(d.x), abs(d.y), abs(d.z)), 1e-4, "pixel \(x),\(y)")
            }
        }
    }

    func testQuarterTurnMovesKnownPixel() {
        var image = Image(width: 16, height: 16)
        image.setPixel(12, 4, SIMD4(1, 0, 0, 1))
        // Output (x, y) reads input (15 − y, x): the red pixel at (12, 4) appears at (4, 3).
        let out = CanvasWarp.apply(to: image, mods: [CanvasMod(rotConst: .pi / 2)])
        XCTAssertEqual(out.pixel(4, 3).x, 1, accuracy: 1e-4)
        XCTAssertEqual(out.pixels.reduce(0, +), 1, accuracy: 1e-3)
    }

    func testExpandAndSpiralAndNoiseStayInsideAndChangeImage() {
        let image = TestImages.noise(width: 24, height: 20)
        let mods = [
            CanvasMod(expand: 3),
            CanvasMod(spiralMargin: 0.2, spiralPeriods: 5),
            CanvasMod(rotAng: 0.3, rotDst: 0.01),
            CanvasMod(noiseRate: Vec2(2), noiseMargin: Vec2(4)),
        ]
        for mod in mods {
            let field = CanvasWarp.field(width: 24, height: 20, mods: [mod])
            XCTAssertEqual(field.stages.count, 1)
            for stage in field.stages {
                for i in stride(from: 0, to: stage.count, by: 2) {
                    XCTAssert(stage[i] >= 0 && stage[i] <= 23 && stage[i + 1] >= 0 && stage[i + 1] <= 19)
                }
            }
            XCTAssertGreaterThan(TestImages.maxDifference(field.apply(to: image), image), 0.05, "\(mod)")
        }
    }

    // MARK: Masks

    func testMaskWeightsSelectMods() {
        let image = TestImages.noise(width: 16, height: 8)
        let mask = Mask(width: 16, height: 8, channels: 2) { x, _, c in (x < 8) == (c == 0) ? 1 : 0 }
        let mods = [CanvasMod.identity, CanvasMod(shift: Vec2(x: 0.125, y: 0))]
        let out = CanvasWarp.apply(to: image, mods: mods, masks: mask)
        for y in 0..<8 {
            for x in 0..<8 { XCTAssertEqual(out.pixel(x, y), image.pixel(x, y)) }
            for x in 8..<16 { XCTAssertEqual(out.pixel(x, y), image.pixel(x - 2, y)) }
        }
    }

    func testModsAverageWithoutMask() {
        let image = TestImages.ramp(width: 16, height: 4)
        let mods = [CanvasMod(shift: Vec2(x: 0.125, y: 0)), CanvasMod(shift: Vec2(x: -0.125, y: 0))]
        XCTAssertEqual(CanvasWarp.apply(to: image, mods: mods), image, "opposite shifts average to none")
    }

    func testValidateRejectsZeroStretch() {
        XCTAssertThrowsError(try CanvasMod(stretch: Vec2(x: 0, y: 1)).validate())
        XCTAssertThrowsError(try CanvasMod(zoom: .nan).validate())
        XCTAssertNoThrow(try CanvasMod(zoom: 1.1, rotConst: 0.1).validate())
    }

    func testLerpMod() {
        let a = CanvasMod(zoom: 1), b = CanvasMod(shift: Vec2(x: 0.2, y: 0), zoom: 2)
        let mid = CanvasMod.lerp(a, b, 0.5)
        XCTAssertEqual(mid.zoom, 1.5)
        XCTAssertEqual(mid.shift, Vec2(x: 0.1, y: 0))
    }

    // MARK: Animation

    func testAnimationIsLazyFeedback() {
        let start = TestImages.noise(width: 16, height: 8)
        var animation = CanvasAnimation(start: start, mods: [CanvasMod(shift: Vec2(x: 0.0625, y: 0))])
        let frames = animation.frames(3)
        XCTAssertEqual(frames.count, 3)
        XCTAssertEqual(frames[0], start)
        XCTAssertEqual(frames[2].pixel(10, 3), start.pixel(8, 3), "two steps of one pixel each")
        XCTAssertEqual(animation.frameIndex, 2)
    }

    func testAnimationAdvancesMaskInTime() {
        let start = TestImages.noise(width: 16, height: 8)
        let spec = MaskSpec.interpolation(InterpolationMask(channels: 2, period: 1, blend: 0.001))
        var animation = CanvasAnimation(start: start, mods: [.identity, CanvasMod(shift: Vec2(x: 0.0625, y: 0))],
                                        mask: spec)
        _ = animation.next()
        let first = animation.next()!
        XCTAssertEqual(first, start, "t = 0 selects the identity mod")
        XCTAssertEqual(animation.mask?.channel(0).first, 1)
        let second = animation.next()!
        XCTAssertEqual(second.pixel(5, 2), start.pixel(4, 2), "t = 1 selects the shift")
    }

    func testGridPattern() {
        let grid = CanvasPattern.grid(width: 64, height: 48)
        XCTAssertEqual(grid.pixel(0, 5), SIMD4(1, 0, 0, 1))
        XCTAssertEqual(grid.pixel(5, 5), SIMD4(0, 0, 0, 1))
        XCTAssertEqual(grid.pixel(32, 24), SIMD4(0, 1, 0, 1))
    }
}
