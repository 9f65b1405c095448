/// How many colours the terminal can show, which decides the escape sequences the renderer writes.
public enum ColorMode: String, Sendable, CaseIterable {
    /// 24-bit colour (`ESC[38;2;R;G;Bm`).
    case truecolor
    /// The xterm 256-colour palette (`ESC[38;5;Nm`): 6×6×6 cube and grey ramp.
    case palette256 = "256"
    /// The 16 ANSI colours.
    case ansi16 = "16"
    /// No colour at all: 1-bit half-blocks, dithered.
    case none

    /// Parses `--colors` values: truecolor/24bit/full, 256, 16, none/mono/2.
    public init?(argument: String) {
        switch argument.lowercased() {
        case "truecolor", "24bit", "24-bit", "full", "direct": self = .truecolor
        case "256", "240": self = .palette256
        case "16", "8": self = .ansi16
        case "none", "mono", "2", "0": self = .none
        default: return nil
        }
    }

    /// The best mode for a terminal described by its environment (NO_COLOR, COLORTERM, TERM) and,
    /// when the environment says nothing, the colour count its terminfo entry declares.
    public static func detect(environment: [String: String], terminfoColors: Int? = nil) -> ColorMode {
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return .none }
        let colorterm = environment["COLORTERM"]?.lowercased() ?? ""
        if colorterm == "truecolor" || colorterm == "24bit" { return .truecolor }
        let term = environment["TERM"]?.lowercased() ?? ""
        if term.hasSuffix("-direct") || term.contains("truecolor") { return .truecolor }
        if term.isEmpty || term == "dumb" { return .none }
        if term.contains("256color") { return .palette256 }
        if let n = terminfoColors {
            if n >= 1 << 24 { return .truecolor }
            if n >= 256 { return .palette256 }
            if n >= 8 { return .ansi16 }
            return .none
        }
        return .ansi16
    }
}
