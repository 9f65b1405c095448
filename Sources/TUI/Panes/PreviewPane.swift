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
        }
        info.add(preview.info.joined(separator: " · "), TextStyle(.muted))
        info.draw(on: screen, row: infoRow, column: inside.column, width: inside.width)
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
}
