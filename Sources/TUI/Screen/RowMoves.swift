/// Whether curses may scroll the terminal between two frames of text.
///
/// ncurses compares the lines of the new frame with those on the terminal by their characters
/// and, where lines moved up or down as a block (a list scrolled, a filter removed rows), scrolls
/// that region of the terminal instead of rewriting it. The terminal then moves every cell of
/// those rows, including the preview picture that was written around curses, and curses blanks
/// what it believes is empty there. Scrolling cannot be switched off (idlok leaves this
/// optimisation on), so the screen reports when it may have happened and the picture is redrawn.
public enum RowMoves {
    /// True when some row changed and its new text is the old text of another row: the only
    /// case in which curses' hash-based scroll detection can find a move (a superset of it).
    public static func mayScroll(from old: [UInt64], to new: [UInt64]) -> Bool {
        guard !old.isEmpty, old.count == new.count else { return false }
        var rowsByHash: [UInt64: [Int]] = [:]
        for (row, hash) in old.enumerated() { rowsByHash[hash, default: []].append(row) }
        for (row, hash) in new.enumerated() where hash != old[row] {
            if let rows = rowsByHash[hash], rows.contains(where: { $0 != row }) { return true }
        }
        return false
    }

    /// FNV-1a over the UTF-8 of a row's text.
    public static func hash(_ text: String) -> UInt64 {
        var hash: UInt64 = 1469598103934665603
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 1099511628211 }
        return hash
    }
}
