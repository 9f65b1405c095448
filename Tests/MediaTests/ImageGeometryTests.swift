import XCTest
@testable import Media

final class ImageGeometryTests: XCTestCase {
    private func ramp(_ w: Int, _ h: Int) -> Image {
        Image(width: w, height: h) { x, y in SIMD4(Float(x) / Float(w), Float(y) / Float(h), 0.5, 1) }
    }

    func testCropTakesTheNamedRectangle() throws {
        let image = ramp(10, 8)
        let crop = try image.cropped(x: 2, y: 3, width: 4, height: 2)
        XCTAssertEqual(crop.width, 4)
        XCTAssertEqual(crop.pixel(0, 0), image.pixel(2, 3))
        XCTAssertEqual(crop.pixel(3, 1), image.pixel(5, 4))
        XCTAssertThrowsError(try image.cropped(x: 8, y: 0, width: 4, height: 2)) {
            XCTAssertTrue("\($0)".contains("outside the 10×8 image"))
        }
    }

    func testCenterCropToAspect() throws {
        let crop = try ramp(300, 100).centerCropped(toAspect: 1)
        XCTAssertEqual(crop.width, 100)
        XCTAssertEqual(crop.height, 100)
        XCTAssertEqual(crop.pixel(0, 0), ramp(300, 100).pixel(100, 0))
        let tall = try ramp(100, 300).centerCropped(toAspect: 2)
        XCTAssertEqual(tall.width, 100)
        XCTAssertEqual(tall.height, 50)
    }

    func testPadModes() {
        let image = ramp(3, 2)
        let solid = image.padded(top: 1, left: 2, bottom: 0, right: 1, mode: .color(SIMD4(1, 0, 0, 1)))
        XCTAssertEqual(solid.width, 6); XCTAssertEqual(solid.height, 3)
        XCTAssertEqual(solid.pixel(0, 0), SIMD4(1, 0, 0, 1))
        XCTAssertEqual(solid.pixel(2, 1), image.pixel(0, 0))
        let edge = image.padded(top: 0, left: 2, bottom: 0, right: 0, mode: .edge)
        XCTAssertEqual(edge.pixel(0, 1), image.pixel(0, 1))
        let mirror = image.padded(top: 0, left: 2, bottom: 0, right: 0, mode: .reflect)
        XCTAssertEqual(mirror.pixel(1, 0), image.pixel(0, 0))
        XCTAssertEqual(mirror.pixel(0, 0), image.pixel(1, 0))
    }

    func testMirrorWrap() {
        XCTAssertEqual((-3...7).map { Image.mirror($0, 3) }, [2, 1, 0, 0, 1, 2, 2, 1, 0, 0, 1])
        XCTAssertEqual(Image.mirror(-5, 1), 0)
    }

    func testBlend() throws {
        let black = Image(width: 2, height: 2, fill: [0, 0, 0])
        let white = Image(width: 2, height: 2, fill: [1, 1, 1])
        let mid = try black.blended(with: white, amount: 0.25)
        XCTAssertEqual(mid.pixel(1, 1).x, 0.25, accuracy: 1e-6)
        XCTAssertThrowsError(try black.blended(with: Image(width: 3, height: 2), amount: 0.5))
    }

    func testGridLaysOutCellsWithSpacing() throws {
        let red = Image(width: 4, height: 4, fill: [1, 0, 0])
        let blue = Image(width: 8, height: 8, fill: [0, 0, 1])
        let grid = try Image.grid([red, blue, red], columns: 2, spacing: 1, background: SIMD4(1, 1, 1, 1))
        XCTAssertEqual(grid.width, 9)
        XCTAssertEqual(grid.height, 9)
        XCTAssertEqual(grid.pixel(0, 0), SIMD4(1, 0, 0, 1))
        XCTAssertEqual(grid.pixel(4, 0), SIMD4(1, 1, 1, 1), "spacing")
        XCTAssertEqual(grid.pixel(6, 2).z, 1, accuracy: 1e-5, "the blue image is shrunk into its cell")
        XCTAssertEqual(grid.pixel(8, 8), SIMD4(1, 1, 1, 1), "empty cell keeps the background")
    }

    func testFlattenAndLuminance() {
        var image = Image(width: 1, height: 1, hasAlpha: true, fill: [1, 1, 1, 0.5])
        XCTAssertEqual(image.flattened().pixel(0, 0).x, 0.5, accuracy: 1e-6)
        image = Image(width: 1, height: 1, fill: [1, 0, 0])
        XCTAssertEqual(image.luminance()[0], 0.299, accuracy: 1e-6)
    }

    func testOversizedImagesAreRefused() {
        XCTAssertThrowsError(try Image.checkSize(width: 70000, height: 10, source: "x.png")) {
            XCTAssertTrue("\($0)".contains("too large"))
        }
        XCTAssertNoThrow(try Image.checkSize(width: 4096, height: 4096))
    }
}
