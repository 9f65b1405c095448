/// The size of a terminal (or an in-memory screen) in character cells.
public struct TerminalSize: Equatable, Hashable, Sendable, CustomStringConvertible {
    /// Width in cells.
    public var columns: Int
    /// Height in cells.
    public var rows: Int

    public init(columns: Int, rows: Int) {
        self.columns = columns
        self.rows = rows
    }

    public var description: String { "\(columns)×\(rows)" }

    /// Whether both dimensions are at least those of `other`.
    public func fits(_ other: TerminalSize) -> Bool { columns >= other.columns && rows >= other.rows }
}

/// A rectangle of cells: top-left (row, column) and a size, all 0-based.
public struct CellRect: Equatable, Hashable, Sendable, CustomStringConvertible {
    public var row: Int
    public var column: Int
    public var width: Int
    public var height: Int

    public init(row: Int, column: Int, width: Int, height: Int) {
        self.row = row
        self.column = column
        self.width = max(0, width)
        self.height = max(0, height)
    }

    public static let zero = CellRect(row: 0, column: 0, width: 0, height: 0)

    public var description: String { "(\(row),\(column)) \(width)×\(height)" }

    /// One past the last row.
    public var bottom: Int { row + height }
    /// One past the last column.
    public var right: Int { column + width }
    /// Whether the rectangle holds no cells.
    public var isEmpty: Bool { width <= 0 || height <= 0 }

    /// The rectangle shrunk by `amount` cells on every side.
    public func inset(_ amount: Int) -> CellRect {
        CellRect(row: row + amount, column: column + amount, width: width - 2 * amount, height: height - 2 * amount)
    }

    /// Whether the cell (row, column) lies inside.
    public func contains(row r: Int, column c: Int) -> Bool {
        r >= row && r < bottom && c >= column && c < right
    }

    /// Whether the two rectangles share a cell.
    public func intersects(_ other: CellRect) -> Bool {
        !isEmpty && !other.isEmpty && row < other.bottom && other.row < bottom && column < other.right && other.column < right
    }
}
