import Foundation
import TestSupport
import XCTest

/// `mlwb show --graphics`: each protocol's bytes from the real binary, the cell size it is told, and the choices it makes on its own.
final class ShowGraphicsTests: XCTestCase {
    private let sample = SharedData.asset("images/sample.png")

    func testEachProtocolFromTheBinary() throws {
        let env = ["MLWB_CELL_PIXELS": "10x20"]
        let kitty = try ProcessRunner.mlwb(["show", "--size", "20x10", "--graphics", "kitty", sample], environment: env)
        XCTAssertEqual(kitty.status, 0, kitty.stderr)
        // sample.png is square: 20×10 cells of 10×20 pixels hold 200×200 pixels over 20×10 cells.
        XCTAssertTrue(kitty.stdout.hasPrefix("\u{1B}_Ga=T,f=24,s=200,v=200,q=2,c=20,r=10,m=1;"), String(kitty.stdout.prefix(60)))
        let sixel = try ProcessRunner.mlwb(["show", "--size", "20x10", "--graphics", "sixel", "--dither", sample], environment: env)
        XCTAssertTrue(sixel.stdout.hasPrefix("\u{1B}P0;1;0q\"1;1;200;200#0;2;"), String(sixel.stdout.prefix(40)))
        XCTAssertTrue(sixel.stdout.hasSuffix("\u{1B}\\\n"))
        let iterm = try ProcessRunner.mlwb(["show", "--size", "20x10", "--graphics", "iterm", sample], environment: env)
        XCTAssertTrue(iterm.stdout.hasPrefix("\u{1B}]1337;File=inline=1;size="), String(iterm.stdout.prefix(40)))
        // Plots (audio) are stretched over exactly their box.
        let audio = try ProcessRunner.mlwb(["show", "--size", "30x8", "--graphics", "kitty", SharedData.asset("audio/arpeggio.wav")], environment: env)
        XCTAssertTrue(audio.stdout.hasPrefix("\u{1B}_Ga=T,f=24,s=300,v=160,q=2,c=30,r=8,"), String(audio.stdout.prefix(60)))
    }

    func testAutoIntoAPipeIsHalfBlocksAndNoneIsText() throws {
        let auto = try ProcessRunner.mlwb(["show", "--size", "20x10", sample], environment: ["TERM": "xterm-kitty"])
        XCTAssertTrue(auto.stdout.contains("▀"))
        XCTAssertFalse(auto.stdout.contains("\u{1B}_G"))
        let none = try ProcessRunner.mlwb(["show", "--size", "20x10", "--graphics", "none", sample, SharedData.asset("midi/arpeggio.mid")])
        XCTAssertEqual(none.status, 0)
        XCTAssertFalse(none.stdout.contains("▀"))
        XCTAssertTrue(none.stdout.contains("sample.png — "), none.stdout)
    }

    func testBadModesAreUsageErrors() throws {
        let bad = try ProcessRunner.mlwb(["show", "--graphics", "kitten", sample])
        XCTAssertEqual(bad.status, 2)
        XCTAssertTrue(bad.stderr.contains("--graphics must be auto, kitty, sixel, iterm, halfblock or none"), bad.stderr)
        let env = try ProcessRunner.mlwb(["show", sample], environment: ["MLWB_GRAPHICS": "sixels"])
        XCTAssertEqual(env.status, 2)
        XCTAssertTrue(env.stderr.contains("MLWB_GRAPHICS must be"), env.stderr)
    }
}
