/// The four panes, numbered as the keys 1–4 focus them.
public enum PaneID: Int, CaseIterable, Hashable, Sendable {
    case models = 1
    case media = 2
    case downloads = 3
    case preview = 4

    /// The title drawn on the pane's border.
    public var title: String {
        switch self {
        case .models: return "Models"
        case .media: return "Media"
        case .downloads: return "Downloads"
        case .preview: return "Preview"
        }
    }

    /// The pane after this one (Tab order), wrapping around.
    public var next: PaneID { PaneID(rawValue: rawValue % 4 + 1)! }
    /// The pane before this one (Shift-Tab order), wrapping around.
    public var previous: PaneID { PaneID(rawValue: (rawValue + 2) % 4 + 1)! }
}
