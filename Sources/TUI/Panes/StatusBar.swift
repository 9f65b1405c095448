import Media
/// The bottom row: the command line or filter while typing, otherwise the run's progress or the
/// last message on the left and key hints on the right.
public enum StatusBar {
    public static func draw(_ state: AppState, on screen: Screen, in rect: CellRect) {
        let style = TextStyle(.status)
        screen.fill(rect, character: " ", style: style)
        if let editor = state.commandLine {
            var line = StyledLine([(":", TextStyle(.statusKey))])
            line.runs += PaneChrome.editor(editor, width: rect.width - 1).map { (text: $0.0, style: $0.1) }
            line.draw(on: screen, row: rect.row, column: rect.column, width: rect.width)
            return
        }
        if let prompt = state.savePrompt {
            let hint = prompt.problem.map { "  ✗ " + $0 } ?? "  ⏎ saves · Esc cancels"
            var line = StyledLine([("save as ", TextStyle(.statusKey))])
            line.runs += PaneChrome.editor(prompt.editor, width: max(10, rect.width - 8 - TextWidth.of(hint))).map { (text: $0.0, style: $0.1) }
            line.add(hint, prompt.problem == nil ? style : TextStyle(.error))
            line.draw(on: screen, row: rect.row, column: rect.column, width: rect.width)
            return
        }
        if let filter = state.filterEditing {
            var line = StyledLine([("/", TextStyle(.statusKey))])
            line.runs += PaneChrome.editor(filter.editor, width: rect.width - 30).map { (text: $0.0, style: $0.1) }
            line.add("  Enter keeps · Esc clears", style)
            line.draw(on: screen, row: rect.row, column: rect.column, width: rect.width)
            return
        }
        let hints = keyHints(state)
        let hintsWidth = hints.reduce(0) { $0 + TextWidth.of($1.0) + TextWidth.of($1.1) + 2 }
        let leftWidth = max(10, rect.width - hintsWidth - 1)
        left(state).draw(on: screen, row: rect.row, column: rect.column, width: leftWidth)
        if rect.width - leftWidth > 4 {
            var line = StyledLine()
            for (key, what) in hints { line.add(key, TextStyle(.statusKey)); line.add(" " + what + " ", style) }
            let col = rect.right - min(hintsWidth, rect.width - leftWidth)
            line.draw(on: screen, row: rect.row, column: col, width: rect.right - col)
        }
    }

    /// The left part: job progress while a run is live, else the last message.
    static func left(_ state: AppState) -> StyledLine {
        let style = TextStyle(.status)
        var line = StyledLine()
        if let job = state.job, job.phase.isLive {
            let symbol = job.phase == .paused ? "⏸ " : (job.phase == .waitingForCheckpoint ? "⧗ " : "▶ ")
            line.add(" " + symbol + job.modelName + " ", TextStyle(.statusKey))
            // A message posted in the last few seconds (a save) shows over the progress.
            if let message = state.message, state.now - state.messageAt < 4, message.level != .info || message.text.hasPrefix("✓") {
                line.add(message.text, TextStyle(message.level == .error ? .error : (message.level == .warning ? .warning : .success)))
                return line
            }
            var parts = [job.status]
            if job.framesPerSecond > 0 && !job.status.contains("/s") { parts.append(HumanReadable.fixed(job.framesPerSecond, digits: 1) + " it/s") }
            parts.append(progressText(job, now: state.now))
            line.add(parts.joined(separator: " · "), style)
            return line
        }
        if let message = state.message {
            let role: StyleRole = message.level == .error ? .error : (message.level == .warning ? .warning : .status)
            line.add(" " + message.text, TextStyle(role == .status ? .status : role))
            line.runs[0].style = TextStyle(role == .status ? .status : role)
            return line
        }
        line.add(" mlwb — ? for help", style)
        return line
    }

    /// Overall progress, working time (stopped while paused) and the time left: `37% · 12s · ETA 20s`.
    static func progressText(_ job: JobState, now: Double) -> String {
        var parts: [String] = []
        if job.progress > 0 { parts.append("\(Int((job.progress * 100).rounded(.down)))%") }
        parts.append(HumanReadable.duration(job.elapsed(at: now)))
        if let left = job.remaining(at: now) { parts.append("ETA " + HumanReadable.duration(left)) }
        return parts.joined(separator: " · ")
    }

    /// Key hints for the focused pane.
    static func keyHints(_ state: AppState) -> [(String, String)] {
        var hints: [(String, String)]
        switch state.focus {
        case .models where state.models.editing != nil:
            return [("⏎", "sets the value"), ("Esc", "keeps the old one")]
        case .models:
            hints = state.models.section == .form ? [("←→", "adjust"), ("⏎", "edit"), ("r", "run")] : [("⏎", "open"), ("r", "run")]
        case .media: hints = [("⏎", "pick"), ("␣", "mask"), ("a", "animate")]
        case .downloads: hints = [("p", "pause"), ("x", "cancel"), ("r", "retry"), ("g", "get")]
        case .preview: hints = [("⏎", "source"), ("s", "save")]
        }
        if let job = state.job, job.phase.isLive {
            // While a run is live its keys matter most (and its progress needs the room).
            hints = state.focus == .downloads ? [("p", "pause dl")] : [("p", job.phase == .paused ? "resume" : "pause"), ("x", "stop")]
            hints += [("s", "save"), ("?", "help")]
        } else {
            hints += [("?", "help"), (":", "cmd"), ("q", "quit")]
        }
        var seen = Set<String>()
        return hints.filter { seen.insert($0.0).inserted }
    }
}
