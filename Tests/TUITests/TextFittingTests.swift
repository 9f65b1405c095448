import XCTest
@testable import TUI

/// Text that does not fit: help wrapped to its box, cut lines ending in "…", the whole model card.
final class TextFittingTests: XCTestCase {
    override func tearDown() { Fixture.cleanUp() }

    func testHelpLinesFitTheBoxTheyAreIn() throws {
        for width in [50, 76, 120] {
            for line in OverlayView.helpLines(width: width) {
                XCTAssertLessThanOrEqual(line.width, width, "'\(line.plain)' at \(width)")
            }
        }
        // At the smallest terminal no help row is cut.
        let (core, screen) = try Fixture.core(columns: 60, rows: 18)
        core.press(.character("?"))
        let box = OverlayView.frame(for: core.state.size, lines: 100, wide: true)
        for _ in 0..<12 {
            core.render(on: screen)
            for row in box.row + 1..<box.bottom - 1 {
                let inside = String(Array(screen.line(row))[box.column..<box.right])
                XCTAssertFalse(inside.contains("…"), "cut: \(inside)")
            }
            core.press(.pageDown)
        }
    }

    func testCutLinesEndWithAnEllipsisAndFittingOnesDoNot() {
        let screen = MemoryScreen(columns: 20, rows: 2)
        StyledLine("a line that is far too long for it").draw(on: screen, row: 0, column: 0, width: 12)
        XCTAssertEqual(screen.line(0).prefix(12), "a line that…")
        StyledLine([("fits", .text), (String(repeating: " ", count: 30), .text)]).draw(on: screen, row: 1, column: 0, width: 12)
        XCTAssertEqual(screen.line(1).prefix(12), "fits        ", "padding is not cut text")
    }

    func testTheWholeModelCardOpensWithI() throws {
        let (core, screen) = try Fixture.core(columns: 100, rows: 30)
        core.press(.character("i"))
        core.render(on: screen)
        XCTAssertTrue(screen.contains("Fake Dream"), screen.text)
        XCTAssertTrue(screen.contains("--step-size"), screen.text)
        XCTAssertTrue(screen.contains("task: image-to-image") || screen.contains("task: imageToImage") || screen.contains("task: "), screen.text)
        XCTAssertTrue(screen.contains("steps per octave"), "parameter help is shown:\n\(screen.text)")
    }

    func testAFilterHidingTheSelectedModelHidesItsCard() throws {
        let (core, screen) = try Fixture.core()
        core.render(on: screen)
        XCTAssertTrue(screen.contains("task "))
        core.press(.character("/"))
        core.type("zzz")
        core.press(.enter)
        core.render(on: screen)
        XCTAssertTrue(screen.contains("no model matches /zzz"), screen.text)
        XCTAssertFalse(screen.contains("task "), "the hidden model's card is gone:\n\(screen.text)")
        XCTAssertFalse(screen.contains("[ Run ]"))
    }
}
