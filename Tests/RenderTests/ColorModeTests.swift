import XCTest
@testable import Render

final class ColorModeTests: XCTestCase {
    func testDetectionFromTheEnvironment() {
        XCTAssertEqual(ColorMode.detect(environment: ["TERM": "xterm-256color", "COLORTERM": "truecolor"]), .truecolor)
        XCTAssertEqual(ColorMode.detect(environment: ["TERM": "xterm-direct"]), .truecolor)
        XCTAssertEqual(ColorMode.detect(environment: ["TERM": "xterm-256color"]), .palette256)
        XCTAssertEqual(ColorMode.detect(environment: ["TERM": "screen-256color", "NO_COLOR": "1"]), .none)
        XCTAssertEqual(ColorMode.detect(environment: ["TERM": "dumb"]), .none)
        XCTAssertEqual(ColorMode.detect(environment: ["TERM": "vt100"]), .ansi16)
        XCTAssertEqual(ColorMode.detect(environment: ["TERM": "foo"], terminfoColors: 256), .palette256)
    }

    func testArgumentNames() {
        XCTAssertEqual(ColorMode(argument: "24bit"), .truecolor)
        XCTAssertEqual(ColorMode(argument: "256"), .palette256)
        XCTAssertEqual(ColorMode(argument: "16"), .ansi16)
        XCTAssertEqual(ColorMode(argument: "none"), ColorMode.none)
        XCTAssertNil(ColorMode(argument: "lots"))
    }

    func testPaletteLookupFindsExactEntries() {
        for index in 16..<256 {
            XCTAssertEqual(Int(TerminalPalette.nearest256(TerminalPalette.color(ofIndex: index))), index)
        }
        for index in 0..<16 {
            XCTAssertEqual(Int(TerminalPalette.nearest16(TerminalPalette.ansi16[index])), index)
        }
    }

    func testPaletteLookupMatchesABruteForceSearch() {
        // The candidate search must agree with checking all 240 entries.
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            let c = RGB8(UInt8.random(in: 0...255, using: &rng), UInt8.random(in: 0...255, using: &rng), UInt8.random(in: 0...255, using: &rng))
            let lab = c.oklab
            let brute = (16..<256).min { a, b in
                let da = TerminalPalette.color(ofIndex: a).oklab - lab, db = TerminalPalette.color(ofIndex: b).oklab - lab
                return (da * da).sum() < (db * db).sum()
            }!
            let found = Int(TerminalPalette.nearest256(c))
            let df = TerminalPalette.color(ofIndex: found).oklab - lab, dbest = TerminalPalette.color(ofIndex: brute).oklab - lab
            XCTAssertEqual((df * df).sum(), (dbest * dbest).sum(), accuracy: 1e-4, "\(c)")
        }
    }
}
