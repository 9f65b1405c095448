import Foundation
import XCTest
import Media
import TestSupport

/// The built `mlwb` binary, run as a user would.
final class CommandLineTests: XCTestCase {
    func testHelpListsEverySubcommand() throws {
        let r = try ProcessRunner.mlwb(["--help"])
        XCTAssertEqual(r.status, 0)
        for name in ["help", "show", "mask", "canvas", "bench"] { XCTAssertTrue(r.stdout.contains("  \(name) "), name) }
        let h = try ProcessRunner.mlwb(["help", "show"])
        XCTAssertEqual(h.status, 0)
        XCTAssertTrue(h.stdout.contains("--colors MODE"))
    }

    func testUsageErrorsExitWithStatusTwo() throws {
        for args in [["frobnicate"], ["show"], ["show", "--bogus", "x.png"], ["mask", "arcs", "--channels"], ["help", "nope"],
                     ["show", "--size", "banana", "x.png"], ["mask", "hexagons", "-o", "/tmp/x.png"]] {
            let r = try ProcessRunner.mlwb(args)
            XCTAssertEqual(r.status, 2, "\(args): \(r.stderr)")
            XCTAssertFalse(r.stderr.isEmpty, "\(args)")
        }
    }

    func testShowDrawsHalfBlocksInTrueColour() throws {
        let r = try ProcessRunner.mlwb(["show", "--size", "40x20", "--colors", "truecolor", SharedData.asset("images/sample.png")])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("▀") || r.stdout.contains("▄"))
        XCTAssertTrue(r.stdout.contains("\u{1B}[38;2;"))
        XCTAssertEqual(r.stdout.components(separatedBy: "\n").count - 1, 20, "a square picture fills 40×20 cells")
    }

    func testShowHonoursNoColorAndDumbTerminals() throws {
        let r = try ProcessRunner.mlwb(["show", "--size", "20x10", SharedData.asset("images/sample.png")], environment: ["NO_COLOR": "1", "TERM": "xterm-256color"])
        XCTAssertEqual(r.status, 0)
        XCTAssertFalse(r.stdout.contains("\u{1B}["), "no escapes at all without colour")
        let c = try ProcessRunner.mlwb(["show", "--size", "20x10", SharedData.asset("images/sample.png")], environment: ["TERM": "xterm-256color"])
        XCTAssertTrue(c.stdout.contains("\u{1B}[38;5;") || c.stdout.contains("\u{1B}[48;5;"))
    }

    func testShowAudioAndMIDI() throws {
        let r = try ProcessRunner.mlwb(["show", "--size", "60x30", "--colors", "256",
                                        SharedData.asset("audio/arpeggio.wav"), SharedData.asset("midi/arpeggio.mid")])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("arpeggio.wav — 3.50 s, 22050 Hz, 1 ch"))
        XCTAssertTrue(r.stdout.contains("arpeggio.mid — 11 notes"))
    }

    func testBrokenFilesGiveClearErrorsAndExitNonZero() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        try Data("not a png".utf8).write(to: URL(fileURLWithPath: dir.file("bad.png")))
        let png = try Data(contentsOf: URL(fileURLWithPath: SharedData.asset("images/sample.png")))
        try png.prefix(100).write(to: URL(fileURLWithPath: dir.file("cut.png")))
        try Data([0x4D, 0x54, 0x68, 0x64, 0, 0, 0, 6, 0, 1]).write(to: URL(fileURLWithPath: dir.file("cut.mid")))
        try Data("RIFF\u{0}\u{0}\u{0}\u{0}WAVEjunk".utf8).write(to: URL(fileURLWithPath: dir.file("bad.wav")))
        for (file, expected) in [("bad.png", "unsupported image format (JPEG/PNG/WebP/GIF are read)"), ("cut.png", "not a valid PNG"), ("cut.mid", "MIDI"),
                                 ("bad.wav", "not a valid"), ("missing.png", "no such file")] {
            let r = try ProcessRunner.mlwb(["show", "--size", "20x10", dir.file(file)])
            XCTAssertEqual(r.status, 1, file)
            XCTAssertTrue(r.stderr.contains(expected), "\(file): \(r.stderr)")
            XCTAssertFalse(r.stderr.contains("Fatal error"), file)
        }
        let d = try ProcessRunner.mlwb(["show", dir.path])
        XCTAssertEqual(d.status, 1)
        XCTAssertTrue(d.stderr.contains("is a directory"))
    }

    func testMaskWritesPNGAndFrames() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let r = try ProcessRunner.mlwb(["mask", "arcs", "--channels", "3", "--period", "10", "--blend", "0.2", "--size", "64x48",
                                        "-o", dir.file("arcs.png"), "--frames", "4", "--out", dir.file("frames")])
        XCTAssertEqual(r.status, 0, r.stderr)
        let image = try Image.load(dir.file("arcs.png"))
        XCTAssertEqual(image.width, 64); XCTAssertEqual(image.height, 48)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.file("frames")).sorted(),
                       ["frame-0000.png", "frame-0001.png", "frame-0002.png", "frame-0003.png"])
        XCTAssertNotEqual(try Image.load(dir.file("frames/frame-0000.png")), try Image.load(dir.file("frames/frame-0002.png")),
                          "the rings move with t")
    }

    func testMaskShowAnimatesInPlace() throws {
        let r = try ProcessRunner.mlwb(["mask", "rects", "--channels", "2", "--period", "4", "--frames", "3", "--show",
                                        "--size", "32x32", "--colors", "truecolor"], environment: ["COLUMNS": "40", "LINES": "30"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("\u{1B}7"), "saves the cursor at the picture's corner")
        XCTAssertTrue(r.stdout.contains("\u{1B}[?25h"), "shows the cursor again at the end")
    }

    func testCanvasMakesFeedbackFrames() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let r = try ProcessRunner.mlwb(["canvas", SharedData.asset("images/sample.png"), "--size", "64x64", "--mod", "zoom=1.1",
                                        "--mod", "rot-const=0.2", "--mask", "arcs:period=10,blend=0.3", "--frames", "3", "--out", dir.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(dir.contents(), ["frame-0000.png", "frame-0001.png", "frame-0002.png"])
        XCTAssertNotEqual(try Image.load(dir.file("frame-0000.png")), try Image.load(dir.file("frame-0002.png")))
        let bad = try ProcessRunner.mlwb(["canvas", SharedData.asset("images/sample.png"), "--mod", "zoom=1.1", "--mod", "zoom=2",
                                          "--mask", "arcs:channels=3", "--out", dir.path])
        XCTAssertEqual(bad.status, 2)
        XCTAssertTrue(bad.stderr.contains("one channel per mod"), bad.stderr)
    }
}
