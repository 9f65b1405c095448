/// A mouse report: a left click or a wheel turn at a screen cell (0-based).
public struct MouseEvent: Hashable, Sendable {
    /// What the mouse did.
    public enum Kind: Hashable, Sendable {
        case click
        case wheelUp
        case wheelDown
    }

    public var kind: Kind
    public var row: Int
    public var column: Int

    public init(_ kind: Kind, row: Int, column: Int) {
        self.kind = kind
        self.row = row
        self.column = column
    }

    /// Rows a wheel turn scrolls (negative: up); 0 for a click.
    public var wheelRows: Int {
        switch kind {
        case .click: return 0
        case .wheelUp: return -3
        case .wheelDown: return 3
        }
    }
}
