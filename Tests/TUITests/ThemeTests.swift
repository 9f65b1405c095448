import XCTest
import Render
import TestSupport
@testable import TUI

final class ThemeTests: XCTestCase {
    override func tearDown() { Fixture.cleanUp() }

    func testShippedThemesParse() throws {
        let library = ThemeLibrary.load(directories: [Fixture.themes])
        XCTAssertEqual(library.problems, [])
        for name in ["default", "light", "high-contrast", "mono"] {
            XCTAssertNotNil(library.theme(named: name), "missing theme \(name)")
        }
        XCTAssertEqual(library.names.first, "default")
    }

    func testShippedDefaultMatchesBuiltIn() throws {
        let library = ThemeLibrary.load(directories: [Fixture.themes])
        let file = try XCTUnwrap(library.theme(named: "default"))
        for role in StyleRole.allCases {
            XCTAssertEqual(file.resolved(role).foreground, Theme.builtIn.resolved(role).foreground, "\(role)")
            XCTAssertEqual(file.resolved(role).background, Theme.builtIn.resolved(role).background, "\(role)")
            XCTAssertEqual(file.resolved(role).attributes, Theme.builtIn.resolved(role).attributes, "\(role)")
        }
    }

    func testColourForms() throws {
        let theme = try ThemeParser.parse("""
            # a comment
            summary = test theme
            background = #102030   # trailing comment
            text = 250
            focus = bright-blue
            focus.attrs = bold, underline
            selection.bg = default
            """, name: "t", source: "t.theme")
        XCTAssertEqual(theme.summary, "test theme")
        XCTAssertEqual(theme.backgroundColor, .rgb(RGB8(0x10, 0x20, 0x30)))
        XCTAssertEqual(theme.resolved(.text).foreground, .index(250))
        XCTAssertEqual(theme.resolved(.focus).foreground, .index(12))
        XCTAssertEqual(theme.resolved(.focus).attributes, [.bold, .underline])
        XCTAssertEqual(theme.resolved(.selection).background, .terminalDefault)
        // Unset roles inherit the text colour and the background.
        XCTAssertEqual(theme.resolved(.muted).foreground, .index(250))
        XCTAssertEqual(theme.resolved(.muted).background, .rgb(RGB8(0x10, 0x20, 0x30)))
    }

    func testErrorsNameFileAndLine() {
        XCTAssertThrowsError(try ThemeParser.parse("text = #fff\nfocus = blu", name: "x", source: "x.theme")) { error in
            XCTAssertTrue("\(error)".contains("x.theme line 1"), "\(error)")
        }
        XCTAssertThrowsError(try ThemeParser.parse("text = white\nfocus = blu", name: "x", source: "x.theme")) { error in
            XCTAssertTrue("\(error)".contains("line 2") && "\(error)".contains("'blu' is not a colour"), "\(error)")
        }
        XCTAssertThrowsError(try ThemeParser.parse("borders = red", name: "x", source: "x.theme")) { error in
            XCTAssertTrue("\(error)".contains("unknown key 'borders'"), "\(error)")
        }
        XCTAssertThrowsError(try ThemeParser.parse("text red", name: "x", source: "x.theme"))
        XCTAssertThrowsError(try ThemeParser.parse("text.attrs = blink", name: "x", source: "x.theme"))
        XCTAssertThrowsError(try ThemeParser.parse("text = 256", name: "x", source: "x.theme"))
    }

    func testBrokenThemeFallsBackToDefault() throws {
        let dir = try TemporaryDirectory(prefix: "mlwb-themes")
        defer { dir.remove() }
        try "text = not-a-colour\n".write(toFile: dir.file("broken.theme"), atomically: true, encoding: .utf8)
        let library = ThemeLibrary.load(directories: [dir.path])
        XCTAssertEqual(library.names, ["default"])
        XCTAssertEqual(library.problems.count, 1)
        XCTAssertEqual(library.problems[0].name, "broken")
        XCTAssertTrue(library.problems[0].reason.contains("is broken"), library.problems[0].reason)
        // The workbench asked for it shows the problem in the log and runs with the default.
        let (core, _) = try Fixture.core(themes: library, themeName: "broken")
        XCTAssertEqual(core.state.theme.name, "default")
        XCTAssertTrue(core.state.log.contains { $0.level == .error && $0.text.contains("theme 'broken' is broken") && $0.text.contains("using the default theme") },
                      "\(core.state.log.map(\.text))")
        // Asked for again with :theme, it says why and keeps the theme in use.
        core.type(":theme broken")
        core.handle(.enter)
        XCTAssertTrue(core.state.log.last?.text.contains("keeping 'default'") ?? false, "\(core.state.log.map(\.text))")
    }

    func testLinesWithAnEmptyKeyAreErrorsNotTraps() {
        for text in ["= red", "  =red", "text = white\n= red", ". = red", ".fg = red", "=", "==", "text. = red"] {
            XCTAssertThrowsError(try ThemeParser.parse(text, name: "x", source: "x.theme"), text) { error in
                XCTAssertTrue(error is ThemeParser.Failure, "\(text): \(error)")
                XCTAssertTrue("\(error)".contains("x.theme line"), "\(error)")
            }
        }
    }

    func testBrokenFileInTheFolderDoesNotStopAnotherTheme() throws {
        let dir = try TemporaryDirectory(prefix: "mlwb-themes")
        defer { dir.remove() }
        try "= red\n".write(toFile: dir.file("empty-key.theme"), atomically: true, encoding: .utf8)
        try "text = bright-white\n".write(toFile: dir.file("plain.theme"), atomically: true, encoding: .utf8)
        let library = ThemeLibrary.load(directories: [dir.path, Fixture.themes])
        XCTAssertEqual(library.problems.count, 1)
        XCTAssertEqual(library.problems[0].name, "empty-key")
        XCTAssertTrue(library.problems[0].reason.contains("line 1"), library.problems[0].reason)
        let (core, _) = try Fixture.core(themes: library, themeName: "light")
        XCTAssertEqual(core.state.theme.name, "light")
        // Another, valid theme chosen: the broken file is a warning that names it, never an error
        // claiming a fallback to the default.
        XCTAssertFalse(core.state.log.contains { $0.level == .error }, "\(core.state.log.map(\.text))")
        XCTAssertTrue(core.state.log.contains { $0.level == .warning && $0.text == "theme file empty-key.theme skipped: it " + library.problems[0].reason },
                      "\(core.state.log.map(\.text))")
    }

    func testUnreadableOrHugeThemeFilesAreReportedNotRead() throws {
        let dir = try TemporaryDirectory(prefix: "mlwb-themes")
        defer { dir.remove() }
        // A theme file that is a link to an endless device, and one far beyond any real theme's size.
        try FileManager.default.createSymbolicLink(atPath: dir.file("zero.theme"), withDestinationPath: "/dev/zero")
        try Data(count: 2 << 20).write(to: URL(fileURLWithPath: dir.file("huge.theme")))
        let library = ThemeLibrary.load(directories: [dir.path])
        XCTAssertEqual(library.names, ["default"])
        XCTAssertEqual(library.problems.count, 2, "\(library.problems)")
    }

    func testUnknownThemeNameIsReported() throws {
        let dir = try TemporaryDirectory(prefix: "mlwb-tui")
        defer { dir.remove() }
        let services = WorkbenchServices(registry: .init(models: [FakeDreamModel()]), store: try Fixture.store(in: dir, present: true))
        let core = WorkbenchCore(size: TerminalSize(columns: 100, rows: 30), services: services,
                                 themes: ThemeLibrary.load(directories: [Fixture.themes]), themeName: "neon")
        XCTAssertEqual(core.state.theme.name, "default")
        XCTAssertTrue(core.state.log.contains { $0.text.contains("no theme 'neon'") })
    }

    func testCursesColourNumbers() {
        let c = ThemeColor.rgb(RGB8(255, 0, 0))
        XCTAssertEqual(c.cursesNumber(colors: 1 << 24), 0xFF0000)
        XCTAssertEqual(c.cursesNumber(colors: 256), 196)
        XCTAssertEqual(c.cursesNumber(colors: 8), 1)
        XCTAssertEqual(ThemeColor.terminalDefault.cursesNumber(colors: 256), -1)
        XCTAssertEqual(ThemeColor.index(200).cursesNumber(colors: 256), 200)
    }

    func testThemeKeyCyclesAndScreenGetsIt() throws {
        let (core, screen) = try Fixture.core()
        XCTAssertEqual(screen.theme?.name, "default")
        core.handle(.character("t"))
        core.render(on: screen)
        XCTAssertNotEqual(core.state.theme.name, "default")
        XCTAssertEqual(screen.theme?.name, core.state.theme.name)
        XCTAssertTrue(core.state.message?.text.hasPrefix("theme:") ?? false)
        for _ in 1..<core.state.themes.themes.count { core.handle(.character("t")) }
        XCTAssertEqual(core.state.theme.name, "default")
        core.type(":theme mono")
        core.handle(.enter)
        XCTAssertEqual(core.state.theme.name, "mono")
    }
}
