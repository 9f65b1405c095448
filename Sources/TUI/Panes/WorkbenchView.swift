/// Draws the whole text layer for a state: the four panes, the status bar and any overlay — or the
/// "terminal too small" message.
public enum WorkbenchView {
    public static func draw(_ state: AppState, on screen: Screen) {
        screen.clear()
        let size = state.size
        guard state.fitsMinimum else {
            drawTooSmall(size, on: screen)
            return
        }
        let layout = state.layout
        if layout.previewFullscreen {
            PreviewPane.draw(state, on: screen, in: layout.preview)
            StatusBar.draw(state, on: screen, in: layout.statusBar)
            OverlayView.draw(state, on: screen)
            return
        }
        ModelsPane.draw(state, on: screen, in: layout.models)
        MediaPane.draw(state, on: screen, in: layout.media)
        PreviewPane.draw(state, on: screen, in: layout.preview)
        DownloadsPane.draw(state, on: screen, in: layout.downloads)
        StatusBar.draw(state, on: screen, in: layout.statusBar)
        OverlayView.draw(state, on: screen)
    }

    /// The message shown below the minimum size.
    public static func tooSmallMessage(_ size: TerminalSize) -> String {
        "terminal too small — need at least \(Layout.minimumSize.columns)×\(Layout.minimumSize.rows), now \(size.columns)×\(size.rows)"
    }

    static func drawTooSmall(_ size: TerminalSize, on screen: Screen) {
        let lines = TextWidth.wrap(tooSmallMessage(size), width: max(1, size.columns)) + ["q quits"]
        let top = max(0, (size.rows - lines.count) / 2)
        for (i, text) in lines.prefix(size.rows).enumerated() {
            screen.put(text, row: top + i, column: max(0, (size.columns - TextWidth.of(text)) / 2), style: TextStyle(.warning))
        }
    }
}
