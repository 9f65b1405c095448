import Foundation
import TestSupport
import XCTest
@testable import TUI

/// Clicks and wheel turns, at the cells where the memory screen shows the rows.
final class MouseTests: XCTestCase {
    override func tearDown() { Fixture.cleanUp() }

    private func click(_ core: WorkbenchCore, _ screen: MemoryScreen, on text: String, file: StaticString = #filePath, line: UInt = #line) {
        core.render(on: screen)
        guard let cell = screen.find(text) else { return XCTFail("'\(text)' is not on screen:\n\(screen.text)", file: file, line: line) }
        core.handle(.mouse(MouseEvent(.click, row: cell.row, column: cell.column)))
        core.render(on: screen)
    }

    // MARK: Clicks

    func testClickingAFormFieldSelectsItAndASecondClickEditsIt() throws {
        let (core, screen) = try Fixture.core()
        XCTAssertEqual(core.state.models.section, .list)
        click(core, screen, on: "Step size")
        XCTAssertEqual(core.state.focus, .models)
        XCTAssertEqual(core.state.models.section, .form)
        XCTAssertEqual(core.state.models.field, 2)
        XCTAssertNil(core.state.models.editing)
        click(core, screen, on: "Step size")
        XCTAssertNotNil(core.state.models.editing, "a click on the selected field opens its editor")
        // While typing, clicks do nothing (Enter or Esc ends the edit).
        core.handle(.mouse(MouseEvent(.click, row: 0, column: 0)))
        XCTAssertNotNil(core.state.models.editing)
        core.press(.escape)
        click(core, screen, on: "[ Run ]")
        XCTAssertEqual(core.state.models.field, core.state.models.current?.parameters.count)
    }

    func testClickingAMediaRowFocusesMediaSelectsAndPreviewsIt() throws {
        let dir = try TemporaryDirectory(prefix: "mlwb-mouse")
        defer { dir.remove() }
        try FileManager.default.createDirectory(atPath: dir.file("takes"), withIntermediateDirectories: true)
        let media = try SharedData.require("media/dog.png")
        try FileManager.default.copyItem(atPath: media, toPath: dir.file("dog.png"))
        let (core, screen) = try Fixture.core(directory: dir.path)
        XCTAssertEqual(core.state.focus, .models)
        click(core, screen, on: "▣ dog.png")
        XCTAssertEqual(core.state.focus, .media)
        XCTAssertEqual(core.state.media.current?.name, "dog.png")
        XCTAssertEqual(core.state.preview.source, .media(path: dir.file("dog.png"), kind: .image))
        // A second click on the selected row is Enter: the image becomes the input.
        click(core, screen, on: "▣ dog.png")
        XCTAssertEqual(core.state.media.input, dir.file("dog.png"))
        // A click on a folder selects it; the second opens it.
        click(core, screen, on: "▸ takes/")
        XCTAssertEqual(core.state.media.current?.name, "takes/")
        click(core, screen, on: "▸ takes/")
        XCTAssertTrue(core.waitUntil { !$0.media.loading && $0.media.directory.hasSuffix("takes") }, core.state.media.directory)
    }

    func testClickingADatasetRowSelectsItAndABorderOnlyFocuses() throws {
        let (core, screen) = try Fixture.core()
        XCTAssertTrue(core.waitUntil { !$0.downloads.datasets.isEmpty })
        click(core, screen, on: "musicnet")
        XCTAssertEqual(core.state.focus, .downloads)
        XCTAssertEqual(core.state.downloads.currentDataset?.id, "musicnet")
        // The Preview pane's border: focus only.
        let preview = Layout(size: core.state.size).preview
        core.handle(.mouse(MouseEvent(.click, row: preview.row, column: preview.column + 5)))
        XCTAssertEqual(core.state.focus, .preview)
        // The status bar: nothing.
        core.handle(.mouse(MouseEvent(.click, row: core.state.size.rows - 1, column: 3)))
        XCTAssertEqual(core.state.focus, .preview)
    }

    // MARK: Wheel

    func testTheWheelMovesTheListUnderThePointerAndScrollsOverlays() throws {
        let (core, screen) = try Fixture.core()
        XCTAssertTrue(core.waitUntil { $0.downloads.rowCount >= 3 })
        let downloads = Layout(size: core.state.size).downloads
        core.handle(.mouse(MouseEvent(.wheelDown, row: downloads.row + 2, column: downloads.column + 4)))
        XCTAssertEqual(core.state.focus, .downloads)
        XCTAssertEqual(core.state.downloads.selected, min(3, core.state.downloads.rowCount - 1))
        core.handle(.mouse(MouseEvent(.wheelUp, row: downloads.row + 2, column: downloads.column + 4)))
        XCTAssertEqual(core.state.downloads.selected, 0)
        // With the help open the wheel scrolls it, whatever is under the pointer.
        core.press(.character("?"))
        core.render(on: screen)
        let before = screen.text
        core.handle(.mouse(MouseEvent(.wheelDown, row: 10, column: 10)))
        core.render(on: screen)
        XCTAssertNotEqual(screen.text, before, "the help scrolled")
        XCTAssertEqual(core.state.downloads.selected, 0, "the list under the overlay did not move")
    }

    // MARK: Hit testing

    func testHitTestFollowsTheListsScrolling() throws {
        // A short terminal: the Models list scrolls to keep the selected field in view; the row
        // under a cell is the row drawn there, not the row at that offset from the top.
        let (core, screen) = try Fixture.core(columns: 100, rows: 20)
        core.press(.enter)  // open the form
        for _ in 0..<6 { core.press(.down) }  // [ Run ]
        core.render(on: screen)
        guard let run = screen.find("[ Run ]") else { return XCTFail(screen.text) }
        XCTAssertEqual(HitTest.hit(row: run.row, column: run.column, in: core.state)?.target, .field(6))
        guard let start = screen.find("Start") else { return XCTFail(screen.text) }
        XCTAssertEqual(HitTest.hit(row: start.row, column: start.column, in: core.state)?.target, .field(5))
    }
}
