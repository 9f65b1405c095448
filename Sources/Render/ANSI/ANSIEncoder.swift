import Media

/// Turns a `CellGrid` into terminal output: half-blocks and the fewest SGR colour escapes.
public struct ANSIEncoder: Sendable {
    /// The colour mode the output is written for.
    public var mode: ColorMode
    /// In 24-bit mode, how far (per channel, in 8-bit steps) a colour may be from the one the
    /// terminal already has and still reuse it instead of a new escape; 0 reproduces every value.
    public var tolerance: Int

    public init(mode: ColorMode, tolerance: Int = 0) {
        self.mode = mode
        self.tolerance = tolerance
    }

    /// The grid as lines for a scrolling terminal: each row ends with a colour reset and a newline.
    /// Rows start from the terminal's default colours, so two halves are encoded in parallel.
    public func encodeLines(_ grid: CellGrid) -> [UInt8] {
        let keys = colorKeys(grid)
        let halves = grid.rows * grid.columns >= 2048 ? 2 : 1
        var parts = [CellPainter?](repeating: nil, count: halves)
        keys.withUnsafeBufferPointer { keys in
            parts.withUnsafeMutableBufferPointer { parts in
                Parallel.forRanges(halves, chunks: halves, minimumCount: 2) { chunks in
                    for chunk in chunks {
                        let rows = (grid.rows * chunk / halves)..<(grid.rows * (chunk + 1) / halves)
                        parts[chunk] = encodeLines(rows, of: grid, keys: keys.baseAddress!)
                    }
                }
            }
        }
        // One copy of the bytes, straight into the result.
        let total = parts.reduce(0) { $0 + $1!.count }
        guard total > 0 else { return [] }
        return [UInt8](unsafeUninitializedCapacity: total) { buffer, count in
            var at = buffer.baseAddress!
            for part in parts {
                part!.copyBytes(to: at)
                at += part!.count
            }
            count = total
        }
    }

    /// The lines of `rows`, each ending with a colour reset and a newline.
    private func encodeLines(_ rows: Range<Int>, of grid: CellGrid, keys: UnsafePointer<UInt32>) -> CellPainter {
        let planner = SGRPlanner(mode: mode, tolerance: tolerance)
        var painter = CellPainter(mode: mode, reservingCapacity: grid.columns * rows.count * (mode == .truecolor ? 32 : 12))
        for row in rows {
            paintRow(row, of: grid, keys: keys, planner: planner, into: &painter)
            painter.reset()
            painter.appendByte(0x0A)
        }
        return painter
    }

    /// The grid placed with its top-left cell at 1-based (row, column), cursor-addressed
    /// (relative to the cursor saved with `ESC 7` when `fromSavedCursor`).
    public func encodePlaced(_ grid: CellGrid, row: Int, column: Int, fromSavedCursor: Bool = false) -> [UInt8] {
        let keys = colorKeys(grid)
        let planner = SGRPlanner(mode: mode, tolerance: tolerance)
        var painter = CellPainter(mode: mode, reservingCapacity: grid.columns * grid.rows * (mode == .truecolor ? 32 : 12))
        keys.withUnsafeBufferPointer { keys in
            for r in 0..<grid.rows {
                painter.moveTo(row: row + r, column: column, fromSavedCursor: fromSavedCursor)
                paintRow(r, of: grid, keys: keys.baseAddress!, planner: planner, into: &painter)
            }
        }
        painter.reset()
        return painter.bytes
    }

    // MARK: Internals

    /// One colour key per pixel (what the terminal distinguishes in this mode).
    func colorKeys(_ grid: CellGrid) -> [UInt32] {
        switch mode {
        case .truecolor:
            return [UInt32](unsafeUninitializedCapacity: grid.pixels.count) { keys, count in
                grid.pixels.withUnsafeBufferPointer { pixels in
                    for i in pixels.indices { keys[i] = pixels[i].packed }
                }
                count = grid.pixels.count
            }
        case .palette256, .ansi16:
            // Quantise each distinct colour once.
            var cache: [UInt32: UInt32] = [:]
            return grid.pixels.map { c in
                if let k = cache[c.packed] { return k }
                let k = CellPainter.key(c, mode: mode)
                cache[c.packed] = k
                return k
            }
        case .none:
            // 1 bit per pixel, ordered (Bayer 4×4) dithering of the luminance.
            return grid.pixels.enumerated().map { i, c in
                let x = i % grid.columns, y = i / grid.columns
                let luma = (0.2126 * Float(c.r) + 0.7152 * Float(c.g) + 0.0722 * Float(c.b)) / 255
                return luma > (Float(ANSIEncoder.bayer4[(y & 3) * 4 + (x & 3)]) + 0.5) / 16 ? 1 : 0
            }
        }
    }

    /// Paints the cells of `row` (all, or `columns`) from the grid's colour keys.
    func paintRow(_ row: Int, of grid: CellGrid, keys: UnsafePointer<UInt32>, planner: SGRPlanner,
                  into painter: inout CellPainter, columns: Range<Int>? = nil) {
        let range = columns ?? 0..<grid.columns
        let top = keys + 2 * row * grid.columns + range.lowerBound, bottom = top + grid.columns
        if mode == .none {
            for i in 0..<range.count { painter.monoCell(top: top[i] != 0, bottom: bottom[i] != 0) }
            return
        }
        painter.paint(planner.plan(top: top, bottom: bottom, count: range.count, from: painter.colorState))
    }

    static let bayer4: [Int] = [0, 8, 2, 10, 12, 4, 14, 6, 3, 11, 1, 9, 15, 7, 13, 5]
}
