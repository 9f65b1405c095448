import Models
import Media

/// Pane 1: the model registry with status, the selected model's card and its parameter form.
public enum ModelsPane {
    /// Draws the pane into `rect`.
    public static func draw(_ state: AppState, on screen: Screen, in rect: CellRect) {
        let focused = state.focus == .models
        var title = "1 Models"
        if !state.models.filter.isEmpty { title += " /" + state.models.filter }
        PaneChrome.box(screen, rect, title: title, focused: focused)
        let inside = rect.inset(1)
        guard !inside.isEmpty else { return }
        let (lines, cursor) = content(state, width: inside.width)
        PaneChrome.lines(screen, inside, lines, cursor: cursor)
    }

    /// The pane's lines and the index of the cursor line.
    static func content(_ state: AppState, width: Int) -> ([StyledLine], Int?) {
        let models = state.models
        let focused = state.focus == .models
        var lines: [StyledLine] = []
        var cursor: Int?
        if models.entries.isEmpty {
            lines.append(StyledLine("no models registered", TextStyle(.muted)))
            return (lines, nil)
        }
        let visible = models.visible
        if visible.isEmpty { lines.append(StyledLine("no model matches /\(models.filter)", TextStyle(.muted))) }
        // The list.
        for i in visible {
            let entry = models.entries[i]
            let (badge, role) = status(of: entry, state)
            let selected = i == models.selected
            let marker = selected ? "▸ " : "  "
            let nameWidth = max(4, width - TextWidth.of(badge) - 3)
            var line = StyledLine([(marker + TextWidth.pad(entry.name, to: nameWidth) + " ", .text), (badge, TextStyle(role))], target: .model(i))
            if selected && models.section == .list {
                line.fill = PaneChrome.selection(focused: focused)
                cursor = lines.count
            } else if selected {
                line.runs[0].style = TextStyle(.accent)
            }
            lines.append(line)
        }
        // A filter that hides the selected model hides its card too.
        guard let model = models.current, visible.contains(models.selected) else { return (lines, cursor) }
        // The card.
        lines.append(StyledLine())
        lines.append(StyledLine([("task ", TextStyle(.muted)), (model.task.rawValue, .text)]))
        for c in model.checkpoints {
            let (mark, role): (String, StyleRole)
            switch c.state {
            case .ready: (mark, role) = ("✓ ready", .success)
            case .missing: (mark, role) = ("✗ missing", .warning)
            case .corrupt: (mark, role) = ("✗ corrupt", .error)
            case .unknown: (mark, role) = ("? not in catalog", .error)
            }
            lines.append(StyledLine([("ckpt ", TextStyle(.muted)), (c.id + " ", .text),
                                     (HumanReadable.bytes(c.size) + " ", TextStyle(.muted)), (c.licence + " ", TextStyle(.muted)),
                                     (mark, TextStyle(role))]))
        }
        if model.checkpoints.isEmpty { lines.append(StyledLine([("ckpt ", TextStyle(.muted)), ("none needed", .text)])) }
        // The description: a few lines, as many in the list as in the form, so opening the form
        // (a click on a field does) does not move the rows under the pointer.
        let summary = TextWidth.wrap(model.summary, width: max(10, width))
        let maxLines = 3
        for (i, text) in summary.prefix(maxLines).enumerated() {
            let cut = i == maxLines - 1 && summary.count > maxLines
            let more = " … i: more"
            lines.append(StyledLine(cut ? TextWidth.truncate(text, to: max(4, width - TextWidth.of(more)), ellipsis: false) + more : text, TextStyle(.muted)))
        }
        if let kind = model.inputKind {
            let name = state.media.input.map { $0.split(separator: "/").last.map(String.init) ?? $0 }
            lines.append(StyledLine([("input ", TextStyle(.muted)),
                                     (name ?? "none — pick a\(kind == .image ? "n image" : "n audio file") in Media", name == nil ? TextStyle(.warning) : .text)]))
        }
        // The form.
        lines.append(StyledLine())
        lines.append(StyledLine("Parameters", TextStyle(.header)))
        let labelWidth = min(max(model.parameters.map { TextWidth.of($0.label) }.max() ?? 6, 6), max(6, width / 2 - 2))
        for (index, parameter) in model.parameters.enumerated() {
            let isCursor = models.section == .form && models.field == index
            var line = StyledLine([(" " + TextWidth.pad(parameter.label, to: labelWidth) + " ", TextStyle(.muted))], target: .field(index))
            if isCursor, let editor = models.editing {
                line.runs += PaneChrome.editor(editor, width: max(4, width - labelWidth - 2)).map { (text: $0.0, style: $0.1) }
            } else if isCursor, let candidate = models.picking {
                line.add("◂ ", TextStyle(.accent))
                line.add(ParameterEditing.text(candidate), TextStyle(.accent, [.reverse]))
                line.add(" ▸", TextStyle(.accent))
                line.add("  ←/→ choose · Enter sets · Esc keeps", TextStyle(.muted))
            } else {
                let value = ParameterEditing.text(models.value(of: parameter, model: model.id))
                let isDefault = models.values[model.id]?[parameter.name] == nil
                line.add(value.isEmpty ? "—" : value, isDefault ? .text : TextStyle(.accent))
                line.add("  " + ParameterEditing.rangeText(parameter), TextStyle(.muted))
                if isCursor { line.fill = PaneChrome.selection(focused: focused) }
            }
            if isCursor { cursor = lines.count }
            lines.append(line)
            if let error = models.error(model: model.id, parameter: parameter.name) {
                for text in TextWidth.wrap("! " + error, width: max(10, width - 2)) { lines.append(StyledLine("  " + text, TextStyle(.error))) }
            }
            if isCursor && models.editing == nil && models.picking == nil && focused {
                for text in TextWidth.wrap(parameter.help, width: max(10, width - 2)).prefix(2) {
                    lines.append(StyledLine("  " + text, TextStyle(.muted)))
                }
            }
        }
        var run = StyledLine([(" [ Run ] ", TextStyle(.accent))], target: .field(model.parameters.count))
        if models.section == .form && models.field >= model.parameters.count {
            run.fill = PaneChrome.selection(focused: focused)
            cursor = lines.count
        }
        run.add(" r runs from anywhere", TextStyle(.muted))
        lines.append(run)
        return (lines, cursor)
    }

    /// The status badge of a model and its role: running, downloading N%, checkpoint missing, ready.
    public static func status(of entry: ModelEntry, _ state: AppState) -> (String, StyleRole) {
        if let job = state.job, job.request.modelID == entry.id, job.phase == .running || job.phase == .paused {
            return (job.phase.label, .accent)
        }
        let missing = entry.missingCheckpoints
        if missing.isEmpty { return ("ready", .success) }
        let transfers = missing.compactMap { state.downloads.transfer("checkpoint:" + $0.id) }.filter { $0.phase.isActive }
        if !transfers.isEmpty {
            let bytes = transfers.reduce(0) { $0 + $1.bytes }, total = missing.reduce(0) { $0 + $1.size }
            let pct = total > 0 ? Int(Double(bytes) * 100 / Double(total)) : 0
            return ("downloading \(pct)%", .accent)
        }
        if missing.contains(where: { if case .corrupt = $0.state { return true } else { return false } }) {
            return ("checkpoint corrupt", .error)
        }
        return ("checkpoint missing", .warning)
    }
}
