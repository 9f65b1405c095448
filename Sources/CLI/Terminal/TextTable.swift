/// Plain-text tables for list commands: columns padded to their widest cell, two spaces apart.
enum TextTable {
    /// Prints `rows` (the first is the header) with aligned columns; the last column is not padded.
    static func print(_ rows: [[String]], to context: CommandContext) {
        for line in lines(rows) { context.print(line) }
    }

    /// The aligned lines of `rows`.
    static func lines(_ rows: [[String]]) -> [String] {
        let columns = rows.map(\.count).max() ?? 0
        var widths = [Int](repeating: 0, count: columns)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        return rows.map { row in
            row.enumerated().map { i, cell in i == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[i] - cell.count) }.joined(separator: "  ")
        }
    }

    /// `text` padded with spaces to `width` (followed by two spaces when it is already that wide).
    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + "  " : text + String(repeating: " ", count: width - text.count)
    }

    /// `text` cut to `width` characters with an ellipsis.
    static func truncate(_ text: String, _ width: Int) -> String {
        text.count <= width ? text : String(text.prefix(max(1, width - 1))) + "…"
    }
}
