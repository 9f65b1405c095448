import XCTest
@testable import Render

/// Golden tests: the exact bytes written for small grids.
final class ANSIEncoderTests: XCTestCase {
    private let red = RGB8(255, 0, 0), blue = RGB8(0, 0, 255), white = RGB8(255, 255, 255)

    private func text(_ bytes: [UInt8]) -> String {
        String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "\u{1B}", with: "⎋")
    }

    func testTrueColourCellUsesUpperHalfBlockWithBothColours() {
        let grid = CellGrid(columns: 1, rows: 1, pixels: [red, blue])
        XCTAssertEqual(text(ANSIEncoder(mode: .truecolor).encodeLines(grid)), "⎋[38;2;255;0;0;48;2;0;0;255m▀⎋[0m\n")
    }

    func testMatchingPixelsBecomeASpaceOnTheBackground() {
        let grid = CellGrid(columns: 2, rows: 1, pixels: [red, red, red, red])
        XCTAssertEqual(text(ANSIEncoder(mode: .truecolor).encodeLines(grid)), "⎋[48;2;255;0;0m  ⎋[0m\n")
    }

    func testColoursAreOnlySentWhenTheyChange() {
        // Cells: (red/blue) (red/blue) (blue/red): one escape for the whole row, the glyphs flip
        // between ▀ and ▄ instead of the colours (▄▄▀ and ▀▀▄ cost the same; the planner picks one).
        let grid = CellGrid(columns: 3, rows: 1, pixels: [red, red, blue, blue, blue, red])
        XCTAssertEqual(text(ANSIEncoder(mode: .truecolor).encodeLines(grid)), "⎋[38;2;0;0;255;48;2;255;0;0m▄▄▀⎋[0m\n")
    }

    func testOnlyTheChangedColourIsSent() {
        let grid = CellGrid(columns: 2, rows: 1, pixels: [red, red, blue, white])
        XCTAssertEqual(text(ANSIEncoder(mode: .truecolor).encodeLines(grid)),
                       "⎋[38;2;255;0;0;48;2;0;0;255m▀⎋[48;2;255;255;255m▀⎋[0m\n")
    }

    func testTwoRowsResetColoursAtEachLineEnd() {
        let grid = CellGrid(columns: 1, rows: 2, pixels: [red, red, blue, blue])
        XCTAssertEqual(text(ANSIEncoder(mode: .truecolor).encodeLines(grid)), "⎋[48;2;255;0;0m ⎋[0m\n⎋[48;2;0;0;255m ⎋[0m\n")
    }

    func testPalette256UsesCubeAndGreyIndices() {
        let grid = CellGrid(columns: 1, rows: 1, pixels: [red, RGB8(128, 128, 128)])
        // Red is cube index 196; mid grey is nearest to grey-ramp 244 (128,128,128).
        XCTAssertEqual(text(ANSIEncoder(mode: .palette256).encodeLines(grid)), "⎋[38;5;196;48;5;244m▀⎋[0m\n")
    }

    func testSixteenColourCodes() {
        let grid = CellGrid(columns: 1, rows: 1, pixels: [RGB8(250, 0, 0), RGB8(0, 0, 230)])
        XCTAssertEqual(text(ANSIEncoder(mode: .ansi16).encodeLines(grid)), "⎋[91;44m▀⎋[0m\n")
    }

    func testNoColourModeDithersWithoutEscapes() {
        let black = RGB8(0, 0, 0)
        let grid = CellGrid(columns: 4, rows: 1, pixels: [white, black, white, black, white, white, black, black])
        XCTAssertEqual(text(ANSIEncoder(mode: .none).encodeLines(grid)), "█▄▀ \n")
    }

    func testPlacedOutputAddressesEveryRow() {
        let grid = CellGrid(columns: 1, rows: 2, pixels: [red, red, red, red])
        XCTAssertEqual(text(ANSIEncoder(mode: .truecolor).encodePlaced(grid, row: 3, column: 5)),
                       "⎋[3;5H⎋[48;2;255;0;0m ⎋[4;5H ⎋[0m")
    }

    func testToleranceReusesNearlyEqualColours() {
        let almostRed = RGB8(254, 1, 0)
        let grid = CellGrid(columns: 2, rows: 1, pixels: [red, almostRed, red, red])
        XCTAssertEqual(text(ANSIEncoder(mode: .truecolor, tolerance: 0).encodeLines(grid)),
                       "⎋[48;2;255;0;0m ⎋[38;2;254;1;0m▀⎋[0m\n")
        XCTAssertEqual(text(ANSIEncoder(mode: .truecolor, tolerance: 1).encodeLines(grid)), "⎋[48;2;255;0;0m  ⎋[0m\n")
    }
}
