import XCTest
import TestSupport
@testable import TUI

/// The Media pane's header and filter (issue 14: `..` in the header, folders that ignore the
/// filter, a second `/` that appended to the first).
final class MediaPaneTests: XCTestCase {
    // MARK: Header

    func testHeaderShowsTheRealFolderNotDots() {
        XCTAssertEqual(MediaPane.displayPath("..", workingDirectory: "/work/main", home: "/root"), "/work/")
        XCTAssertEqual(MediaPane.displayPath(".", workingDirectory: "/work/main", home: "/root"), "/work/main/")
        XCTAssertEqual(MediaPane.displayPath("../../..", workingDirectory: "/work/main", home: ""), "/")
        XCTAssertEqual(MediaPane.displayPath("a/./b/../c", workingDirectory: "/w", home: ""), "/w/a/c/")
        XCTAssertEqual(MediaPane.displayPath("/home/ana/music", workingDirectory: "/w", home: "/home/ana"), "~/music/")
        XCTAssertEqual(MediaPane.displayPath("/home/ana", workingDirectory: "/w", home: "/home/ana"), "~/")
        XCTAssertEqual(MediaPane.displayPath("/home/anaconda", workingDirectory: "/w", home: "/home/ana"), "/home/anaconda/")
    }

    func testLongPathsKeepTheirEnd() {
        XCTAssertEqual(TextWidth.truncateLeading("/very/long/path/to/samples/", to: 12), "…to/samples/")
        XCTAssertEqual(TextWidth.truncateLeading("/short/", to: 12), "/short/")
    }

    func testPaneHeaderAfterGoingUp() throws {
        let dir = try TemporaryDirectory(prefix: "mlwb-media")
        defer { dir.remove() }
        try FileManager.default.createDirectory(atPath: dir.file("inner"), withIntermediateDirectories: true)
        let (core, screen) = try Fixture.core(directory: dir.file("inner"))
        core.press(.character("2"), .backspace)
        XCTAssertTrue(core.waitUntil { !$0.media.loading && $0.media.entries.contains { $0.name == "inner/" } })
        core.render(on: screen)
        // The temporary folder may sit under a symlink; the header shows it resolved of `..`, never `..`.
        let expected = MediaPane.displayPath(dir.path, workingDirectory: "/", home: core.state.homeDirectory)
        XCTAssertTrue(screen.contains(String(expected.suffix(30))), screen.text)
        XCTAssertFalse(screen.text.contains("inner/.."), screen.text)
    }

    // MARK: Filter

    func testFilterAppliesToFoldersAndASecondSlashStartsAfresh() throws {
        let dir = try TemporaryDirectory(prefix: "mlwb-media")
        defer { dir.remove() }
        for folder in ["pitch-takes", "drums"] {
            try FileManager.default.createDirectory(atPath: dir.file(folder), withIntermediateDirectories: true)
        }
        for file in ["pitch.wav", "beat.wav", "notes.mid"] { try Data([0]).write(to: URL(fileURLWithPath: dir.file(file))) }
        let (core, screen) = try Fixture.core(directory: dir.path)
        core.press(.character("2"), .character("/"))
        core.type("pitch")
        core.press(.enter)
        let names = core.state.media.visible.map { core.state.media.entries[$0].name }
        XCTAssertEqual(Set(names), ["../", "pitch-takes/", "pitch.wav"], "folders are filtered too; ../ stays")
        // A second `/` replaces the filter instead of appending to it.
        core.press(.character("/"))
        XCTAssertEqual(core.state.media.filter, "")
        core.type("beat")
        core.press(.enter)
        XCTAssertEqual(core.state.media.filter, "beat")
        XCTAssertEqual(Set(core.state.media.visible.map { core.state.media.entries[$0].name }), ["../", "beat.wav"])
        core.render(on: screen)
        XCTAssertTrue(screen.contains("2 Media /beat"), screen.text)
        XCTAssertFalse(screen.contains("drums/"), screen.text)
    }
}
