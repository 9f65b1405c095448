import XCTest
@testable import Render

final class FrameDifferTests: XCTestCase {
    private let red = RGB8(255, 0, 0), blue = RGB8(0, 0, 255)

    private func text(_ bytes: [UInt8]) -> String {
        String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "\u{1B}", with: "⎋")
    }

    func testFirstFrameIsDrawnInFullThenOnlyChangesAreWritten() {
        var differ = FrameDiffer(mode: .truecolor)
        var grid = CellGrid(columns: 4, rows: 2, fill: red)
        let first = differ.update(to: grid, row: 1, column: 1)
        XCTAssertTrue(text(first).hasPrefix("⎋[1;1H⎋[48;2;255;0;0m    ⎋[2;1H    "))

        XCTAssertEqual(differ.update(to: grid, row: 1, column: 1), [], "an unchanged frame writes nothing")

        // Change the bottom pixel of cell (2, 1): one move, one cell.
        grid.pixels[3 * 4 + 2] = blue
        XCTAssertEqual(text(differ.update(to: grid, row: 1, column: 1)), "⎋[2;3H⎋[38;2;255;0;0;48;2;0;0;255m▀⎋[0m")
    }

    func testGapsOnARowUseRelativeMoves() {
        var differ = FrameDiffer(mode: .truecolor)
        var grid = CellGrid(columns: 6, rows: 1, fill: red)
        _ = differ.update(to: grid, row: 5, column: 10)
        grid.pixels[0] = blue
        grid.pixels[4] = blue
        XCTAssertEqual(text(differ.update(to: grid, row: 5, column: 10)),
                       "⎋[5;10H⎋[38;2;0;0;255;48;2;255;0;0m▀⎋[3C▀⎋[0m")
    }

    func testChangesInvisibleInTheColourModeAreSkipped() {
        var differ = FrameDiffer(mode: .palette256)
        var grid = CellGrid(columns: 2, rows: 1, fill: RGB8(255, 0, 0))
        _ = differ.update(to: grid, row: 1, column: 1)
        grid.pixels[0] = RGB8(254, 2, 1)  // still palette colour 196
        XCTAssertEqual(differ.update(to: grid, row: 1, column: 1), [])
    }

    func testMovingOrResizingRedrawsEverything() {
        var differ = FrameDiffer(mode: .truecolor)
        let grid = CellGrid(columns: 2, rows: 1, fill: red)
        _ = differ.update(to: grid, row: 1, column: 1)
        XCTAssertFalse(differ.update(to: grid, row: 2, column: 1).isEmpty)
        differ.invalidate()
        XCTAssertFalse(differ.update(to: grid, row: 2, column: 1).isEmpty)
    }
}
