/// A key press, decoded from the terminal (or written by a test).
public enum Key: Hashable, Sendable, CustomStringConvertible {
    /// A printable character (including space).
    case character(Character)
    /// Ctrl plus a letter (lowercase), e.g. `.control("c")`.
    case control(Character)
    case enter, tab, backTab, escape, backspace, delete
    case up, down, left, right, home, end, pageUp, pageDown
    /// A function key F1…F12.
    case function(Int)
    /// The terminal changed size.
    case resize
    /// A click or wheel turn (when the terminal reports the mouse).
    case mouse(MouseEvent)

    public var description: String {
        switch self {
        case .character(" "): return "Space"
        case .character(let c): return String(c)
        case .control(let c): return "Ctrl-\(c.uppercased())"
        case .enter: return "Enter"
        case .tab: return "Tab"
        case .backTab: return "Shift-Tab"
        case .escape: return "Esc"
        case .backspace: return "Backspace"
        case .delete: return "Delete"
        case .up: return "↑"
        case .down: return "↓"
        case .left: return "←"
        case .right: return "→"
        case .home: return "Home"
        case .end: return "End"
        case .pageUp: return "PgUp"
        case .pageDown: return "PgDn"
        case .function(let n): return "F\(n)"
        case .resize: return "resize"
        case .mouse(let m):
            switch m.kind {
            case .click: return "click \(m.row),\(m.column)"
            case .wheelUp: return "wheel up"
            case .wheelDown: return "wheel down"
            }
        }
    }

    /// Keys for each character of `text` (tests type with it).
    public static func typing(_ text: String) -> [Key] { text.map { .character($0) } }
}
