/// A bounds-checked little/big-endian reader over a byte array; every read past the end
/// becomes a `CheckpointError.malformed` naming `format`, never a crash.
struct ByteReader {
    let bytes: [UInt8]
    var position: Int
    let end: Int
    let format: String

    init(_ bytes: [UInt8], position: Int = 0, end: Int? = nil, format: String) {
        self.bytes = bytes
        self.position = position
        self.end = min(end ?? bytes.count, bytes.count)
        self.format = format
    }

    // MARK: Position

    /// Bytes left before `end`.
    var remaining: Int { max(0, end - position) }

    /// Throws unless `count` more bytes are available.
    func require(_ count: Int, _ what: @autoclosure () -> String) throws {
        guard count >= 0, count <= remaining else {
            throw CheckpointError.malformed(format: format, detail: "truncated: \(what()) needs \(count) bytes at offset \(position) but only \(remaining) remain")
        }
    }

    // MARK: Reading

    mutating func u8(_ what: @autoclosure () -> String = "a byte") throws -> UInt8 {
        try require(1, what())
        defer { position += 1 }
        return bytes[position]
    }

    mutating func take(_ count: Int, _ what: @autoclosure () -> String) throws -> ArraySlice<UInt8> {
        try require(count, what())
        defer { position += count }
        return bytes[position..<(position + count)]
    }

    mutating func skip(_ count: Int, _ what: @autoclosure () -> String) throws {
        try require(count, what())
        position += count
    }

    /// An unsigned little-endian integer of `width` bytes (1–8).
    mutating func unsignedLE(_ width: Int, _ what: @autoclosure () -> String) throws -> UInt64 {
        let slice = try take(width, what())
        var value: UInt64 = 0
        for (shift, byte) in slice.enumerated() { value |= UInt64(byte) << (8 * UInt64(shift)) }
        return value
    }

    mutating func u16(_ what: @autoclosure () -> String) throws -> Int { Int(try unsignedLE(2, what())) }
    mutating func u32(_ what: @autoclosure () -> String) throws -> Int { Int(try unsignedLE(4, what())) }
    mutating func i32(_ what: @autoclosure () -> String) throws -> Int { Int(Int32(truncatingIfNeeded: try unsignedLE(4, what()))) }

    /// An unsigned 64-bit little-endian length, refused if it does not fit in `Int`.
    mutating func length64(_ what: @autoclosure () -> String) throws -> Int {
        let value = try unsignedLE(8, what())
        guard value <= UInt64(Int.max) else {
            throw CheckpointError.malformed(format: format, detail: "\(what()) declares an impossible length \(value)")
        }
        return Int(value)
    }

    /// A big-endian IEEE double.
    mutating func f64BE(_ what: @autoclosure () -> String) throws -> Double {
        let slice = try take(8, what())
        var bits: UInt64 = 0
        for byte in slice { bits = bits << 8 | UInt64(byte) }
        return Double(bitPattern: bits)
    }

    /// Bytes up to (not including) the next newline, which is consumed; at most `limit` bytes.
    mutating func line(limit: Int, _ what: @autoclosure () -> String) throws -> String {
        var cursor = position
        while cursor < end, cursor - position <= limit {
            if bytes[cursor] == 0x0a {
                let text = String(decoding: bytes[position..<cursor], as: UTF8.self)
                position = cursor + 1
                return text
            }
            cursor += 1
        }
        throw CheckpointError.malformed(format: format, detail: "truncated or overlong \(what()) at offset \(position)")
    }
}
