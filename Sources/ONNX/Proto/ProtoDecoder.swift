import Engine

// MARK: - ONNX message decoding

/// Decodes the ONNX protobuf messages mlwb needs (field numbers from onnx.proto); unknown fields are skipped.
enum ProtoDecoder {
    // MARK: ModelProto

    /// The fields of a ModelProto.
    struct ModelFields {
        var irVersion: Int64 = 0
        var producerName = "", producerVersion = "", domain = "", docString = ""
        var modelVersion: Int64 = 0
        var opsets: [String: Int] = [:]
        var metadata: [String: String] = [:]
        var graph: ONNXGraph?
    }

    static func model(_ r: inout ProtoReader) throws -> ModelFields {
        var m = ModelFields()
        while let (f, w) = try r.nextField() {
            switch f {
            case 1: m.irVersion = try r.readInt(w, field: "ir_version")
            case 2: m.producerName = try r.readString(w, field: "producer_name")
            case 3: m.producerVersion = try r.readString(w, field: "producer_version")
            case 4: m.domain = try r.readString(w, field: "domain")
            case 5: m.modelVersion = try r.readInt(w, field: "model_version")
            case 6: m.docString = try r.readString(w, field: "doc_string")
            case 7: var g = try r.readMessage(w, field: "graph", context: "GraphProto"); m.graph = try graph(&g)
            case 8:
                var o = try r.readMessage(w, field: "opset_import", context: "OperatorSetIdProto")
                var domain = "", version: Int64 = 0
                while let (f2, w2) = try o.nextField() {
                    switch f2 {
                    case 1: domain = try o.readString(w2, field: "domain")
                    case 2: version = try o.readInt(w2, field: "version")
                    default: try o.skip(w2)
                    }
                }
                m.opsets[domain == "ai.onnx" ? "" : domain] = Int(clamping: version)
            case 14:
                var p = try r.readMessage(w, field: "metadata_props", context: "StringStringEntryProto")
                var k = "", v = ""
                while let (f2, w2) = try p.nextField() {
                    switch f2 {
                    case 1: k = try p.readString(w2, field: "key")
                    case 2: v = try p.readString(w2, field: "value")
                    default: try p.skip(w2)
                    }
                }
                m.metadata[k] = v
            default: try r.skip(w)
            }
        }
        return m
    }

    // MARK: GraphProto

    static func graph(_ r: inout ProtoReader) throws -> ONNXGraph {
        var g = ONNXGraph(name: "", nodes: [], inputs: [], outputs: [], valueInfo: [], initializers: [:])
        while let (f, w) = try r.nextField() {
            switch f {
            case 1: var n = try r.readMessage(w, field: "node", context: "NodeProto"); g.nodes.append(try node(&n))
            case 2: g.name = try r.readString(w, field: "name")
            case 5:
                var t = try r.readMessage(w, field: "initializer", context: "TensorProto")
                let tensor = try self.tensor(&t)
                guard g.initializers[tensor.name] == nil else { throw ONNXError.invalidGraph("initializer '\(tensor.name)' is defined twice") }
                g.initializers[tensor.name] = tensor
            case 15: throw ONNXError.unsupportedType("sparse initializers")
            case 11: var v = try r.readMessage(w, field: "input", context: "ValueInfoProto"); g.inputs.append(try valueInfo(&v))
            case 12: var v = try r.readMessage(w, field: "output", context: "ValueInfoProto"); g.outputs.append(try valueInfo(&v))
            case 13: var v = try r.readMessage(w, field: "value_info", context: "ValueInfoProto"); g.valueInfo.append(try valueInfo(&v))
            default: try r.skip(w)
            }
        }
        return g
    }

    // MARK: NodeProto

    static func node(_ r: inout ProtoReader) throws -> ONNXNode {
        var n = ONNXNode(opType: "", domain: "", name: "", inputs: [], outputs: [], attributes: [:])
        while let (f, w) = try r.nextField() {
            switch f {
            case 1: n.inputs.append(try r.readString(w, field: "input"))
            case 2: n.outputs.append(try r.readString(w, field: "output"))
            case 3: n.name = try r.readString(w, field: "name")
            case 4: n.opType = try r.readString(w, field: "op_type")
            case 7: n.domain = try r.readString(w, field: "domain")
            case 5:
                var a = try r.readMessage(w, field: "attribute", context: "AttributeProto")
                let (name, value) = try attribute(&a)
                n.attributes[name] = value
            default: try r.skip(w)
            }
        }
        if n.domain == "ai.onnx" { n.domain = "" }
        return n
    }

    // MARK: AttributeProto

    static func attribute(_ r: inout ProtoReader) throws -> (String, ONNXAttribute) {
        var name = "", type: Int64 = 0
        var f32: Float?, i64: Int64?, str: String?, tensor: ONNXTensor?
        var floats: [Float] = [], ints: [Int64] = [], strings: [String] = []
        var other: String?
        while let (f, w) = try r.nextField() {
            switch f {
            case 1: name = try r.readString(w, field: "name")
            case 20: type = try r.readInt(w, field: "type")
            case 2: f32 = try r.readFloat(w, field: "f")
            case 3: i64 = try r.readInt(w, field: "i")
            case 4: str = try r.readString(w, field: "s")
            case 5: var t = try r.readMessage(w, field: "t", context: "TensorProto"); tensor = try self.tensor(&t)
            case 7: try r.readFloats(w, field: "floats", into: &floats)
            case 8: try r.readInts(w, field: "ints", into: &ints)
            case 9: strings.append(try r.readString(w, field: "strings"))
            case 6, 11: try r.skip(w); other = "graph"
            case 10: try r.skip(w); other = "tensors"
            case 22, 23: try r.skip(w); other = "sparse tensor"
            case 14, 15: try r.skip(w); other = "type proto"
            case 21: try r.skip(w); other = "reference to a function attribute"
            default: try r.skip(w)
            }
        }
        let value: ONNXAttribute
        switch type {
        case 1: value = .float(f32 ?? 0)
        case 2: value = .int(i64 ?? 0)
        case 3: value = .string(str ?? "")
        case 4:
            guard let tensor else { throw ONNXError.malformed("attribute '\(name)' of type TENSOR has no tensor") }
            value = .tensor(tensor)
        case 6: value = .floats(floats)
        case 7: value = .ints(ints)
        case 8: value = .strings(strings)
        case 0:   // untyped (very old writers): infer from the field present
            if let f32 { value = .float(f32) } else if let i64 { value = .int(i64) } else if let str { value = .string(str) }
            else if let tensor { value = .tensor(tensor) } else if !floats.isEmpty { value = .floats(floats) }
            else if !ints.isEmpty { value = .ints(ints) } else if !strings.isEmpty { value = .strings(strings) }
            else { value = .unsupported(other ?? "empty attribute") }
        default: value = .unsupported(other ?? "attribute type \(type)")
        }
        return (name, value)
    }

    // MARK: ValueInfoProto

    static func valueInfo(_ r: inout ProtoReader) throws -> ONNXValueInfo {
        var v = ONNXValueInfo(name: "", dataType: nil, shape: nil, nonTensorKind: nil)
        while let (f, w) = try r.nextField() {
            switch f {
            case 1: v.name = try r.readString(w, field: "name")
            case 2:
                var t = try r.readMessage(w, field: "type", context: "TypeProto")
                while let (f2, w2) = try t.nextField() {
                    switch f2 {
                    case 1:
                        var tt = try t.readMessage(w2, field: "tensor_type", context: "TypeProto.Tensor")
                        while let (f3, w3) = try tt.nextField() {
                            switch f3 {
                            case 1:
                                let code = try tt.readInt(w3, field: "elem_type")
                                guard let dt = ONNXDataType(code: code) else { throw ONNXError.unsupportedType("element type code \(code)") }
                                v.dataType = dt
                            case 2:
                                var s = try tt.readMessage(w3, field: "shape", context: "TensorShapeProto")
                                var dims: [ONNXDimension] = []
                                while let (f4, w4) = try s.nextField() {
                                    guard f4 == 1 else { try s.skip(w4); continue }
                                    var d = try s.readMessage(w4, field: "dim", context: "Dimension")
                                    var dim = ONNXDimension.unknown
                                    while let (f5, w5) = try d.nextField() {
                                        switch f5 {
                                        case 1:
                                            let n = try d.readInt(w5, field: "dim_value")
                                            dim = n >= 0 && n < Int64(Int32.max) ? .fixed(Int(n)) : .unknown
                                        case 2: dim = .symbolic(try d.readString(w5, field: "dim_param"))
                                        default: try d.skip(w5)
                                        }
                                    }
                                    dims.append(dim)
                                }
                                v.shape = dims
                            default: try tt.skip(w3)
                            }
                        }
                    case 4: try t.skip(w2); v.nonTensorKind = "sequence"
                    case 5: try t.skip(w2); v.nonTensorKind = "map"
                    case 8: try t.skip(w2); v.nonTensorKind = "sparse tensor"
                    case 9: try t.skip(w2); v.nonTensorKind = "optional"
                    default: try t.skip(w2)
                    }
                }
            default: try r.skip(w)
            }
        }
        return v
    }

    // MARK: TensorProto

    /// Decodes a TensorProto, checking the declared element count against the data actually present
    /// before allocating anything.
    static func tensor(_ r: inout ProtoReader) throws -> ONNXTensor {
        var dims: [Int64] = [], code: Int64 = 0, name = ""
        var raw: Range<Int>?, floats: [Float] = [], int32s: [Int64] = [], int64s: [Int64] = []
        var doubles: [Double] = [], uint64s: [Int64] = [], strings = 0
        var external = false
        while let (f, w) = try r.nextField() {
            switch f {
            case 1: try r.readInts(w, field: "dims", into: &dims)
            case 2: code = try r.readInt(w, field: "data_type")
            case 4: try r.readFloats(w, field: "float_data", into: &floats)
            case 5: try r.readInts(w, field: "int32_data", into: &int32s)
            case 6: _ = try r.readBytes(w, field: "string_data"); strings += 1
            case 7: try r.readInts(w, field: "int64_data", into: &int64s)
            case 8: name = try r.readString(w, field: "name")
            case 9: raw = try r.readBytes(w, field: "raw_data")
            case 10: try r.readDoubles(w, field: "double_data", into: &doubles)
            case 11: try r.readInts(w, field: "uint64_data", into: &uint64s)
            case 13: try r.skip(w); external = true
            case 14: if try r.readInt(w, field: "data_location") == 1 { external = true }
            case 3: throw ONNXError.unsupportedType("segmented tensor '\(name)'")
            default: try r.skip(w)
            }
        }
        if external { throw ONNXError.externalData(tensor: name) }
        guard let type = ONNXDataType(code: code), type != .undefined else {
            throw ONNXError.unsupportedType("element type code \(code) of tensor '\(name)'")
        }
        var shape: [Int] = [], count = 1
        for d in dims {
            guard d >= 0, d <= Int64(Int32.max) else { throw ONNXError.malformed("tensor '\(name)' has extent \(d)") }
            let (c, overflow) = count.multipliedReportingOverflow(by: Int(d))
            guard !overflow, c <= 1 << 40 else { throw ONNXError.malformed("tensor '\(name)' declares too many elements") }
            shape.append(Int(d)); count = c
        }
        let bytes = r.buffer
        func mismatch(_ have: Int) -> ONNXError {
            .malformed("tensor '\(name)' declares \(count) elements of \(type) but holds \(have)")
        }
        func rawValues(_ size: Int) throws -> Range<Int>? {
            guard let raw else { return nil }
            guard raw.count == count * size else { throw mismatch(raw.count / max(size, 1)) }
            return raw
        }
        @inline(__always) func le(_ at: Int, _ size: Int) -> UInt64 {
            var v: UInt64 = 0
            for i in 0..<size { v |= UInt64(bytes[at + i]) << (8 * UInt64(i)) }
            return v
        }
        switch type {
        case .float, .double, .float16, .bfloat16:
            var t = Tensor.zeros([0])
            let size = type == .double ? 8 : (type == .float ? 4 : 2)
            if let raw = try rawValues(size) {
                var v = [Float](repeating: 0, count: count)
                for i in 0..<count {
                    let bits = le(raw.lowerBound + i * size, size)
                    switch type {
                    case .float: v[i] = Float(bitPattern: UInt32(bits))
                    case .double: v[i] = Float(Double(bitPattern: bits))
                    case .float16: v[i] = halfToFloat(UInt16(bits))
                    default: v[i] = Float(bitPattern: UInt32(bits) << 16)
                    }
                }
                t = Tensor(shape: shape, scalars: v)
            } else {
                let v: [Float]
                switch type {
                case .float: v = floats
                case .double: v = doubles.map { Float($0) }
                case .float16: v = int32s.map { halfToFloat(UInt16(truncatingIfNeeded: $0)) }
                default: v = int32s.map { Float(bitPattern: UInt32(truncatingIfNeeded: $0) << 16) }
                }
                guard v.count == count else { throw mismatch(v.count) }
                t = Tensor(shape: shape, scalars: v)
            }
            return ONNXTensor(name: name, t, type: type)
        case .int64, .int32, .int16, .int8, .uint8, .uint16, .uint32, .uint64, .bool:
            let size = type.bits / 8
            if let raw = try rawValues(size) {
                var v = [Int64](repeating: 0, count: count)
                for i in 0..<count {
                    let bits = le(raw.lowerBound + i * size, size)
                    switch type {
                    case .int8: v[i] = Int64(Int8(truncatingIfNeeded: bits))
                    case .int16: v[i] = Int64(Int16(truncatingIfNeeded: bits))
                    case .int32: v[i] = Int64(Int32(truncatingIfNeeded: bits))
                    case .bool: v[i] = bits != 0 ? 1 : 0
                    default: v[i] = Int64(bitPattern: bits)
                    }
                }
                return ONNXTensor(name: name, integers: v, shape: shape, type: type)
            }
            var v: [Int64]
            switch type {
            case .int64: v = int64s
            case .uint32, .uint64: v = uint64s
            default: v = int32s
            }
            guard v.count == count else { throw mismatch(v.count) }
            switch type {
            case .int8: v = v.map { Int64(Int8(truncatingIfNeeded: $0)) }
            case .int16: v = v.map { Int64(Int16(truncatingIfNeeded: $0)) }
            case .int32: v = v.map { Int64(Int32(truncatingIfNeeded: $0)) }
            case .uint8: v = v.map { Int64(UInt8(truncatingIfNeeded: $0)) }
            case .uint16: v = v.map { Int64(UInt16(truncatingIfNeeded: $0)) }
            case .bool: v = v.map { $0 != 0 ? 1 : 0 }
            default: break
            }
            return ONNXTensor(name: name, integers: v, shape: shape, type: type)
        default:
            _ = strings
            throw ONNXError.unsupportedType("\(type) (tensor '\(name)')")
        }
    }

    /// IEEE 754 half → single.
    static func halfToFloat(_ h: UInt16) -> Float {
        let sign = UInt32(h >> 15) << 31, exp = Int((h >> 10) & 0x1F), frac = UInt32(h & 0x3FF)
        if exp == 0 {
            if frac == 0 { return Float(bitPattern: sign) }
            let v = Float(frac) / 1024 / 16384   // subnormal: frac · 2⁻²⁴
            return sign != 0 ? -v : v
        }
        if exp == 31 { return Float(bitPattern: sign | 0x7F80_0000 | (frac << 13)) }
        return Float(bitPattern: sign | UInt32(exp - 15 + 127) << 23 | (frac << 13))
    }
}
