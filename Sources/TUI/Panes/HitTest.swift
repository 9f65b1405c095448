/// What a screen cell shows: the pane under it and the row a click there selects.
///
/// Measured against the same lines and scrolling the panes draw, so a click lands on the row the
/// user sees.
public enum HitTest {
    /// A pane and, when the cell is on a selectable line, that line's target.
    public struct Hit: Equatable, Sendable {
        public var pane: PaneID
        public var target: RowTarget?
    }

    /// The pane and row under (row, column), or nil outside every pane (the status bar).
    public static func hit(row: Int, column: Int, in state: AppState) -> Hit? {
        let layout = state.layout
        guard let pane = PaneID.allCases.first(where: { layout.rect(of: $0).contains(row: row, column: column) }) else { return nil }
        let inside = layout.rect(of: pane).inset(1)
        guard inside.contains(row: row, column: column) else { return Hit(pane: pane, target: nil) }
        let content: ([StyledLine], Int?)
        switch pane {
        case .models: content = ModelsPane.content(state, width: inside.width)
        case .media: content = MediaPane.content(state, width: inside.width)
        case .downloads: content = DownloadsPane.content(state, width: inside.width)
        case .preview: return Hit(pane: pane, target: nil)
        }
        let line = PaneChrome.line(at: row, in: inside, content.0, cursor: content.1)
        return Hit(pane: pane, target: line?.target)
    }
}
