/// Collects terminal escape sequences, wrapping each in tmux's passthrough (`ESC P tmux; … ESC \`,
/// every ESC inside doubled) when the picture is sent through tmux to the terminal outside it.
public struct EscapeWriter {
    /// The bytes so far.
    public private(set) var bytes: [UInt8] = []
    /// Whether sequences are wrapped for tmux.
    public let tmuxPassthrough: Bool

    /// A writer; `tmuxPassthrough` wraps every sequence for tmux.
    public init(tmuxPassthrough: Bool, reserving capacity: Int = 0) {
        self.tmuxPassthrough = tmuxPassthrough
        bytes.reserveCapacity(capacity + capacity / 16)
    }

    /// Appends one escape sequence that `body` writes (wrapped when passing through tmux).
    public mutating func sequence(_ body: (inout [UInt8]) -> Void) {
        guard tmuxPassthrough else { body(&bytes); return }
        var inner: [UInt8] = []
        body(&inner)
        bytes.append(contentsOf: [0x1B, UInt8(ascii: "P")] + Array("tmux;".utf8))
        for b in inner {
            if b == 0x1B { bytes.append(0x1B) }
            bytes.append(b)
        }
        bytes.append(contentsOf: [0x1B, UInt8(ascii: "\\")])
    }

    /// Appends plain text (cursor movement, newlines), never wrapped.
    public mutating func text(_ string: String) { bytes.append(contentsOf: Array(string.utf8)) }
}

extension Array where Element == UInt8 {
    /// Appends the UTF-8 bytes of `string`.
    @inlinable mutating func append(ascii string: String) { append(contentsOf: string.utf8) }

    /// Appends a non-negative integer in decimal.
    @inlinable mutating func append(decimal value: Int) {
        if value >= 10 { append(decimal: value / 10) }
        append(UInt8(ascii: "0") + UInt8(value % 10))
    }
}
