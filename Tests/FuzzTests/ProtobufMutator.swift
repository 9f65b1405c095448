/// Structure-aware mutation of protobuf messages (ONNX models): the bytes are parsed into a tree
/// of fields, one number somewhere in it (a dimension, an attribute, an element of packed data, a
/// float) is replaced by a hostile value, and the tree is serialised again with correct lengths.
/// Byte-level mutants mostly break the framing; these reach the importer's shape arithmetic.
enum ProtobufMutator {
    // MARK: Tree

    /// One field of a message.
    indirect enum Value {
        case varint(UInt64)
        case fixed64(UInt64)
        case fixed32(UInt32)
        /// Length-delimited bytes that parse as a message.
        case message([Field])
        /// Length-delimited bytes that do not (strings, raw tensor data).
        case bytes([UInt8])
    }

    struct Field {
        var number: UInt64
        var value: Value
    }

    /// The fields of `bytes[range]`, or nil when they are not a well-formed message.
    static func parse(_ bytes: [UInt8], _ range: Range<Int>, depth: Int = 0) -> [Field]? {
        guard depth < 32 else { return nil }
        var fields: [Field] = []
        var i = range.lowerBound
        func varint() -> UInt64? {
            var result: UInt64 = 0, shift: UInt64 = 0
            while i < range.upperBound, shift < 64 {
                let b = bytes[i]; i += 1
                result |= UInt64(b & 0x7F) << shift
                if b & 0x80 == 0 { return result }
                shift += 7
            }
            return nil
        }
        while i < range.upperBound {
            guard let key = varint(), key >> 3 > 0 else { return nil }
            let number = key >> 3
            switch key & 7 {
            case 0:
                guard let v = varint() else { return nil }
                fields.append(Field(number: number, value: .varint(v)))
            case 1:
                guard range.upperBound - i >= 8 else { return nil }
                let v = (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[i + $1]) << (8 * UInt64($1)) }
                i += 8
                fields.append(Field(number: number, value: .fixed64(v)))
            case 5:
                guard range.upperBound - i >= 4 else { return nil }
                let v = (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[i + $1]) << (8 * UInt32($1)) }
                i += 4
                fields.append(Field(number: number, value: .fixed32(v)))
            case 2:
                guard let length = varint(), length <= UInt64(range.upperBound - i) else { return nil }
                let inner = i..<(i + Int(length))
                i += Int(length)
                if !inner.isEmpty, let nested = parse(bytes, inner, depth: depth + 1) {
                    fields.append(Field(number: number, value: .message(nested)))
                } else {
                    fields.append(Field(number: number, value: .bytes(Array(bytes[inner]))))
                }
            default:
                return nil
            }
        }
        return fields
    }

    /// The message's bytes.
    static func serialise(_ fields: [Field]) -> [UInt8] {
        var out: [UInt8] = []
        func varint(_ value: UInt64) {
            var v = value
            while v >= 0x80 { out.append(UInt8(v & 0x7F) | 0x80); v >>= 7 }
            out.append(UInt8(v))
        }
        for field in fields {
            switch field.value {
            case .varint(let v): varint(field.number << 3); varint(v)
            case .fixed64(let v): varint(field.number << 3 | 1); for k in 0..<8 { out.append(UInt8(truncatingIfNeeded: v >> (8 * UInt64(k)))) }
            case .fixed32(let v): varint(field.number << 3 | 5); for k in 0..<4 { out.append(UInt8(truncatingIfNeeded: v >> (8 * UInt32(k)))) }
            case .message(let inner):
                let body = serialise(inner)
                varint(field.number << 3 | 2); varint(UInt64(body.count)); out += body
            case .bytes(let body):
                varint(field.number << 3 | 2); varint(UInt64(body.count)); out += body
            }
        }
        return out
    }

    // MARK: Mutation

    /// Numbers that break shape arithmetic (as two's complement varints).
    static let hostileInts: [Int64] = [0, -1, -2, 1, 2, 3, 7, 255, 1 << 16, 1 << 24, 1 << 31, -(1 << 31), 1 << 40,
                                       Int64.max, Int64.min, Int64.max - 1, Int64.min + 1, 1 << 62]
    static let hostileFloats: [Float] = [.nan, .infinity, -.infinity, 0, -0.0, 1e30, -1e30, 1e-30, Float.leastNonzeroMagnitude, -1, 65536]

    /// `count` mutants of `seeds` with one to three numbers changed each.
    static func mutants<G: RandomNumberGenerator>(of seeds: [[UInt8]], count: Int, using g: inout G) -> [[UInt8]] {
        let trees = seeds.compactMap { parse($0, 0..<$0.count) }
        guard !trees.isEmpty else { return [] }
        return (0..<count).map { index in
            var tree = trees[index % trees.count]
            for _ in 0..<Int.random(in: 1...3, using: &g) { mutate(&tree, using: &g) }
            return serialise(tree)
        }
    }

    /// Replaces one leaf (chosen uniformly over the tree) by a hostile value, or drops or repeats a field.
    private static func mutate<G: RandomNumberGenerator>(_ tree: inout [Field], using g: inout G) {
        let leaves = countLeaves(tree)
        guard leaves > 0 else { return }
        var target = Int.random(in: 0..<leaves, using: &g)
        _ = visit(&tree, &target, using: &g)
    }

    private static func countLeaves(_ fields: [Field]) -> Int {
        fields.reduce(0) { total, field in
            if case .message(let inner) = field.value { return total + 1 + countLeaves(inner) }
            return total + 1
        }
    }

    /// Walks to leaf number `target` and mutates it; true once done.
    private static func visit<G: RandomNumberGenerator>(_ fields: inout [Field], _ target: inout Int, using g: inout G) -> Bool {
        for index in fields.indices {
            if target == 0 {
                switch Int.random(in: 0..<10, using: &g) {
                case 0: fields.remove(at: index)
                case 1: fields.insert(fields[index], at: index)
                default: change(&fields[index].value, using: &g)
                }
                return true
            }
            target -= 1
            if case .message(var inner) = fields[index].value {
                if visit(&inner, &target, using: &g) {
                    fields[index].value = .message(inner)
                    return true
                }
            }
        }
        return false
    }

    private static func change<G: RandomNumberGenerator>(_ value: inout Value, using g: inout G) {
        switch value {
        case .varint:
            value = .varint(UInt64(bitPattern: hostileInts.randomElement(using: &g)!))
        case .fixed32:
            value = .fixed32(hostileFloats.randomElement(using: &g)!.bitPattern)
        case .fixed64:
            value = .fixed64(Double(hostileFloats.randomElement(using: &g)!).bitPattern)
        case .bytes(var body):
            if body.count >= 4, Bool.random(using: &g) {
                let at = Int.random(in: 0...(body.count - 4), using: &g) & ~3
                let bits = hostileFloats.randomElement(using: &g)!.bitPattern
                for k in 0..<4 { body[at + k] = UInt8(truncatingIfNeeded: bits >> (8 * UInt32(k))) }
            } else if !body.isEmpty {
                body[Int.random(in: 0..<body.count, using: &g)] = UInt8.random(in: 0...255, using: &g)
            }
            value = .bytes(body)
        case .message(let inner):
            // Wipe a submessage's contents or double them.
            value = Bool.random(using: &g) ? .message([]) : .message(inner + inner)
        }
    }
}
