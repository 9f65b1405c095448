import Media

/// Borders, titles and small widgets shared by the panes.
public enum PaneChrome {
    // MARK: Boxes

    /// Draws a box around `rect` with `title` on the top edge; focused panes use the `focus` role.
    public static func box(_ screen: Screen, _ rect: CellRect, title: String, focused: Bool, role: StyleRole? = nil) {
        guard rect.width >= 2, rect.height >= 2 else { return }
        let style = TextStyle(role ?? (focused ? .focus : .border))
        let inner = rect.width - 2
        let horizontal = String(repeating: "─", count: inner)
        screen.put("┌" + horizontal + "┐", row: rect.row, column: rect.column, style: style)
        for r in rect.row + 1..<rect.bottom - 1 {
            screen.put("│", row: r, column: rect.column, style: style)
            screen.put("│", row: r, column: rect.right - 1, style: style)
        }
        screen.put("└" + horizontal + "┘", row: rect.bottom - 1, column: rect.column, style: style)
        if !title.isEmpty && inner > 4 {
            let titleStyle = role.map { TextStyle($0, .bold) } ?? (focused ? TextStyle(.focus, .bold) : TextStyle(.title))
            let text = " " + TextWidth.truncate(title, to: inner - 4) + " "
            screen.put(text, row: rect.row, column: rect.column + 2, style: titleStyle)
        }
    }

    /// Draws `lines` into `rect`, scrolled so that line `cursor` (if any) is visible; returns the
    /// first line shown. Lines beyond the rectangle are clipped.
    @discardableResult
    public static func lines(_ screen: Screen, _ rect: CellRect, _ lines: [StyledLine], cursor: Int?) -> Int {
        guard rect.height > 0 else { return 0 }
        let top = scrollTop(lineCount: lines.count, height: rect.height, cursor: cursor)
        for (i, line) in lines.dropFirst(top).prefix(rect.height).enumerated() {
            line.draw(on: screen, row: rect.row + i, column: rect.column, width: rect.width)
        }
        if lines.count > rect.height && rect.width > 2 {
            let more = lines.count - top - rect.height
            if more > 0 {
                screen.put("↓\(more)", row: rect.bottom - 1, column: rect.right - TextWidth.of("↓\(more)"), style: TextStyle(.muted))
            }
        }
        return top
    }

    /// The first of `lineCount` lines shown in `height` rows so that line `cursor` is in view (a
    /// little above the bottom where possible); what `lines` draws and a click is measured against.
    public static func scrollTop(lineCount: Int, height: Int, cursor: Int?) -> Int {
        guard let cursor, lineCount > height, height > 0 else { return 0 }
        let top = min(max(0, cursor - height + 2), lineCount - height)
        return max(0, min(top, cursor))
    }

    /// The line of `lines` drawn at screen row `row` of `rect` (scrolled as `lines` scrolls), if any.
    public static func line(at row: Int, in rect: CellRect, _ lines: [StyledLine], cursor: Int?) -> StyledLine? {
        guard row >= rect.row, row < rect.bottom else { return nil }
        let index = scrollTop(lineCount: lines.count, height: rect.height, cursor: cursor) + row - rect.row
        return lines.indices.contains(index) ? lines[index] : nil
    }

    // MARK: Widgets

    /// A progress bar `width` cells wide: filled part in `bar`, the rest in `bar-empty`.
    public static func bar(_ fraction: Double?, width: Int) -> [(String, TextStyle)] {
        guard width > 0 else { return [] }
        guard let fraction else {
            return [(String(repeating: "░", count: width), TextStyle(.barEmpty))]
        }
        let eighths = (fraction * Double(width * 8)).roundedInt(.down, clampedTo: 0...(width * 8)) ?? 0
        let full = eighths / 8, part = eighths % 8
        let partials = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]
        var filled = String(repeating: "█", count: full)
        var rest = width - full
        if part > 0 && rest > 0 { filled += partials[part]; rest -= 1 }
        return [(filled, TextStyle(.bar)), (String(repeating: "░", count: rest), TextStyle(.barEmpty))]
    }

    /// The selection style for a row of a pane that is (or is not) focused.
    public static func selection(focused: Bool) -> TextStyle {
        TextStyle(focused ? .selection : .selectionDim)
    }

    /// An editor's text with the cursor cell in reverse video, fitted to `width` cells.
    public static func editor(_ editor: LineEditor, width: Int) -> [(String, TextStyle)] {
        let chars = Array(editor.text)
        let visible = max(1, width - 1)
        let start = max(0, editor.cursor - visible + 1)
        let before = String(chars[start..<min(editor.cursor, chars.count)])
        let at = editor.cursor < chars.count ? String(chars[editor.cursor]) : " "
        let after = editor.cursor + 1 < chars.count ? String(chars[(editor.cursor + 1)...]) : ""
        return [(before, TextStyle(.input)), (at, TextStyle(.input, .reverse)), (after, TextStyle(.input))]
    }
}
