/// Fitting a picture into a box of terminal cells with its aspect ratio kept.
public enum CellLayout {
    /// The pixel size (width, even height) of a `width × height` picture scaled to fit `columns × rows`
    /// cells, where a cell holds two square pixels stacked (a cell is about 1:2).
    public static func fit(width: Int, height: Int, columns: Int, rows: Int) -> (width: Int, height: Int) {
        guard width > 0, height > 0, columns > 0, rows > 0 else { return (0, 0) }
        let maxW = Double(columns), maxH = Double(rows * 2)
        let scale = min(maxW / Double(width), maxH / Double(height))
        let w = max(1, min(columns, Int((Double(width) * scale).rounded())))
        var h = max(2, Int((Double(height) * scale).rounded()))
        h += h % 2                 // whole cells: round up to an even pixel height…
        if h > rows * 2 { h -= 2 } // …unless that overflows the box
        return (w, max(2, h))
    }
}
