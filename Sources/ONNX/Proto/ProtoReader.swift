// MARK: - Protobuf wire format

/// The wire type of a protobuf field.
enum WireType: Int {
    /// Varint (int32, int64, uint*, bool, enum).
    case varint = 0
    /// 8 little-endian bytes (fixed64, double).
    case fixed64 = 1
    /// Length-prefixed bytes (string, bytes, messages, packed repeated).
    case lengthDelimited = 2
    /// 4 little-endian bytes (fixed32, float).
    case fixed32 = 5
}

/// A bounds-checked reader over one protobuf message inside a shared byte buffer.
///
/// Every length is checked against the bytes that remain before anything is allocated, nesting is
/// limited, and group wire types (3, 4) are rejected, so hostile input yields `ONNXError.malformed`.
struct ProtoReader {
    /// Deepest message nesting accepted.
    static let maxDepth = 64

    /// The whole file (shared, never copied).
    let buffer: [UInt8]
    /// Next byte to read.
    private(set) var position: Int
    /// One past the last byte of this message.
    let end: Int
    /// Nesting depth of this message.
    let depth: Int
    /// Message name for errors.
    let context: String

    /// A reader over `buffer[range]`.
    init(_ buffer: [UInt8], range: Range<Int>? = nil, depth: Int = 0, context: String) {
        self.buffer = buffer
        let r = range ?? 0..<buffer.count
        self.position = r.lowerBound
        self.end = r.upperBound
        self.depth = depth
        self.context = context
    }

    /// Whether the message has more fields.
    var isAtEnd: Bool { position >= end }
    /// Bytes left in this message.
    var remaining: Int { end - position }

    func fail(_ what: String) -> ONNXError { .malformed("\(context): \(what) at byte \(position)") }

    // MARK: Scalars

    /// A base-128 varint (at most 10 bytes).
    mutating func readVarint() throws -> UInt64 {
        var result: UInt64 = 0, shift: UInt64 = 0
        while true {
            guard position < end else { throw fail("truncated varint") }
            let b = buffer[position]; position += 1
            if shift == 63 && b > 1 { throw fail("varint overflows 64 bits") }
            result |= UInt64(b & 0x7F) << shift
            if b & 0x80 == 0 { return result }
            shift += 7
            if shift > 63 { throw fail("varint longer than 10 bytes") }
        }
    }

    /// 4 little-endian bytes.
    mutating func readFixed32() throws -> UInt32 {
        guard remaining >= 4 else { throw fail("truncated fixed32") }
        var v: UInt32 = 0
        for i in 0..<4 { v |= UInt32(buffer[position + i]) << (8 * UInt32(i)) }
        position += 4
        return v
    }

    /// 8 little-endian bytes.
    mutating func readFixed64() throws -> UInt64 {
        guard remaining >= 8 else { throw fail("truncated fixed64") }
        var v: UInt64 = 0
        for i in 0..<8 { v |= UInt64(buffer[position + i]) << (8 * UInt64(i)) }
        position += 8
        return v
    }

    // MARK: Fields

    /// The next field's number and wire type, or nil at the end of the message.
    mutating func nextField() throws -> (number: Int, wire: WireType)? {
        if isAtEnd { return nil }
        let key = try readVarint()
        let number = Int(truncatingIfNeeded: key >> 3)
        guard number > 0, number < 1 << 29 else { throw fail("invalid field number \(key >> 3)") }
        guard let wire = WireType(rawValue: Int(key & 7)) else { throw fail("unsupported wire type \(key & 7) for field \(number)") }
        return (number, wire)
    }

    /// Skips a field's payload.
    mutating func skip(_ wire: WireType) throws {
        switch wire {
        case .varint: _ = try readVarint()
        case .fixed64: _ = try readFixed64()
        case .fixed32: _ = try readFixed32()
        case .lengthDelimited: _ = try readLength()
        }
    }

    /// Checks a field's wire type.
    func expect(_ wire: WireType, _ want: WireType, field: String) throws {
        guard wire == want else { throw fail("field \(field) has wire type \(wire.rawValue), expected \(want.rawValue)") }
    }

    /// The byte range of a length-delimited payload (checked against the remaining bytes), consumed.
    mutating func readLength() throws -> Range<Int> {
        let n = try readVarint()
        guard n <= UInt64(remaining) else { throw fail("declared length \(n) exceeds the \(remaining) bytes left") }
        let r = position..<(position + Int(n))
        position += Int(n)
        return r
    }

    /// A reader for an embedded message.
    mutating func readMessage(_ wire: WireType, field: String, context: String) throws -> ProtoReader {
        try expect(wire, .lengthDelimited, field: field)
        guard depth + 1 <= ProtoReader.maxDepth else { throw fail("messages nested deeper than \(ProtoReader.maxDepth)") }
        return ProtoReader(buffer, range: try readLength(), depth: depth + 1, context: context)
    }

    /// A UTF-8 string field (invalid UTF-8 is repaired).
    mutating func readString(_ wire: WireType, field: String) throws -> String {
        try expect(wire, .lengthDelimited, field: field)
        let r = try readLength()
        return String(decoding: buffer[r], as: UTF8.self)
    }

    /// A bytes field's range.
    mutating func readBytes(_ wire: WireType, field: String) throws -> Range<Int> {
        try expect(wire, .lengthDelimited, field: field)
        return try readLength()
    }

    /// A varint scalar field as Int64 (two's complement, as protobuf's int64/int32).
    mutating func readInt(_ wire: WireType, field: String) throws -> Int64 {
        try expect(wire, .varint, field: field)
        return Int64(bitPattern: try readVarint())
    }

    /// A float (fixed32) field.
    mutating func readFloat(_ wire: WireType, field: String) throws -> Float {
        try expect(wire, .fixed32, field: field)
        return Float(bitPattern: try readFixed32())
    }

    // MARK: Repeated fields (packed or not)

    /// Appends one varint, or a packed run of them.
    mutating func readInts(_ wire: WireType, field: String, into out: inout [Int64]) throws {
        switch wire {
        case .varint: out.append(Int64(bitPattern: try readVarint()))
        case .lengthDelimited:
            var sub = ProtoReader(buffer, range: try readLength(), depth: depth, context: context)
            out.reserveCapacity(out.count + sub.remaining / 2)   // every varint takes at least one byte
            while !sub.isAtEnd { out.append(Int64(bitPattern: try sub.readVarint())) }
        default: throw fail("field \(field) has wire type \(wire.rawValue), expected a varint or packed varints")
        }
    }

    /// Appends one float, or a packed run of them.
    mutating func readFloats(_ wire: WireType, field: String, into out: inout [Float]) throws {
        try readFixedWidth(wire, field: field, kind: "floats", into: &out) { Float(bitPattern: try $0.readFixed32()) }
    }

    /// Appends one double, or a packed run of them.
    mutating func readDoubles(_ wire: WireType, field: String, into out: inout [Double]) throws {
        try readFixedWidth(wire, field: field, kind: "doubles", into: &out) { Double(bitPattern: try $0.readFixed64()) }
    }

    /// Appends one fixed-width value (fixed32 for 4-byte `T`, fixed64 for 8-byte), or a packed run.
    private mutating func readFixedWidth<T>(_ wire: WireType, field: String, kind: String, into out: inout [T],
                                            _ read: (inout ProtoReader) throws -> T) throws {
        let width = MemoryLayout<T>.size
        let single: WireType = width == 4 ? .fixed32 : .fixed64
        switch wire {
        case single: out.append(try read(&self))
        case .lengthDelimited:
            let r = try readLength()
            guard r.count % width == 0 else { throw fail("packed \(kind) of \(r.count) bytes in field \(field)") }
            out.reserveCapacity(out.count + r.count / width)
            var sub = ProtoReader(buffer, range: r, depth: depth, context: context)
            while !sub.isAtEnd { out.append(try read(&sub)) }
        default: throw fail("field \(field) has wire type \(wire.rawValue), expected fixed\(width * 8) or packed \(kind)")
        }
    }
}
