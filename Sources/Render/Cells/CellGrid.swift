/// A picture in terminal cells: each cell shows two stacked pixels with `▀`
/// (foreground = top pixel, background = bottom pixel).
public struct CellGrid: Equatable, Sendable {
    /// Width in cells (= pixels).
    public let columns: Int
    /// Height in cells (= pixels / 2).
    public let rows: Int
    /// Pixel colours, `columns × (2 × rows)`, row-major: pixel row 2r is the top of cell row r.
    public var pixels: [RGB8]

    /// A grid filled with one colour.
    public init(columns: Int, rows: Int, fill: RGB8 = RGB8(0, 0, 0)) {
        self.columns = columns
        self.rows = rows
        self.pixels = [RGB8](repeating: fill, count: columns * rows * 2)
    }

    /// A grid over existing pixels (`columns × 2·rows` of them).
    public init(columns: Int, rows: Int, pixels: [RGB8]) {
        precondition(pixels.count == columns * rows * 2, "pixel count does not match the grid")
        self.columns = columns
        self.rows = rows
        self.pixels = pixels
    }

    /// The top pixel of cell (column, row).
    @inlinable public func top(_ column: Int, _ row: Int) -> RGB8 { pixels[(2 * row) * columns + column] }
    /// The bottom pixel of cell (column, row).
    @inlinable public func bottom(_ column: Int, _ row: Int) -> RGB8 { pixels[(2 * row + 1) * columns + column] }
}
