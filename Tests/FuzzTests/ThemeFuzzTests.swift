import Foundation
import TestSupport
import TUI
import XCTest

/// Theme files: the parser, and the library that loads a folder of them at every workbench start.
final class ThemeFuzzTests: XCTestCase {
    func testMutatedThemes() throws {
        let names = ["default", "light", "high-contrast", "mono"]
        let seeds = try names.map { try FuzzHarness.projectFile("themes/\($0).theme") }
        let dir = try TemporaryDirectory(prefix: "mlwb-fuzz-theme")
        defer { dir.remove() }
        FuzzHarness.run("theme", seeds: seeds, seed: 0x5448454D, text: true) { bytes, index in
            let text = String(decoding: bytes, as: UTF8.self)
            // The folder the workbench reads: a broken file is a reported problem, never a trap.
            let path = dir.file("t\(index % 8).theme")
            try FuzzHarness.write(bytes, to: path)
            let library = ThemeLibrary.load(directories: [dir.path])
            XCTAssertEqual(library.names.first, "default")
            for theme in library.themes { for role in StyleRole.allCases { _ = theme.resolved(role).foreground.cursesNumber(colors: 256) } }
            _ = try ThemeParser.parse(text, name: "mutant", source: "mutant.theme")
        }
    }
}
