import XCTest
import Media
import Render
import TestSupport
@testable import TUI

final class PaneRenderingTests: XCTestCase {
    override func tearDown() { Fixture.cleanUp() }

    func testAllPanesAndStatusBarDraw() throws {
        let (core, screen) = try Fixture.core()
        for title in ["1 Models", "2 Media", "3 Downloads", "4 Preview"] {
            XCTAssertTrue(screen.contains(title), "missing \(title)\n\(screen.text)")
        }
        XCTAssertTrue(screen.contains("Fake Dream"))
        XCTAssertTrue(screen.contains("ready"))
        XCTAssertTrue(screen.contains("Parameters"))
        XCTAssertTrue(screen.contains("[ Run ]"))
        XCTAssertTrue(screen.contains("maestro"))
        XCTAssertTrue(screen.line(35).contains("? help"))
        // The focused pane's border uses the focus role, the others the border role.
        let models = Layout(size: core.state.size).models, media = Layout(size: core.state.size).media
        XCTAssertEqual(screen.style(row: models.row, column: models.column).role, .focus)
        XCTAssertEqual(screen.style(row: media.row, column: media.column).role, .border)
        core.press(.tab)
        core.render(on: screen)
        XCTAssertEqual(screen.style(row: models.row, column: models.column).role, .border)
        XCTAssertEqual(screen.style(row: media.row, column: media.column).role, .focus)
    }

    func testModelCardShowsTaskCheckpointsAndSelection() throws {
        let dir = try TemporaryDirectory(prefix: "mlwb-tui")
        defer { dir.remove() }
        var model = FakeDreamModel()
        model.checkpointIDs = ["fake_ckpt"]
        let (core, screen) = try Fixture.core(model: model, store: try Fixture.store(in: dir, present: true))
        XCTAssertTrue(screen.contains("task image-to-image"))
        XCTAssertTrue(screen.contains("ckpt fake_ckpt 1.0 kB CC0 ✓ ready"), screen.text)
        let row = try XCTUnwrap(screen.find("▸ Fake Dream")).row
        XCTAssertEqual(screen.style(row: row, column: 3).role, .selection)
        core.press(.enter, .down)
        core.render(on: screen)
        let steps = try XCTUnwrap(screen.find(" Steps")).row
        XCTAssertEqual(screen.style(row: steps, column: 3).role, .selection)
        XCTAssertTrue(screen.contains("steps per octave"), "the field's help shows under it")
    }

    func testMediaListsAssetsWithDetails() throws {
        let (core, screen) = try Fixture.core(directory: Fixture.assets)
        XCTAssertTrue(screen.contains("images/"))
        for (dir, name, detail) in [("images", "sample.png", "256×256"), ("audio", "arpeggio.wav", "3.50 s · 22050 Hz · 1 ch"),
                                    ("midi", "arpeggio.mid", "3.40 s · 11 notes"), ("masks", "arcs-3.png", "256×256")] {
            core.dispatch(.focus(.media))
            let index = try XCTUnwrap(core.state.media.entries.firstIndex { $0.name == dir + "/" })
            core.press(.home)
            for _ in 0..<index { core.press(.down) }
            core.press(.enter)
            XCTAssertTrue(core.waitUntil { $0.media.directory.hasSuffix(dir) && !$0.media.loading })
            core.render(on: screen)
            let row = try XCTUnwrap(screen.find(name), "\(name) not listed\n\(screen.text)").row
            XCTAssertTrue(screen.line(row).contains(detail), screen.line(row))
            core.press(.left)
            XCTAssertTrue(core.waitUntil { $0.media.directory == Fixture.assets && !$0.media.loading })
        }
    }

    func testPreviewOfEachKindWritesHalfBlocks() throws {
        for (path, kind, info) in [("images/sample.png", MediaKind.image, "256×256"), ("masks/arcs-3.png", .mask, "3 channels"),
                                   ("audio/arpeggio.wav", .audio, "waveform + log-mel"), ("midi/arpeggio.mid", .midi, "11 notes")] {
            let (core, screen) = try Fixture.core()
            _ = screen.takeRaw()
            core.dispatch(.show(Fixture.assets + "/" + path))
            XCTAssertEqual(core.state.preview.source, .media(path: Fixture.assets + "/" + path, kind: kind))
            XCTAssertTrue(core.waitUntil { $0.preview.picture != nil }, "\(path) did not load: \(core.state.preview.error ?? "")")
            core.render(on: screen)
            let raw = String(decoding: screen.takeRaw(), as: UTF8.self)
            XCTAssertTrue(raw.contains("▀") || raw.contains("▄"), "\(path): no half-blocks")
            XCTAssertTrue(raw.contains("\u{1B}[38;2;") || raw.contains("\u{1B}[48;2;"), "\(path): no 24-bit colour")
            XCTAssertTrue(screen.text.contains(info), "\(path): info line lacks \(info)")
            // Nothing changed: nothing is written again.
            core.render(on: screen)
            XCTAssertTrue(screen.takeRaw().isEmpty)
        }
    }

    func testPreviewPlacesPictureInsidePaneAndPaletteModes() throws {
        let (core, screen) = try Fixture.core()
        core.dispatch(.show(Fixture.assets + "/images/sample.png"))
        XCTAssertTrue(core.waitUntil { $0.preview.picture != nil })
        core.render(on: screen)
        let raw = String(decoding: screen.takeRaw(), as: UTF8.self)
        // Every cursor move lands inside the picture area (1-based row;col).
        let area = Layout(size: core.state.size).pictureArea
        var moves = 0
        for part in raw.components(separatedBy: "\u{1B}[").dropFirst() {
            guard let h = part.firstIndex(of: "H") else { continue }
            let nums = part[..<h].split(separator: ";").compactMap { Int($0) }
            guard nums.count == 2 else { continue }
            moves += 1
            XCTAssertTrue(area.contains(row: nums[0] - 1, column: nums[1] - 1), "move to \(nums) outside \(area)")
        }
        XCTAssertGreaterThan(moves, 0)
        // 256 colours.
        var painter = PreviewPainter(mode: .palette256)
        let screen256 = MemoryScreen(columns: 120, rows: 36, colorMode: .palette256)
        XCTAssertEqual(painter.paint(core.state, on: screen256, now: 0), .painted)
        let text256 = String(decoding: screen256.raw, as: UTF8.self)
        XCTAssertTrue(text256.contains("38;5;") || text256.contains("48;5;"))
        XCTAssertFalse(text256.contains("38;2;"))
    }

    func testOverlayFreezesPreviewAndClosingRepaintsIt() throws {
        let (core, screen) = try Fixture.core()
        core.dispatch(.show(Fixture.assets + "/images/sample.png"))
        XCTAssertTrue(core.waitUntil { $0.preview.picture != nil })
        core.render(on: screen)
        XCTAssertFalse(screen.takeRaw().isEmpty)
        core.press(.character("?"))
        core.render(on: screen)
        XCTAssertTrue(screen.takeRaw().isEmpty, "no preview output under an overlay")
        XCTAssertTrue(screen.contains("Keys — Esc closes"))
        core.press(.escape)
        core.render(on: screen)
        XCTAssertFalse(screen.takeRaw().isEmpty, "the preview is drawn again in full")
    }

    func testHelpOverlayListsEveryBindingAndScrolls() throws {
        let (core, screen) = try Fixture.core(columns: 140, rows: 60)
        core.press(.character("?"))
        core.render(on: screen)
        for binding in Keymap.bindings.prefix(30) {
            XCTAssertTrue(screen.contains(binding.keys), "help lacks \(binding.keys)")
        }
        let (small, smallScreen) = try Fixture.core(columns: 80, rows: 24)
        small.press(.character("?"))
        small.render(on: smallScreen)
        XCTAssertTrue(smallScreen.contains("Tab / Shift-Tab"))
        XCTAssertTrue(smallScreen.text.contains(" of "), "a scroll position shows when help is longer than the window")
        small.press(.end)
        small.render(on: smallScreen)
        XCTAssertTrue(smallScreen.contains("Ctrl-C"))
        XCTAssertFalse(smallScreen.contains("Tab / Shift-Tab"))
        small.press(.escape)
        XCTAssertNil(small.state.overlay)
    }

    func testResizeToTinyAndBack() throws {
        let (core, screen) = try Fixture.core()
        screen.resize(columns: 40, rows: 10)
        core.resize(to: screen.size)
        core.render(on: screen)
        XCTAssertTrue(screen.text.contains("terminal too small"), screen.text)
        XCTAssertTrue(screen.text.contains("60×18"))
        XCTAssertFalse(screen.contains("1 Models"))
        core.press(.tab)  // ignored
        XCTAssertEqual(core.state.focus, .models)
        screen.resize(columns: 60, rows: 18)
        core.resize(to: screen.size)
        core.render(on: screen)
        XCTAssertTrue(screen.contains("1 Models"))
        XCTAssertTrue(screen.contains("3 Downloads"))
        XCTAssertFalse(screen.text.contains("too small"))
        screen.resize(columns: 200, rows: 60)
        core.resize(to: screen.size)
        core.render(on: screen)
        XCTAssertTrue(screen.line(59).contains("? help"))
    }

    func testLogOverlayAndErrors() throws {
        let (core, screen) = try Fixture.core()
        core.dispatch(.show("/nonexistent/picture.png"))
        XCTAssertTrue(core.waitUntil { $0.preview.error != nil })
        core.render(on: screen)
        XCTAssertTrue(screen.contains("cannot preview picture.png"))
        core.press(.character("L"))
        core.render(on: screen)
        XCTAssertTrue(screen.contains("Log · ↑↓ select · y copies · Esc closes"), screen.text)
        let row = try XCTUnwrap(screen.find("ERROR")).row
        XCTAssertTrue(screen.line(row).contains("picture.png"))
    }

    func testMonoThemeWorksWithoutColour() throws {
        let (core, screen) = try Fixture.core()
        core.press(.character(":")); core.type("theme mono"); core.press(.enter)
        core.render(on: screen)
        XCTAssertEqual(screen.theme?.name, "mono")
        XCTAssertEqual(core.state.theme.resolved(.selection).attributes, .reverse)
    }
}
