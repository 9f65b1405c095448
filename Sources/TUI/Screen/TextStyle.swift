/// What a piece of text is, which decides its colours through the theme.
///
/// Panes never name colours: they draw with roles, and the theme maps each role to a foreground,
/// a background and attributes. The in-memory screen records roles, so tests can check that the
/// focused pane's border is drawn as `.focus` without knowing any colour.
public enum StyleRole: String, CaseIterable, Hashable, Sendable {
    /// The screen's background (only its background colour matters).
    case background
    /// Ordinary text.
    case text
    /// Secondary text: sizes, hints, help columns.
    case muted
    /// Pane borders.
    case border
    /// The focused pane's border and title.
    case focus
    /// Pane titles of unfocused panes.
    case title
    /// Column headers and section titles inside panes.
    case header
    /// The selected row in the focused pane.
    case selection
    /// The selected row in an unfocused pane.
    case selectionDim = "selection-dim"
    /// The filled part of progress bars.
    case bar
    /// The empty part of progress bars.
    case barEmpty = "bar-empty"
    /// The status bar.
    case status
    /// Key names in the status bar and help.
    case statusKey = "status-key"
    /// Something to watch: missing checkpoints, paused transfers.
    case warning
    /// Failures and validation errors.
    case error
    /// Ready, verified, finished.
    case success
    /// Overlay windows (help, log, confirmations).
    case overlay
    /// Overlay borders and titles.
    case overlayBorder = "overlay-border"
    /// Text being edited (command line, filter, form field).
    case input
    /// Emphasised values (the running job, the active field).
    case accent
}

/// Attributes a role may add on top of its colours.
public struct TextAttributes: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let bold = TextAttributes(rawValue: 1)
    public static let dim = TextAttributes(rawValue: 2)
    public static let underline = TextAttributes(rawValue: 4)
    public static let reverse = TextAttributes(rawValue: 8)
}

/// How one run of text is drawn: a role plus extra attributes.
public struct TextStyle: Hashable, Sendable {
    public var role: StyleRole
    public var attributes: TextAttributes

    public init(_ role: StyleRole, _ attributes: TextAttributes = []) {
        self.role = role
        self.attributes = attributes
    }

    public static let text = TextStyle(.text)
    public static let muted = TextStyle(.muted)
    public static let background = TextStyle(.background)

    /// The same role in bold.
    public var bold: TextStyle { TextStyle(role, attributes.union(.bold)) }
}
