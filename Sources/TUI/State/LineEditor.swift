/// A one-line text editor: the command line, a filter, or a form field being typed.
public struct LineEditor: Equatable, Sendable {
    /// The text so far.
    public var text: String
    /// The cursor position, in characters from the start.
    public var cursor: Int

    public init(_ text: String = "") {
        self.text = text
        cursor = text.count
    }

    /// What a key did to the editor.
    public enum Outcome: Equatable, Sendable {
        /// The text or cursor changed (or nothing happened).
        case editing
        /// Enter: accept the text.
        case commit
        /// Esc: abandon editing.
        case cancel
    }

    /// Applies an editing key: printable characters insert, Backspace/Delete remove, ←/→/Home/End
    /// (and Ctrl-A/E) move, Ctrl-U clears, Enter commits, Esc cancels.
    public mutating func handle(_ key: Key) -> Outcome {
        switch key {
        case .character(let c):
            let i = text.index(text.startIndex, offsetBy: cursor)
            text.insert(c, at: i)
            cursor += 1
        case .backspace, .control("h"):
            if cursor > 0 {
                let i = text.index(text.startIndex, offsetBy: cursor - 1)
                text.remove(at: i)
                cursor -= 1
            }
        case .delete, .control("d"):
            if cursor < text.count {
                text.remove(at: text.index(text.startIndex, offsetBy: cursor))
            }
        case .left: cursor = max(0, cursor - 1)
        case .right: cursor = min(text.count, cursor + 1)
        case .home, .control("a"): cursor = 0
        case .end, .control("e"): cursor = text.count
        case .control("u"): text = ""; cursor = 0
        case .enter: return .commit
        case .escape, .control("c"), .control("g"): return .cancel
        default: break
        }
        return .editing
    }
}
