import Render

/// An in-memory `Screen`: a grid of cells holding text and style, for tests and benchmarks.
///
/// Tests read it back with `line(_:)`, `find(_:)`, `style(row:column:)`; the raw preview output
/// written since the last `takeRaw()` is kept in `raw`.
public final class MemoryScreen: Screen {
    /// One cell: the character shown (empty for the right half of a wide character) and its style.
    public struct Cell: Equatable, Sendable {
        public var character: String
        public var style: TextStyle
    }

    // MARK: State

    public private(set) var size: TerminalSize
    public var colorMode: ColorMode
    public private(set) var cells: [Cell]
    /// Raw output written with `writeRaw` (preview escapes), in order.
    public private(set) var raw: [UInt8] = []
    /// How many times `present()` was called.
    public private(set) var presentCount = 0
    /// The theme last applied.
    public private(set) var theme: Theme?
    /// How many times `invalidate()` was called.
    public private(set) var invalidations = 0

    public init(columns: Int, rows: Int, colorMode: ColorMode = .truecolor) {
        size = TerminalSize(columns: columns, rows: rows)
        self.colorMode = colorMode
        cells = Array(repeating: Cell(character: " ", style: .background), count: columns * rows)
    }

    /// Changes the size (like a terminal resize); the contents are blanked.
    public func resize(columns: Int, rows: Int) {
        size = TerminalSize(columns: columns, rows: rows)
        cells = Array(repeating: Cell(character: " ", style: .background), count: columns * rows)
    }

    // MARK: Screen

    public func apply(theme: Theme) { self.theme = theme }

    public func clear() {
        for i in cells.indices { cells[i] = Cell(character: " ", style: .background) }
    }

    public func put(_ text: String, row: Int, column: Int, style: TextStyle, maxWidth: Int?) {
        guard row >= 0, row < size.rows else { return }
        let limit = min(size.columns, column + (maxWidth ?? size.columns))
        var c = column
        for ch in text {
            let w = TextWidth.of(ch)
            if w == 0 { continue }
            if c + w > limit { break }
            if c >= 0 {
                cells[row * size.columns + c] = Cell(character: String(ch), style: style)
                if w == 2 { cells[row * size.columns + c + 1] = Cell(character: "", style: style) }
            }
            c += w
        }
    }

    public func fill(_ rect: CellRect, character: Character, style: TextStyle) {
        let r0 = max(0, rect.row), r1 = min(size.rows, rect.bottom)
        let c0 = max(0, rect.column), c1 = min(size.columns, rect.right)
        guard r0 < r1, c0 < c1 else { return }
        let cell = Cell(character: String(character), style: style)
        for r in r0..<r1 { for c in c0..<c1 { cells[r * size.columns + c] = cell } }
    }

    /// The rows' text at the last `present()`, for `RowMoves`.
    private var presentedRows: [UInt64] = []

    @discardableResult
    public func present() -> Bool {
        presentCount += 1
        let rows = (0..<size.rows).map { RowMoves.hash(line($0)) }
        defer { presentedRows = rows }
        return RowMoves.mayScroll(from: presentedRows, to: rows)
    }

    public func writeRaw(_ bytes: [UInt8]) { raw.append(contentsOf: bytes) }

    public func invalidate() {
        invalidations += 1
        presentedRows = []
    }

    // MARK: Reading back

    /// The text of row `row` (trailing spaces kept).
    public func line(_ row: Int) -> String {
        guard row >= 0, row < size.rows else { return "" }
        return cells[row * size.columns..<(row + 1) * size.columns].map(\.character).joined()
    }

    /// Every row's text, joined with newlines.
    public var text: String { (0..<size.rows).map(line).joined(separator: "\n") }

    /// The first (row, column) where `needle` appears, scanning rows top to bottom.
    public func find(_ needle: String) -> (row: Int, column: Int)? {
        for r in 0..<size.rows {
            let cellsOfRow = cells[r * size.columns..<(r + 1) * size.columns]
            let chars = cellsOfRow.map(\.character)
            let joined = chars.joined()
            guard let range = joined.range(of: needle) else { continue }
            // Map the string offset back to a column (wide characters hold "" in their right half).
            let prefix = joined[joined.startIndex..<range.lowerBound]
            var consumed = 0, column = 0
            for (i, s) in chars.enumerated() {
                if consumed >= prefix.count { column = i; break }
                consumed += s.count
                column = i + 1
            }
            return (r, column)
        }
        return nil
    }

    /// Whether `needle` appears anywhere.
    public func contains(_ needle: String) -> Bool { find(needle) != nil }

    /// The style of cell (row, column).
    public func style(row: Int, column: Int) -> TextStyle {
        cells[row * size.columns + column].style
    }

    /// The character at (row, column).
    public func character(row: Int, column: Int) -> String {
        cells[row * size.columns + column].character
    }

    /// Returns and forgets the raw output written so far.
    public func takeRaw() -> [UInt8] {
        defer { raw.removeAll() }
        return raw
    }
}
