import Render

/// Colours and attributes for every `StyleRole`, loaded from a `themes/NAME.theme` file.
public struct Theme: Equatable, Sendable {
    /// How one role is drawn.
    public struct RoleStyle: Equatable, Hashable, Sendable {
        /// Foreground; nil inherits the `text` role's.
        public var foreground: ThemeColor?
        /// Background; nil inherits the `background` role's.
        public var background: ThemeColor?
        public var attributes: TextAttributes

        public init(foreground: ThemeColor? = nil, background: ThemeColor? = nil, attributes: TextAttributes = []) {
            self.foreground = foreground
            self.background = background
            self.attributes = attributes
        }
    }

    /// The theme's name (the file name without `.theme`).
    public var name: String
    /// One line saying what the theme is for.
    public var summary: String
    /// The style of each role that the file set.
    public var roles: [StyleRole: RoleStyle]

    public init(name: String, summary: String = "", roles: [StyleRole: RoleStyle]) {
        self.name = name
        self.summary = summary
        self.roles = roles
    }

    // MARK: Resolved styles

    /// The screen background colour.
    public var backgroundColor: ThemeColor {
        roles[.background]?.background ?? roles[.background]?.foreground ?? .terminalDefault
    }

    /// The colours and attributes `role` is drawn with, after inheritance.
    public func resolved(_ role: StyleRole) -> (foreground: ThemeColor, background: ThemeColor, attributes: TextAttributes) {
        let own = roles[role]
        let text = roles[.text]
        let fg = role == .background ? (text?.foreground ?? .terminalDefault) : (own?.foreground ?? text?.foreground ?? .terminalDefault)
        let bg = own?.background ?? backgroundColor
        return (fg, bg, own?.attributes ?? [])
    }

    // MARK: Built in

    /// The default theme, compiled in so the workbench always has one (the same values as
    /// `themes/default.theme`).
    public static let builtIn: Theme = {
        func c(_ hex: String) -> ThemeColor { .rgb(RGB8(hex: hex)!) }
        return Theme(name: "default", summary: "dark background, blue focus (built in)", roles: [
            .background: .init(background: c("#1b1d23")),
            .text: .init(foreground: c("#d5d8de")),
            .muted: .init(foreground: c("#7f8696")),
            .border: .init(foreground: c("#4a5060")),
            .focus: .init(foreground: c("#61afef"), attributes: .bold),
            .title: .init(foreground: c("#abb2bf")),
            .header: .init(foreground: c("#c8ccd4"), attributes: .bold),
            .selection: .init(foreground: c("#1b1d23"), background: c("#61afef")),
            .selectionDim: .init(foreground: c("#d5d8de"), background: c("#3a3f4b")),
            .bar: .init(foreground: c("#98c379")),
            .barEmpty: .init(foreground: c("#3a3f4b")),
            .status: .init(foreground: c("#d5d8de"), background: c("#2c313c")),
            .statusKey: .init(foreground: c("#e5c07b"), background: c("#2c313c"), attributes: .bold),
            .warning: .init(foreground: c("#e5c07b")),
            .error: .init(foreground: c("#e06c75"), attributes: .bold),
            .success: .init(foreground: c("#98c379")),
            .overlay: .init(foreground: c("#d5d8de"), background: c("#262a33")),
            .overlayBorder: .init(foreground: c("#c678dd"), background: c("#262a33"), attributes: .bold),
            .input: .init(foreground: c("#ffffff"), background: c("#3a3f4b")),
            .accent: .init(foreground: c("#c678dd"), attributes: .bold),
        ])
    }()
}
