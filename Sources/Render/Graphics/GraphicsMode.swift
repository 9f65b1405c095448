/// How pictures reach the terminal: a pixel protocol, colour half-blocks, or not at all.
public enum GraphicsMode: String, Sendable, CaseIterable {
    /// Detect: the terminal's answers to a query and its environment, half-blocks when unsure.
    case auto
    /// The kitty graphics protocol (kitty, WezTerm, Ghostty, Konsole).
    case kitty
    /// DEC sixel graphics (xterm -ti vt340, foot, mlterm, WezTerm, Windows Terminal).
    case sixel
    /// iTerm2's inline images (iTerm2, WezTerm, mintty).
    case iterm
    /// Colour half-blocks (▀), which work in every terminal and over SSH.
    case halfblock
    /// No picture, only the text that goes with it.
    case none

    /// Parses a `--graphics` value.
    public init?(argument: String) { self.init(rawValue: argument.lowercased()) }

    /// The pixel protocol this mode names, if it names one.
    public var pixelProtocol: GraphicsProtocol? {
        switch self {
        case .kitty: .kitty
        case .sixel: .sixel
        case .iterm: .iterm
        case .auto, .halfblock, .none: nil
        }
    }
}

/// A terminal protocol that shows real pixels.
public enum GraphicsProtocol: String, Sendable, CaseIterable {
    case kitty, sixel, iterm
}
