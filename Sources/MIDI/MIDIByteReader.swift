import Media

/// A bounds-checked cursor over SMF bytes whose errors name the file and the absolute byte offset.
struct MIDIByteReader {
    // MARK: State

    let bytes: [UInt8]
    let source: String
    /// Absolute offset of the next byte.
    var position: Int
    /// Absolute offset one past the last readable byte (the end of the current chunk or file).
    var limit: Int
    /// What `limit` ends, for truncation messages ("file" or "track chunk").
    var limitName = "file"

    init(bytes: [UInt8], source: String, position: Int = 0, limit: Int? = nil) {
        self.bytes = bytes
        self.source = source
        self.position = position
        self.limit = limit ?? bytes.count
    }

    // MARK: Queries

    /// Bytes left before `limit`.
    var remaining: Int { limit - position }

    /// Whether the cursor has reached `limit`.
    var isAtEnd: Bool { position >= limit }

    /// The next byte without consuming it, or nil at the limit.
    func peek() -> UInt8? { position < limit ? bytes[position] : nil }

    // MARK: Reading

    /// One byte; `what` names it in the truncation message.
    mutating func u8(_ what: @autoclosure () -> String) throws -> UInt8 {
        guard position < limit else { throw truncated(what()) }
        defer { position += 1 }
        return bytes[position]
    }

    /// A big-endian 16-bit word.
    mutating func u16(_ what: @autoclosure () -> String) throws -> UInt16 {
        guard remaining >= 2 else { throw truncated(what()) }
        defer { position += 2 }
        return UInt16(bytes[position]) << 8 | UInt16(bytes[position + 1])
    }

    /// A big-endian 32-bit word.
    mutating func u32(_ what: @autoclosure () -> String) throws -> UInt32 {
        guard remaining >= 4 else { throw truncated(what()) }
        defer { position += 4 }
        return bytes[position..<position + 4].reduce(0) { $0 << 8 | UInt32($1) }
    }

    /// A variable-length quantity: 7 bits per byte, high bit set on all but the last, at most 4 bytes.
    mutating func variableLength(_ what: @autoclosure () -> String) throws -> Int {
        let start = position
        var value = 0
        for count in 1...4 {
            let byte = try u8(what())
            value = value << 7 | Int(byte & 0x7F)
            if byte & 0x80 == 0 { return value }
            if count == 4 {
                throw corrupt("\(what()) is a variable-length quantity longer than 4 bytes", at: start)
            }
        }
        return value
    }

    /// `count` bytes as an array slice.
    mutating func take(_ count: Int, _ what: @autoclosure () -> String) throws -> ArraySlice<UInt8> {
        guard count >= 0, count <= remaining else {
            throw corrupt("\(what()) declares \(count) bytes but only \(remaining) remain", at: position)
        }
        defer { position += count }
        return bytes[position..<position + count]
    }

    /// Skips `count` bytes.
    mutating func skip(_ count: Int, _ what: @autoclosure () -> String) throws {
        _ = try take(count, what())
    }

    // MARK: Errors

    /// A `MediaError.corrupt` for this file with the offset appended.
    func corrupt(_ detail: String, at offset: Int) -> MediaError {
        .corrupt(path: source, format: "MIDI", detail: "\(detail) (at byte offset \(offset))")
    }

    private func truncated(_ what: String) -> MediaError {
        return corrupt("\(limitName) ends in the middle of \(what)", at: position)
    }
}
