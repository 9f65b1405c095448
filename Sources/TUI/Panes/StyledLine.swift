/// A line of text made of styled runs, drawn left to right and clipped to a width.
public struct StyledLine: Sendable {
    public var runs: [(text: String, style: TextStyle)] = []
    /// A style the whole line's background takes (the selection bar), if any.
    public var fill: TextStyle?
    /// What a click on this line selects, if anything.
    public var target: RowTarget?

    public init(_ runs: [(String, TextStyle)] = [], fill: TextStyle? = nil, target: RowTarget? = nil) {
        self.runs = runs.map { (text: $0.0, style: $0.1) }
        self.fill = fill
        self.target = target
    }

    public init(_ text: String, _ style: TextStyle = .text) {
        self.init([(text, style)])
    }

    /// Appends a run.
    public mutating func add(_ text: String, _ style: TextStyle = .text) { runs.append((text, style)) }

    /// Display width of all runs.
    public var width: Int { runs.reduce(0) { $0 + TextWidth.of($1.text) } }

    /// Plain text of all runs.
    public var plain: String { runs.map(\.text).joined() }

    /// Draws the line at (row, column) within `width` cells; a `fill` style paints the whole width
    /// and replaces the runs' roles (keeping their attributes), as a selection bar does.
    /// Text cut at the edge ends with "…" (trailing spaces do not count as cut text).
    public func draw(on screen: Screen, row: Int, column: Int, width: Int) {
        guard width > 0 else { return }
        if let fill {
            screen.fill(CellRect(row: row, column: column, width: width, height: 1), character: " ", style: fill)
        }
        var c = column
        let cut = width > 1 && TextWidth.of(String(plain.reversed().drop { $0 == " " }.reversed())) > width
        let end = column + width - (cut ? 1 : 0)
        defer {
            if cut {
                let style = fill.map { TextStyle($0.role) } ?? TextStyle(.muted)
                screen.put("…", row: row, column: column + width - 1, style: style, maxWidth: 1)
            }
        }
        for run in runs where c < end {
            let style = fill.map { TextStyle($0.role, $0.attributes.union(run.style.attributes)) } ?? run.style
            let text = TextWidth.truncate(run.text, to: end - c, ellipsis: false)
            screen.put(text, row: row, column: c, style: style, maxWidth: end - c)
            c += TextWidth.of(text)
        }
    }
}
