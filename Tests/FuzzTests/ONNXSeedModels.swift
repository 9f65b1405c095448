/// Small ONNX models built byte by byte as fuzz seeds: every structure the importer reads
/// (initializers of several types, attributes of every kind, shape arithmetic operators).
enum ONNXSeedModels {
    // MARK: Protobuf fields

    /// Appends protobuf fields (field numbers from onnx.proto).
    struct Fields {
        var bytes: [UInt8] = []

        mutating func varint(_ value: UInt64) {
            var v = value
            while v >= 0x80 { bytes.append(UInt8(v & 0x7F) | 0x80); v >>= 7 }
            bytes.append(UInt8(v))
        }
        mutating func tag(_ field: Int, _ wire: Int) { varint(UInt64(field << 3 | wire)) }
        mutating func int(_ field: Int, _ value: Int64) { tag(field, 0); varint(UInt64(bitPattern: value)) }
        mutating func data(_ field: Int, _ payload: [UInt8]) { tag(field, 2); varint(UInt64(payload.count)); bytes += payload }
        mutating func text(_ field: Int, _ value: String) { data(field, Array(value.utf8)) }
        mutating func float(_ field: Int, _ value: Float) {
            tag(field, 5)
            for k in 0..<4 { bytes.append(UInt8(truncatingIfNeeded: value.bitPattern >> (8 * UInt32(k)))) }
        }
        mutating func message(_ field: Int, _ build: (inout Fields) -> Void) {
            var inner = Fields()
            build(&inner)
            data(field, inner.bytes)
        }
    }

    // MARK: Pieces

    /// A TensorProto: FLOAT (1) as raw data, INT64 (7) as int64_data.
    static func tensor(_ name: String, dims: [Int64], floats: [Float] = [], ints: [Int64] = []) -> (inout Fields) -> Void {
        { t in
            for d in dims { t.int(1, d) }
            t.int(2, ints.isEmpty ? 1 : 7)
            if ints.isEmpty {
                var raw: [UInt8] = []
                for v in floats { for k in 0..<4 { raw.append(UInt8(truncatingIfNeeded: v.bitPattern >> (8 * UInt32(k)))) } }
                t.data(9, raw)
            } else {
                var packed = Fields()
                for v in ints { packed.varint(UInt64(bitPattern: v)) }
                t.data(7, packed.bytes)
            }
            t.text(8, name)
        }
    }

    /// A ValueInfoProto of element type `type` (1 FLOAT, 7 INT64) and fixed dims.
    static func value(_ name: String, _ dims: [Int64], type: Int64 = 1) -> (inout Fields) -> Void {
        { v in
            v.text(1, name)
            v.message(2) { t in t.message(1) { tensor in
                tensor.int(1, type)
                tensor.message(2) { shape in for d in dims { shape.message(1) { dim in dim.int(1, d) } } }
            } }
        }
    }

    /// An AttributeProto of type INT (2), INTS (7), FLOAT (1) or STRING (3).
    static func attribute(_ name: String, int: Int64? = nil, ints: [Int64]? = nil, float: Float? = nil,
                          string: String? = nil) -> (inout Fields) -> Void {
        { a in
            a.text(1, name)
            if let int { a.int(3, int); a.int(20, 2) }
            if let ints { for v in ints { a.int(8, v) }; a.int(20, 7) }
            if let float { a.float(2, float); a.int(20, 1) }
            if let string { a.text(4, string); a.int(20, 3) }
        }
    }

    /// A NodeProto.
    static func node(_ op: String, _ inputs: [String], _ outputs: [String],
                     _ attributes: [(inout Fields) -> Void] = []) -> (inout Fields) -> Void {
        { n in
            for i in inputs { n.text(1, i) }
            for o in outputs { n.text(2, o) }
            n.text(4, op)
            for a in attributes { n.message(5, a) }
        }
    }

    /// A ModelProto (IR 8, opset 13) holding one graph.
    static func model(nodes: [(inout Fields) -> Void], initializers: [(inout Fields) -> Void],
                      inputs: [(inout Fields) -> Void], outputs: [(inout Fields) -> Void]) -> [UInt8] {
        var m = Fields()
        m.int(1, 8)
        m.text(2, "mlwb-fuzz")
        m.message(8) { o in o.text(1, ""); o.int(2, 13) }
        m.message(7) { g in
            for n in nodes { g.message(1, n) }
            g.text(2, "seed")
            for t in initializers { g.message(5, t) }
            for i in inputs { g.message(11, i) }
            for o in outputs { g.message(12, o) }
        }
        return m.bytes
    }

    // MARK: Seeds

    /// Convolution, pooling, reshaping and a dense layer.
    static var convolution: [UInt8] {
        model(nodes: [
            node("Conv", ["x", "w", "b"], ["c"], [attribute("kernel_shape", ints: [3, 3]), attribute("pads", ints: [1, 1, 1, 1]),
                                                 attribute("strides", ints: [1, 1])]),
            node("Relu", ["c"], ["r"]),
            node("MaxPool", ["r"], ["p"], [attribute("kernel_shape", ints: [2, 2]), attribute("strides", ints: [2, 2])]),
            node("Reshape", ["p", "shape"], ["flat"]),
            node("Gemm", ["flat", "fc", "fb"], ["y"], [attribute("transB", int: 1), attribute("alpha", float: 1)]),
            node("Softmax", ["y"], ["z"], [attribute("axis", int: 1)]),
        ], initializers: [
            tensor("w", dims: [2, 1, 3, 3], floats: (0..<18).map { Float($0) / 18 }),
            tensor("b", dims: [2], floats: [0.1, -0.1]),
            tensor("shape", dims: [2], ints: [1, -1]),
            tensor("fc", dims: [3, 8], floats: (0..<24).map { Float($0) / 24 }),
            tensor("fb", dims: [3], floats: [0, 0, 0]),
        ], inputs: [value("x", [1, 1, 4, 4])], outputs: [value("z", [1, 3])])
    }

    /// Shape arithmetic: Shape, Gather, Slice, Concat, Transpose, Unsqueeze, Expand, Pad, Range.
    static var shapes: [UInt8] {
        model(nodes: [
            node("Shape", ["x"], ["s"]),
            node("Gather", ["s", "one"], ["n"], [attribute("axis", int: 0)]),
            node("Slice", ["x", "starts", "ends", "axes"], ["sl"]),
            node("Transpose", ["sl"], ["t"], [attribute("perm", ints: [1, 0])]),
            node("Concat", ["t", "t"], ["cat"], [attribute("axis", int: 0)]),
            node("Unsqueeze", ["cat", "axes"], ["u"]),
            node("Expand", ["u", "grow"], ["e"]),
            node("Pad", ["x", "pads"], ["pad"], [attribute("mode", string: "reflect")]),
            node("ReduceMean", ["pad"], ["m"], [attribute("axes", ints: [1]), attribute("keepdims", int: 0)]),
            node("Range", ["zero", "n", "step"], ["rng"]),
        ], initializers: [
            tensor("one", dims: [], ints: [1]),
            tensor("starts", dims: [1], ints: [1]),
            tensor("ends", dims: [1], ints: [Int64.max]),
            tensor("axes", dims: [1], ints: [0]),
            tensor("grow", dims: [3], ints: [2, 1, 1]),
            tensor("pads", dims: [4], ints: [1, 1, 1, 1]),
            tensor("zero", dims: [], ints: [0]),
            tensor("step", dims: [], ints: [1]),
        ], inputs: [value("x", [3, 4])],
        outputs: [value("e", [2, 6, 2]), value("m", [5]), value("rng", [4], type: 7)])
    }

    /// Resizing, averaging, matrix products and broadcasting arithmetic.
    static var resize: [UInt8] {
        model(nodes: [
            node("Resize", ["x", "", "scales"], ["r"], [attribute("mode", string: "linear")]),
            node("AveragePool", ["r"], ["a"], [attribute("kernel_shape", ints: [3, 3]), attribute("ceil_mode", int: 1),
                                              attribute("pads", ints: [1, 1, 1, 1])]),
            node("Flatten", ["a"], ["f"], [attribute("axis", int: 1)]),
            node("MatMul", ["f", "k"], ["mm"]),
            node("Mul", ["mm", "half"], ["h"]),
            node("Clip", ["h", "lo", "hi"], ["y"]),
        ], initializers: [
            tensor("scales", dims: [4], floats: [1, 1, 2, 1.5]),
            tensor("k", dims: [24, 2], floats: (0..<48).map { Float($0) / 48 }),
            tensor("half", dims: [1], floats: [0.5]),
            tensor("lo", dims: [], floats: [-1]),
            tensor("hi", dims: [], floats: [1]),
        ], inputs: [value("x", [1, 1, 4, 4])], outputs: [value("y", [1, 2])])
    }
}
