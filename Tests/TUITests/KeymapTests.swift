import XCTest
@testable import TUI

/// Every key binding the help overlay lists, checked against the keymap.
final class KeymapTests: XCTestCase {
    private func state(focus: PaneID = .models, form: Bool = false) -> AppState {
        var s = AppState(size: TerminalSize(columns: 120, rows: 36))
        s.focus = focus
        s.models.section = form ? .form : .list
        return s
    }

    private func actions(_ key: Key, _ s: AppState) -> String {
        Keymap.actions(for: key, in: s).map(describe).joined(separator: ",")
    }

    /// A stable name for an action (enum interpolation would include module names).
    private func describe(_ a: Action) -> String {
        switch a {
        case .focus(let p): return "focus(\(p))"
        case .move(let n): return "move(\(n))"
        case .page(let n): return "page(\(n))"
        case .jump(let top): return "jump(toTop: \(top))"
        case .adjust(let n): return "adjust(\(n))"
        case .scrollOverlay(let n): return "scrollOverlay(\(n))"
        case .answer(let yes): return "answer(\(yes))"
        case .edit(let key): return "edit(\(key))"
        default: return "\(a)"
        }
    }

    func testFocusKeys() {
        let s = state()
        XCTAssertEqual(actions(.tab, s), "focusNext")
        XCTAssertEqual(actions(.backTab, s), "focusPrevious")
        XCTAssertEqual(actions(.character("1"), s), "focus(models)")
        XCTAssertEqual(actions(.character("2"), s), "focus(media)")
        XCTAssertEqual(actions(.character("3"), s), "focus(downloads)")
        XCTAssertEqual(actions(.character("4"), s), "focus(preview)")
    }

    func testMovementKeys() {
        for pane in PaneID.allCases {
            let s = state(focus: pane)
            XCTAssertEqual(actions(.up, s), "move(-1)")
            XCTAssertEqual(actions(.character("k"), s), "move(-1)")
            XCTAssertEqual(actions(.down, s), "move(1)")
            XCTAssertEqual(actions(.character("j"), s), "move(1)")
            XCTAssertEqual(actions(.pageUp, s), "page(-1)")
            XCTAssertEqual(actions(.pageDown, s), "page(1)")
            XCTAssertEqual(actions(.home, s), "jump(toTop: true)")
            XCTAssertEqual(actions(.end, s), "jump(toTop: false)")
            XCTAssertEqual(actions(.enter, s), "activate")
            XCTAssertEqual(actions(.character(" "), s), "toggle")
        }
    }

    func testModelsKeys() {
        let list = state(focus: .models), form = state(focus: .models, form: true)
        XCTAssertEqual(actions(.right, list), "activate")
        XCTAssertEqual(actions(.character("l"), list), "activate")
        XCTAssertEqual(actions(.left, list), "")
        XCTAssertEqual(actions(.left, form), "adjust(-1)")
        XCTAssertEqual(actions(.character("h"), form), "adjust(-1)")
        XCTAssertEqual(actions(.right, form), "adjust(1)")
        XCTAssertEqual(actions(.character("l"), form), "adjust(1)")
        XCTAssertEqual(actions(.character("-"), form), "adjust(-1)")
        XCTAssertEqual(actions(.character("+"), form), "adjust(1)")
        XCTAssertEqual(actions(.character("D"), form), "resetField")
        XCTAssertEqual(actions(.escape, form), "back")
        XCTAssertEqual(actions(.backspace, form), "back")
    }

    func testMediaKeys() {
        var s = state(focus: .media)
        XCTAssertEqual(actions(.left, s), "back")
        XCTAssertEqual(actions(.character("h"), s), "back")
        XCTAssertEqual(actions(.backspace, s), "back")
        XCTAssertEqual(actions(.character("a"), s), "toggleAnimation")
        s.media.entries = [MediaEntry(name: "x/", path: "x", kind: .directory, bytes: 0, detail: "")]
        XCTAssertEqual(actions(.right, s), "activate")
        XCTAssertEqual(actions(.character("l"), s), "activate")
    }

    func testDownloadsKeys() {
        let s = state(focus: .downloads)
        XCTAssertEqual(actions(.character("p"), s), "transferToggle")
        XCTAssertEqual(actions(.character("x"), s), "transferCancel")
        XCTAssertEqual(actions(.character("r"), s), "transferRetry")
        XCTAssertEqual(actions(.character("g"), s), "datasetGet")
        XCTAssertEqual(actions(.character("v"), s), "datasetVerify")
    }

    func testPreviewKeys() {
        let s = state(focus: .preview)
        XCTAssertEqual(actions(.character("a"), s), "toggleAnimation")
    }

    func testGlobalKeys() {
        let s = state(focus: .media)
        XCTAssertEqual(actions(.character("r"), s), "run")
        XCTAssertEqual(actions(.character("p"), s), "togglePause")
        XCTAssertEqual(actions(.character("x"), s), "stop")
        XCTAssertEqual(actions(.character("s"), s), "saveFrame")
        XCTAssertEqual(actions(.character("/"), s), "beginFilter")
        XCTAssertEqual(actions(.character(":"), s), "beginCommand")
        XCTAssertEqual(actions(.character("t"), s), "cycleTheme")
        XCTAssertEqual(actions(.character("L"), s), "showLog")
        XCTAssertEqual(actions(.character("?"), s), "showHelp")
        XCTAssertEqual(actions(.function(1), s), "showHelp")
        XCTAssertEqual(actions(.control("l"), s), "redraw")
        XCTAssertEqual(actions(.character("q"), s), "requestQuit")
        XCTAssertEqual(actions(.control("c"), s), "interrupt")
    }

    func testOverlayTakesKeys() {
        var s = state()
        s.overlay = .help(scroll: 0)
        XCTAssertEqual(actions(.escape, s), "closeOverlay")
        XCTAssertEqual(actions(.character("q"), s), "closeOverlay")
        XCTAssertEqual(actions(.character("?"), s), "closeOverlay")
        XCTAssertEqual(actions(.down, s), "scrollOverlay(1)")
        XCTAssertEqual(actions(.character("k"), s), "scrollOverlay(-1)")
        XCTAssertEqual(actions(.pageDown, s), "scrollOverlay(10)")
        XCTAssertEqual(actions(.character("r"), s), "")
        s.overlay = .confirm(.quit(reason: "busy"))
        XCTAssertEqual(actions(.character("y"), s), "answer(true)")
        XCTAssertEqual(actions(.enter, s), "answer(true)")
        XCTAssertEqual(actions(.character("n"), s), "answer(false)")
        XCTAssertEqual(actions(.escape, s), "answer(false)")
        XCTAssertEqual(actions(.character("q"), s), "answer(false)")
    }

    func testEditorsTakeKeys() {
        var s = state()
        s.commandLine = LineEditor()
        XCTAssertEqual(actions(.character("q"), s), "edit(q)")
        XCTAssertEqual(actions(.tab, s), "edit(Tab)")
        s.commandLine = nil
        s.filterEditing = (.media, LineEditor())
        XCTAssertEqual(actions(.character("1"), s), "edit(1)")
    }

    func testTooSmallOnlyQuits() {
        var s = state()
        s.size = TerminalSize(columns: 40, rows: 10)
        XCTAssertEqual(actions(.character("q"), s), "requestQuit")
        XCTAssertEqual(actions(.tab, s), "")
        XCTAssertEqual(actions(.control("c"), s), "interrupt")
    }

    func testEveryHelpBindingIsListedInHelp() {
        let lines = OverlayView.helpLines(width: 100).map(\.plain).joined(separator: "\n")
        for binding in Keymap.bindings {
            XCTAssertTrue(lines.contains(binding.keys), "help lacks \(binding.keys)")
        }
        // The keys the tests above exercise all appear in the bindings table.
        let table = Keymap.bindings.map(\.keys).joined(separator: " ")
        for key in ["Tab", "Shift-Tab", "1 2 3 4", "Enter", "Space", "/", "?", ":", "q", "t", "L", "s", "r", "p", "x", "g", "v", "a", "D", "Ctrl-C", "Ctrl-L"] {
            XCTAssertTrue(table.contains(key), "bindings table lacks \(key)")
        }
    }

    func testNCursesKeyDecoding() {
        XCTAssertEqual(NCursesScreen.decode(character: 9), .tab)
        XCTAssertEqual(NCursesScreen.decode(character: 13), .enter)
        XCTAssertEqual(NCursesScreen.decode(character: 10), .enter)
        XCTAssertEqual(NCursesScreen.decode(character: 27), .escape)
        XCTAssertEqual(NCursesScreen.decode(character: 127), .backspace)
        XCTAssertEqual(NCursesScreen.decode(character: 3), .control("c"))
        XCTAssertEqual(NCursesScreen.decode(character: 12), .control("l"))
        XCTAssertEqual(NCursesScreen.decode(character: 0x71), .character("q"))
        XCTAssertEqual(NCursesScreen.decode(character: 0xE9), .character("é"))
    }
}
