import Render

/// A colour as a theme file writes it: the terminal's own default, an xterm palette index, or 24-bit RGB.
public enum ThemeColor: Hashable, Sendable, CustomStringConvertible {
    /// The terminal's default foreground or background.
    case terminalDefault
    /// An xterm palette index, 0–255 (0–15 are the ANSI colours).
    case index(UInt8)
    /// A 24-bit colour.
    case rgb(RGB8)

    /// The names a theme file may use, mapped to ANSI palette indices.
    public static let names: [String: UInt8] = [
        "black": 0, "red": 1, "green": 2, "yellow": 3, "blue": 4, "magenta": 5, "cyan": 6, "white": 7,
        "bright-black": 8, "grey": 8, "gray": 8, "bright-red": 9, "bright-green": 10, "bright-yellow": 11,
        "bright-blue": 12, "bright-magenta": 13, "bright-cyan": 14, "bright-white": 15,
    ]

    /// Parses `#rrggbb`, `0`–`255`, a colour name or `default`; nil if it is none of those.
    public init?(parsing text: String) {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        if t == "default" || t == "none" { self = .terminalDefault; return }
        if t.hasPrefix("#") {
            guard let c = RGB8(hex: t) else { return nil }
            self = .rgb(c); return
        }
        if let n = Int(t) {
            guard (0...255).contains(n) else { return nil }
            self = .index(UInt8(n)); return
        }
        if let i = ThemeColor.names[t] { self = .index(i); return }
        return nil
    }

    public var description: String {
        switch self {
        case .terminalDefault: return "default"
        case .index(let i): return String(i)
        case .rgb(let c): return c.description
        }
    }

    /// The colour as RGB (palette indices through the xterm palette; nil for the terminal default).
    public var rgbValue: RGB8? {
        switch self {
        case .terminalDefault: return nil
        case .index(let i): return TerminalPalette.color(ofIndex: Int(i))
        case .rgb(let c): return c
        }
    }

    /// The colour number to give ncurses for a terminal with `colors` colours: packed RGB on
    /// direct-colour terminals, the nearest palette entry otherwise, -1 for the default.
    public func cursesNumber(colors: Int) -> Int32 {
        switch self {
        case .terminalDefault:
            return -1
        case .index(let i):
            if Int(i) < colors { return Int32(i) }
            let c = TerminalPalette.color(ofIndex: Int(i))
            return ThemeColor.rgb(c).cursesNumber(colors: colors)
        case .rgb(let c):
            if colors >= 1 << 24 { return Int32(bitPattern: c.packed) }
            if colors >= 256 { return Int32(TerminalPalette.nearest256(c)) }
            let n = Int32(TerminalPalette.nearest16(c))
            return colors >= 16 ? n : n % 8
        }
    }
}
