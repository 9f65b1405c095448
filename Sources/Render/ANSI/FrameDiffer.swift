/// The live-preview path: remembers the last frame drawn at a place on screen and writes only
/// the cells whose colours (as the terminal shows them in this mode) changed since.
public struct FrameDiffer: Sendable {
    /// The colour mode the output is written for.
    public let mode: ColorMode
    /// Reuse colours within this many 8-bit steps (24-bit mode), as `ANSIEncoder.tolerance`.
    public let tolerance: Int
    /// Whether positions are relative to the cursor saved with `ESC 7` (inline animation below a
    /// prompt) instead of absolute screen coordinates (full-screen UIs).
    public let fromSavedCursor: Bool
    private var previousKeys: [UInt32] = []
    private var previousShape: (columns: Int, rows: Int, row: Int, column: Int)?

    public init(mode: ColorMode, tolerance: Int = 0, fromSavedCursor: Bool = false) {
        self.mode = mode
        self.tolerance = tolerance
        self.fromSavedCursor = fromSavedCursor
    }

    /// Forgets the last frame, so the next one is drawn in full (after a resize or a screen clear).
    public mutating func invalidate() {
        previousKeys = []
        previousShape = nil
    }

    /// Output that turns the previous frame into `grid`, placed at 1-based (row, column).
    /// The first frame, or one of another size or place, is drawn in full.
    public mutating func update(to grid: CellGrid, row: Int, column: Int) -> [UInt8] {
        let encoder = ANSIEncoder(mode: mode, tolerance: tolerance)
        let keys = encoder.colorKeys(grid)
        defer {
            previousKeys = keys
            previousShape = (grid.columns, grid.rows, row, column)
        }
        guard let shape = previousShape, shape == (grid.columns, grid.rows, row, column) else {
            return encoder.encodePlaced(grid, row: row, column: column, fromSavedCursor: fromSavedCursor)
        }
        var painter = CellPainter(mode: mode)
        let planner = SGRPlanner(mode: mode, tolerance: tolerance)
        let width = grid.columns
        for r in 0..<grid.rows {
            let top = 2 * r * width, bottom = top + width
            var cursor: Int? = nil  // column the cursor is at within this row, if known
            var c = 0
            while c < width {
                if keys[top + c] == previousKeys[top + c] && keys[bottom + c] == previousKeys[bottom + c] {
                    c += 1
                    continue
                }
                // A run of changed cells.
                var end = c + 1
                while end < width && (keys[top + end] != previousKeys[top + end] || keys[bottom + end] != previousKeys[bottom + end]) {
                    end += 1
                }
                if let at = cursor, at < c, c - at <= 64 {
                    painter.moveRight(c - at)
                } else if cursor != c {
                    painter.moveTo(row: row + r, column: column + c, fromSavedCursor: fromSavedCursor)
                }
                keys.withUnsafeBufferPointer {
                    encoder.paintRow(r, of: grid, keys: $0.baseAddress!, planner: planner, into: &painter, columns: c..<end)
                }
                cursor = end
                c = end
            }
        }
        painter.reset()
        return painter.bytes
    }
}
