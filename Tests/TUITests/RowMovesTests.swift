import XCTest
@testable import TUI

/// When the text layer may make curses scroll terminal rows (and the picture with them).
final class RowMovesTests: XCTestCase {
    func testALineMovingUpIsAPossibleScroll() {
        let old = ["a", "b", "c", "d"].map(RowMoves.hash)
        XCTAssertTrue(RowMoves.mayScroll(from: old, to: ["b", "c", "d", "e"].map(RowMoves.hash)))
        XCTAssertTrue(RowMoves.mayScroll(from: old, to: ["a", "c", "d", "d"].map(RowMoves.hash)))
    }

    func testEditsInPlaceAreNot() {
        let old = ["a", "b", "c", "d"].map(RowMoves.hash)
        XCTAssertFalse(RowMoves.mayScroll(from: old, to: old))
        XCTAssertFalse(RowMoves.mayScroll(from: old, to: ["a", "B", "c", "D"].map(RowMoves.hash)))
        // Nothing presented before (after an invalidation), or another size: a full repaint anyway.
        XCTAssertFalse(RowMoves.mayScroll(from: [], to: old))
        XCTAssertFalse(RowMoves.mayScroll(from: old, to: ["a", "b"].map(RowMoves.hash)))
    }

    func testTheCoreRepaintsThePictureWhenRowsMove() throws {
        // Tall enough that the Media list (the checkout's folders) sits beside the picture.
        let (core, screen) = try Fixture.core(columns: 120, rows: 64)
        core.press(.character(":")); core.type("show " + Fixture.assets + "/images/sample.png"); core.press(.enter)
        XCTAssertTrue(core.waitUntil { $0.preview.picture != nil })
        core.render(on: screen)
        XCTAssertFalse(screen.takeRaw().isEmpty)
        let invalidations = screen.invalidations
        // Typing in place (the filter line) moves nothing; removing list rows moves the rest up.
        core.press(.character("2"), .character("/"))
        core.render(on: screen)
        _ = screen.takeRaw()
        XCTAssertEqual(screen.invalidations, invalidations)
        core.type("t")                            // Sources/ goes, Tests/ and themes/ move up
        core.render(on: screen)
        XCTAssertGreaterThan(screen.invalidations, invalidations, "rows moved: the screen is repainted in full")
        XCTAssertFalse(screen.takeRaw().isEmpty, "and the picture with it")
    }
}
