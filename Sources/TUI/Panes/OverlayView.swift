import Foundation
/// Draws the open overlay (help, log, question, command output) centred over the panes.
public enum OverlayView {
    public static func draw(_ state: AppState, on screen: Screen) {
        guard let overlay = state.overlay else { return }
        let size = state.size
        switch overlay {
        case .help(let scroll):
            window(screen, size, title: "Keys — Esc closes", lines: helpLines(width: max(20, size.columns - 6) - 4), scroll: scroll, wide: true)
        case .log(let selected):
            let width = max(20, size.columns - 6) - 4
            let (lines, cursor) = logLines(state.log, selected: selected, width: width)
            let visible = max(1, frame(for: size, lines: lines.count, wide: true).height - 2)
            let top = cursor.map { PaneChrome.scrollTop(lineCount: lines.count, height: visible, cursor: $0.upperBound - 1) } ?? 0
            // The whole selected entry in view when it fits.
            let scroll = cursor.map { min(top, $0.lowerBound) } ?? 0
            window(screen, size, title: "Log · ↑↓ select · y copies · Esc closes", lines: lines, scroll: scroll, wide: true)
        case .history(let selected):
            let width = max(20, size.columns - 6) - 4
            let (lines, cursor) = historyLines(state.history, selected: selected, width: width)
            let visible = max(1, frame(for: size, lines: lines.count, wide: true).height - 2)
            let top = cursor.map { min(PaneChrome.scrollTop(lineCount: lines.count, height: visible, cursor: $0.upperBound - 1), $0.lowerBound) } ?? 0
            window(screen, size, title: "Runs · ↑↓ select · Enter reruns · e loads its parameters · Esc closes", lines: lines, scroll: top, wide: true)
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

    /// The log overlay's lines: each entry's time, level and text, wrapped to `width` under its
    /// text column; the selected entry's lines carry the selection bar. Returns the lines and the
    /// selected entry's line range.
    public static func logLines(_ log: [LogEntry], selected: Int, width: Int) -> ([StyledLine], Range<Int>?) {
        guard !log.isEmpty else { return ([StyledLine("(nothing logged yet)", TextStyle(.overlay))], nil) }
        let chosen = min(max(0, selected), log.count - 1)
        let prefixWidth = 8 + 2 + 5 + 2  // HH:MM:SS, level
        var lines: [StyledLine] = []
        var range: Range<Int>?
        for (i, entry) in log.enumerated() {
            let role: StyleRole = entry.level == .error ? .error : (entry.level == .warning ? .warning : .overlay)
            let start = lines.count
            let wrapped = TextWidth.wrap(entry.text, width: max(10, width - prefixWidth))
            for (j, text) in wrapped.enumerated() {
                var line = StyledLine()
                if j == 0 {
                    line.add(entry.timeOfDay + "  ", TextStyle(.muted))
                    line.add(TextWidth.pad(entry.level.rawValue.uppercased(), to: 5) + "  ", TextStyle(.muted))
                } else {
                    line.add(String(repeating: " ", count: prefixWidth))
                }
                line.add(text, TextStyle(role))
                if i == chosen { line.fill = TextStyle(.selection) }
                lines.append(line)
            }
            if i == chosen { range = start..<lines.count }
        }
        return (lines, range)
    }

    /// The history overlay's lines: per run its time, model, input and outcome, then its parameters
    /// (wrapped); the selected run's lines carry the selection bar.
    public static func historyLines(_ records: [RunRecord], selected: Int, width: Int) -> ([StyledLine], Range<Int>?) {
        guard !records.isEmpty else {
            return ([StyledLine("(no runs yet — each run is kept under MLWB_HOME/history with its frames)", TextStyle(.overlay))], nil)
        }
        var lines: [StyledLine] = []
        var range: Range<Int>?
        for (i, record) in records.enumerated() {
            let start = lines.count
            let when = LogEntry(level: .info, text: "", time: record.started).timeOfDay
            let day = record.folder.count >= 8 ? String(record.folder.prefix(8)) : ""
            let input = record.input.map { ($0 as NSString).lastPathComponent } ?? "no input"
            var head = StyledLine([(day + " " + when + "  ", TextStyle(.muted)), (record.modelName + "  ", TextStyle(.header)),
                                   (input + "  ", .text), ((record.outcome ?? "running or interrupted") + " · \(record.frames.count) frames kept", TextStyle(.muted))])
            if i == selected { head.fill = TextStyle(.selection) }
            lines.append(head)
            let parameters = record.parameters.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.isEmpty ? "—" : $0.value)" }.joined(separator: "  ")
            for text in TextWidth.wrap(parameters, width: max(10, width - 4)) {
                var line = StyledLine("    " + text, TextStyle(.muted))
                if i == selected { line.fill = TextStyle(.selection) }
                lines.append(line)
            }
            if i == selected { range = start..<lines.count }
        }
        return (lines, range)
    }

    /// The help overlay's lines: every binding from `Keymap.bindings`, wrapped to `width`. Wide
    /// boxes have key, scope and action columns; narrow ones put the scope under the keys, so the
    /// action keeps room to read.
    public static func helpLines(width: Int) -> [StyledLine] {
        let keyWidth = 19
        let scopeWidth = width >= 80 ? 17 : 0
        let actionWidth = max(10, width - keyWidth - scopeWidth)
        var lines: [StyledLine] = []
        for b in Keymap.bindings {
            let wrapped = TextWidth.wrap(b.action, width: actionWidth)
            let left = scopeWidth > 0 ? [b.keys] : [b.keys, "  " + b.scope]
            for i in 0..<max(wrapped.count, left.count) {
                var line = StyledLine()
                line.add(TextWidth.pad(i < left.count ? left[i] : "", to: keyWidth), TextStyle(i == 0 ? .statusKey : .muted))
                if scopeWidth > 0 { line.add(TextWidth.pad(i == 0 ? b.scope : "", to: scopeWidth), TextStyle(.muted)) }
                line.add(i < wrapped.count ? wrapped[i] : "", TextStyle(.overlay))
                lines.append(line)
            }
        }
        lines.append(StyledLine())
        for text in TextWidth.wrap("* in Downloads, r p x act on the selected transfer.", width: width) { lines.append(StyledLine(text, TextStyle(.muted))) }
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
