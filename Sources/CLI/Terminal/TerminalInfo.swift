import CNCurses

/// Facts about a terminal type from its terminfo entry (through ncurses).
enum TerminalInfo {
    /// The number of colours terminfo declares for `term`, or nil if the entry is unknown.
    static func colors(term: String) -> Int? {
        let n = mlwb_terminfo_colors(term)
        return n > 0 ? Int(n) : nil
    }
}
