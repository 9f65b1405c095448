import Media

/// Pane 4's text: border, title, info line, and a message when there is no picture. The picture
/// itself is written by `PreviewPainter` into `Layout.pictureArea`, which this leaves blank.
public enum PreviewPane {
    public static func draw(_ state: AppState, on screen: Screen, in rect: CellRect) {
        let focused = state.focus == .preview
        let preview = state.preview
        PaneChrome.box(screen, rect, title: "4 Preview · " + preview.title, focused: focused)
        let inside = rect.inset(1)
        guard !inside.isEmpty else { return }
        let infoRow = inside.bottom - 1
        var info = StyledLine()
        if preview.source == .run, let job = state.job {
            info.add(job.phase.label + " ", TextStyle(job.phase == .running ? .accent : (job.phase == .finished ? .success : .warning)))
            if job.phase == .running || job.phase == .paused {
                // The whole run (octaves × steps for a dream), its time and what is left.
                info.runs += PaneChrome.bar(job.progress, width: 10).map { (text: $0.0, style: $0.1) }
                info.add(" " + StatusBar.progressText(job, now: state.now) + "  ", TextStyle(.muted))
            } else if job.endedAt != nil {
                info.add("in " + HumanReadable.duration(job.elapsed(at: state.now)) + " · ", TextStyle(.muted))
            }
        }
        info.add(preview.info.joined(separator: " · "), TextStyle(.muted))
        if preview.zoom > 1, preview.picture != nil { info.add(" · zoom \(preview.zoom)×", TextStyle(.accent)) }
        info.draw(on: screen, row: infoRow, column: inside.column, width: inside.width)
        if preview.picture != nil, let annotation = preview.annotation {
            drawAnnotation(annotation, on: screen, picture: state.layout.pictureArea(for: annotation), inside: inside)
        }
        if preview.picture == nil {
            let message: String
            let role: StyleRole
            if let error = preview.error {
                message = error; role = .error
            } else if preview.loading {
                message = "loading…"; role = .muted
            } else if preview.source == .run {
                message = "waiting for the first frame…"; role = .muted
            } else {
                message = "select an image, mask, audio or MIDI file in Media"; role = .muted
            }
            let area = CellRect(row: inside.row, column: inside.column, width: inside.width, height: inside.height - 1)
            let wrapped = TextWidth.wrap(message, width: max(8, area.width - 2))
            let top = area.row + max(0, (area.height - wrapped.count) / 2)
            for (i, text) in wrapped.prefix(area.height).enumerated() {
                let col = area.column + max(0, (area.width - TextWidth.of(text)) / 2)
                screen.put(text, row: top + i, column: col, style: TextStyle(role), maxWidth: area.width)
            }
        }
    }

    // MARK: Axes and bars

    /// Tick labels left of and under the picture area, or the bars under it.
    static func drawAnnotation(_ annotation: PreviewAnnotation, on screen: Screen, picture area: CellRect, inside: CellRect) {
        let muted = TextStyle(.muted)
        switch annotation {
        case .axes(let x, let y):
            let gutter = area.column - inside.column
            if gutter > 1 {
                for tick in y {
                    // Half-blocks: a pixel row y is cell row y / 2 of the picture's 2·height rows.
                    let pixel = Int((tick.position * Double(area.height * 2 - 1)).rounded())
                    let row = area.row + min(area.height - 1, max(0, pixel / 2))
                    let label = TextWidth.truncate(tick.label, to: gutter - 1)
                    screen.put(label, row: row, column: area.column - 1 - TextWidth.of(label), style: muted, maxWidth: gutter - 1)
                }
            }
            guard area.bottom < inside.bottom - 1 else { return }   // the row under the picture, above the info line
            var taken = area.column - 1
            for tick in x {
                let at = area.column + Int((tick.position * Double(area.width - 1)).rounded())
                let width = TextWidth.of(tick.label)
                // Centred on its column, kept inside the pane, and never over the previous label.
                let start = min(max(at - width / 2, area.column), area.right - width)
                guard start > taken else { continue }
                screen.put(tick.label, row: area.bottom, column: start, style: muted, maxWidth: area.right - start)
                taken = start + width
            }
        case .bars(let bars):
            let rows = min(bars.count, inside.bottom - 1 - area.bottom)
            guard rows > 0 else { return }
            let labelWidth = min(max(8, inside.width / 3), bars.prefix(rows).map { TextWidth.of($0.label) }.max() ?? 8)
            let valueWidth = 7
            let barWidth = max(4, inside.width - labelWidth - valueWidth - 2)
            for (i, bar) in bars.prefix(rows).enumerated() {
                let row = area.bottom + i
                let label = TextWidth.pad(TextWidth.truncate(bar.label, to: labelWidth), to: labelWidth)
                screen.put(label, row: row, column: inside.column, style: TextStyle(i == 0 ? .accent : .text), maxWidth: labelWidth)
                let filled = Int((min(max(bar.fraction, 0), 1) * Double(barWidth)).rounded())
                screen.put(String(repeating: "█", count: filled), row: row, column: inside.column + labelWidth + 1, style: TextStyle(.bar), maxWidth: barWidth)
                screen.put(String(repeating: "░", count: barWidth - filled), row: row, column: inside.column + labelWidth + 1 + filled,
                           style: TextStyle(.barEmpty), maxWidth: barWidth - filled)
                let value = TextWidth.padLeft(bar.value, to: valueWidth)
                screen.put(value, row: row, column: inside.column + labelWidth + 2 + barWidth, style: muted, maxWidth: inside.right - (inside.column + labelWidth + 2 + barWidth))
            }
        }
    }
}
