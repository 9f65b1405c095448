import Render
import TestSupport
@testable import TUI
import XCTest

/// The Preview pane in a pixel protocol: one image per picture version, placed inside the pane,
/// the older kitty image deleted, and the shown one deleted under an overlay and on exit.
final class PreviewPixelTests: XCTestCase {
    override class func tearDown() { Fixture.cleanUp() }

    private func ids(_ raw: String, _ pattern: String) -> [String] {
        raw.components(separatedBy: pattern).dropFirst().map { String($0.prefix { $0.isNumber }) }
    }

    func testKittyFramesReplaceAndDelete() throws {
        let (core, screen) = try Fixture.core(pixels: PixelRenderer(.kitty, cell: CellPixelSize(width: 8, height: 16)))
        core.dispatch(.show(Fixture.assets + "/images/sample.png"))
        XCTAssertTrue(core.waitUntil { $0.preview.picture != nil })
        core.render(on: screen)
        let first = String(decoding: screen.takeRaw(), as: UTF8.self)
        XCTAssertTrue(first.contains("\u{1B}_Ga=T,f=24,"), String(first.prefix(80)))
        XCTAssertFalse(first.contains("▀"), "no half-blocks in pixel mode")
        // Placed with a cursor move inside the picture area, the cursor saved and restored around it.
        let area = Layout(size: core.state.size).pictureArea
        let move = first.components(separatedBy: "\u{1B}7\u{1B}[")[1].prefix { $0 != "H" }.split(separator: ";").compactMap { Int($0) }
        XCTAssertEqual(move.count, 2)
        XCTAssertTrue(area.contains(row: move[0] - 1, column: move[1] - 1), "\(move) outside \(area)")
        XCTAssertTrue(first.hasSuffix("\u{1B}8"))
        let firstID = try XCTUnwrap(ids(first, ",i=").first)
        // Nothing changed: nothing sent.
        core.render(on: screen)
        XCTAssertTrue(screen.takeRaw().isEmpty)
        // A new picture: a new id, and the old one deleted.
        core.dispatch(.show(Fixture.assets + "/masks/arcs-3.png"))
        let version = core.state.preview.version
        XCTAssertTrue(core.waitUntil { $0.preview.version != version && $0.preview.picture != nil })
        Thread.sleep(forTimeInterval: 0.15)  // past the pixel frame limit
        core.render(on: screen)
        let second = String(decoding: screen.takeRaw(), as: UTF8.self)
        XCTAssertTrue(second.contains("a=T,f=24,"), String(second.prefix(80)))
        XCTAssertTrue(second.contains("a=d,d=I,q=2,i=\(firstID)"), "the first image is deleted")
        // An overlay: the image shown is deleted (kitty draws above the text layer).
        core.press(.character("?"))
        core.render(on: screen)
        let overlay = String(decoding: screen.takeRaw(), as: UTF8.self)
        XCTAssertTrue(overlay.contains("a=d,d=I"), "the image is removed under the overlay")
        XCTAssertFalse(overlay.contains("a=T"))
        core.press(.escape)
        Thread.sleep(forTimeInterval: 0.15)
        core.render(on: screen)
        XCTAssertTrue(String(decoding: screen.takeRaw(), as: UTF8.self).contains("a=T"), "drawn again after the overlay")
        core.removeImages(on: screen)
        XCTAssertTrue(String(decoding: screen.takeRaw(), as: UTF8.self).contains("a=d,d=I"), "deleted on exit")
    }

    func testSixelPreviewIsOneSequence() throws {
        let (core, screen) = try Fixture.core(pixels: PixelRenderer(.sixel, cell: CellPixelSize(width: 8, height: 16)))
        core.dispatch(.show(Fixture.assets + "/images/sample.png"))
        XCTAssertTrue(core.waitUntil { $0.preview.picture != nil })
        core.render(on: screen)
        let raw = String(decoding: screen.takeRaw(), as: UTF8.self)
        XCTAssertEqual(raw.components(separatedBy: "\u{1B}P0;1;0q").count, 2, "one sixel image")
        core.removeImages(on: screen)
        XCTAssertTrue(screen.takeRaw().isEmpty, "sixel pixels are simply drawn over")
    }
}
