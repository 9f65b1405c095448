// MARK: - A tiny protobuf writer for building test models

/// Encodes protobuf fields (tests only: hand-built models, including deliberately broken ones).
struct ProtoWriter {
    var bytes: [UInt8] = []

    mutating func varint(_ v: UInt64) {
        var v = v
        while v >= 0x80 { bytes.append(UInt8(v & 0x7F) | 0x80); v >>= 7 }
        bytes.append(UInt8(v))
    }
    mutating func key(_ field: Int, _ wire: Int) { varint(UInt64(field << 3 | wire)) }
    mutating func int(_ field: Int, _ v: Int64) { key(field, 0); varint(UInt64(bitPattern: v)) }
    mutating func bytes(_ field: Int, _ b: [UInt8]) { key(field, 2); varint(UInt64(b.count)); bytes += b }
    mutating func string(_ field: Int, _ s: String) { bytes(field, Array(s.utf8)) }
    mutating func message(_ field: Int, _ build: (inout ProtoWriter) -> Void) {
        var w = ProtoWriter(); build(&w); bytes(field, w.bytes)
    }
    mutating func float(_ field: Int, _ f: Float) {
        key(field, 5)
        let b = f.bitPattern
        for i in 0..<4 { bytes.append(UInt8((b >> (8 * UInt32(i))) & 0xFF)) }
    }

    /// A FLOAT tensor with raw data.
    static func tensor(_ name: String, dims: [Int64], values: [Float]) -> (inout ProtoWriter) -> Void {
        { t in
            for d in dims { t.int(1, d) }
            t.int(2, 1)
            t.string(8, name)
            var raw: [UInt8] = []
            for v in values { let b = v.bitPattern; for i in 0..<4 { raw.append(UInt8((b >> (8 * UInt32(i))) & 0xFF)) } }
            t.bytes(9, raw)
        }
    }

    /// A FLOAT value_info with a fixed shape.
    static func valueInfo(_ name: String, _ dims: [Int64]) -> (inout ProtoWriter) -> Void {
        { v in
            v.string(1, name)
            v.message(2) { t in t.message(1) { tt in
                tt.int(1, 1)
                tt.message(2) { s in for d in dims { s.message(1) { dim in dim.int(1, d) } } }
            } }
        }
    }

    /// A node.
    static func node(_ op: String, _ inputs: [String], _ outputs: [String], name: String = "",
                     attributes: [(inout ProtoWriter) -> Void] = []) -> (inout ProtoWriter) -> Void {
        { n in
            for i in inputs { n.string(1, i) }
            for o in outputs { n.string(2, o) }
            if !name.isEmpty { n.string(3, name) }
            n.string(4, op)
            for a in attributes { n.message(5, a) }
        }
    }

    /// A model: opset 13, the given nodes, initializers, inputs and outputs.
    static func model(nodes: [(inout ProtoWriter) -> Void], initializers: [(inout ProtoWriter) -> Void] = [],
                      inputs: [(inout ProtoWriter) -> Void], outputs: [(inout ProtoWriter) -> Void]) -> [UInt8] {
        var m = ProtoWriter()
        m.int(1, 8)
        m.string(2, "mlwb-tests")
        m.message(7) { g in
            for n in nodes { g.message(1, n) }
            g.string(2, "g")
            for t in initializers { g.message(5, t) }
            for i in inputs { g.message(11, i) }
            for o in outputs { g.message(12, o) }
        }
        m.message(8) { o in o.string(1, ""); o.int(2, 13) }
        return m.bytes
    }
}
