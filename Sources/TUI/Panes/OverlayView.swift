/// Draws the open overlay (help, log, question, command output) centred over the panes.
public enum OverlayView {
    public static func draw(_ state: AppState, on screen: Screen) {
        guard let overlay = state.overlay else { return }
        let size = state.size
        switch overlay {
        case .help(let scroll):
            window(screen, size, title: "Keys — Esc closes", lines: helpLines(width: min(size.columns - 6, 96)), scroll: scroll, wide: true)
        case .log(let scroll):
            let lines = state.log.isEmpty ? [StyledLine("(nothing logged yet)", TextStyle(.overlay))] : state.log.map { entry in
                let role: StyleRole = entry.level == .error ? .error : (entry.level == .warning ? .warning : .overlay)
                return StyledLine([(entry.level.rawValue.uppercased() + "  ", TextStyle(.muted)), (entry.text, TextStyle(role))])
            }
            window(screen, size, title: "Log — Esc closes", lines: lines, scroll: scroll, wide: true)
        case .confirm(let question):
            let message: String
            switch question {
            case .quit(let reason): message = "\(reason.prefix(1).uppercased() + reason.dropFirst()). Quit anyway?"
            case .downloadCheckpoints(_, _, let text), .downloadDataset(_, let text): message = text
            }
            let width = min(size.columns - 4, 64)
            var lines = TextWidth.wrap(message, width: width - 4).map { StyledLine($0, TextStyle(.overlay)) }
            lines.append(StyledLine())
            lines.append(StyledLine([("y", TextStyle(.statusKey)), (" yes    ", TextStyle(.overlay)), ("n", TextStyle(.statusKey)), (" no", TextStyle(.overlay))]))
            window(screen, size, title: "Question", lines: lines, scroll: 0, wide: false, width: width)
        case .output(let title, let lines, let scroll):
            window(screen, size, title: title + " — Esc closes", lines: lines.map { StyledLine($0, TextStyle(.overlay)) }, scroll: scroll, wide: true)
        case .command(let id, let scroll):
            guard let job = state.commands.first(where: { $0.id == id }) else { return }
            let width = max(20, size.columns - 6) - 4
            var lines = job.allLines.flatMap { TextWidth.hardWrap($0, width: width) }.map { StyledLine($0, TextStyle(.overlay)) }
            let state: String
            switch job.status {
            case nil: state = job.cancelling ? "stopping…" : "running — x stops, Esc hides (it keeps running)"
            case 0?: state = "done — Esc closes"
            case let status?: state = "exit status \(status) — Esc closes"
            }
            if let status = job.status, status != 0 { lines.append(StyledLine("— exit status \(status)", TextStyle(.error))) }
            window(screen, size, title: job.title + " · " + state, lines: lines, scroll: scroll ?? Int.max / 2, wide: true)
        }
    }

    /// The help overlay's lines: every binding from `Keymap.bindings`, wrapped to `width`.
    public static func helpLines(width: Int) -> [StyledLine] {
        let keyWidth = 19, scopeWidth = 16
        var lines: [StyledLine] = []
        for b in Keymap.bindings {
            let wrapped = TextWidth.wrap(b.action, width: max(10, width - keyWidth - scopeWidth - 6))
            for (i, text) in wrapped.enumerated() {
                lines.append(StyledLine([(TextWidth.pad(i == 0 ? b.keys : "", to: keyWidth), TextStyle(.statusKey)),
                                         (TextWidth.pad(i == 0 ? b.scope : "", to: scopeWidth), TextStyle(.muted)),
                                         (text, TextStyle(.overlay))]))
            }
        }
        lines.append(StyledLine())
        lines.append(StyledLine("* in Downloads, r p x act on the selected transfer.", TextStyle(.muted)))
        return lines
    }

    /// The rectangle the overlay window takes on a screen of `size`.
    public static func frame(for size: TerminalSize, lines: Int, wide: Bool, width: Int? = nil) -> CellRect {
        let w = width.map { min($0, size.columns - 2) } ?? (wide ? max(20, size.columns - 6) : min(size.columns - 4, 64))
        let h = min(size.rows - 2, lines + 2)
        return CellRect(row: max(0, (size.rows - 1 - h) / 2), column: max(0, (size.columns - w) / 2), width: w, height: h)
    }

    static func window(_ screen: Screen, _ size: TerminalSize, title: String, lines: [StyledLine], scroll: Int, wide: Bool, width: Int? = nil) {
        let rect = frame(for: size, lines: lines.count, wide: wide, width: width)
        screen.fill(rect, character: " ", style: TextStyle(.overlay))
        PaneChrome.box(screen, rect, title: title, focused: true, role: .overlayBorder)
        let inside = CellRect(row: rect.row + 1, column: rect.column + 2, width: rect.width - 4, height: rect.height - 2)
        let top = min(scroll, max(0, lines.count - inside.height))
        for (i, line) in lines.dropFirst(top).prefix(inside.height).enumerated() {
            line.draw(on: screen, row: inside.row + i, column: inside.column, width: inside.width)
        }
        if lines.count > inside.height {
            let text = " \(top + 1)–\(min(lines.count, top + inside.height)) of \(lines.count) "
            screen.put(text, row: rect.bottom - 1, column: rect.right - 2 - TextWidth.of(text), style: TextStyle(.overlayBorder))
        }
    }
}
