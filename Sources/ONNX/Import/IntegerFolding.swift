import Engine

// MARK: - Exact integer constant folding

/// Int64 arithmetic on integer constants, so shape computations never pass through Float32.
enum IntegerFolding {
    /// For each operand, the flat source index of every element of the broadcast output.
    static func indexMaps(_ shapes: [[Int]], into out: [Int]) -> [[Int]] {
        shapes.map { s in
            let strides = Broadcast.strides(of: s, in: out)
            if out.isEmpty { return [0] }
            let total = out.reduce(1, *)
            var map: [Int] = []
            map.reserveCapacity(total)
            var idx = [Int](repeating: 0, count: out.count)
            var off = 0
            for _ in 0..<total {
                map.append(off)
                var ax = out.count - 1
                while ax >= 0 {
                    idx[ax] += 1; off += strides[ax]
                    if idx[ax] < out[ax] { break }
                    off -= strides[ax] * out[ax]; idx[ax] = 0; ax -= 1
                }
            }
            return map
        }
    }

    /// f applied elementwise with broadcasting to integer constants.
    static func combine(_ xs: [ONNXTensor], shape: [Int], type: ONNXDataType, _ f: ([Int64]) -> Int64) -> ONNXTensor {
        let maps = indexMaps(xs.map(\.shape), into: shape)
        let data = xs.map(\.integers)
        let n = shape.reduce(1, *)
        var out = [Int64](repeating: 0, count: n)
        var args = [Int64](repeating: 0, count: xs.count)
        for i in 0..<n {
            for k in 0..<xs.count { args[k] = data[k][maps[k][i]] }
            out[i] = f(args)
        }
        return ONNXTensor(integers: out, shape: shape, type: type)
    }

    /// Wraps an exact result into the range of a narrow integer type.
    static func wrap(_ v: Int64, _ type: ONNXDataType) -> Int64 {
        switch type {
        case .int8: Int64(Int8(truncatingIfNeeded: v))
        case .int16: Int64(Int16(truncatingIfNeeded: v))
        case .int32: Int64(Int32(truncatingIfNeeded: v))
        case .uint8: Int64(UInt8(truncatingIfNeeded: v))
        case .uint16: Int64(UInt16(truncatingIfNeeded: v))
        case .uint32: Int64(UInt32(truncatingIfNeeded: v))
        case .bool: v != 0 ? 1 : 0
        default: v
        }
    }

    /// The exact Int64 version of a binary op, if it has one.
    static func binary(_ op: Elementwise.Binary) -> ((Int64, Int64) -> Int64)? {
        switch op {
        case .add: return { $0 &+ $1 }
        case .sub: return { $0 &- $1 }
        case .mul: return { $0 &* $1 }
        // Int64.min / -1 does not fit: two's complement wraps it (as numpy does) instead of trapping.
        case .div, .truncatingDivide: return { $1 == 0 ? 0 : $0.dividedReportingOverflow(by: $1).partialValue }
        case .floorModulo: return { a, b in
            if b == 0 { return 0 }
            let r = a.remainderReportingOverflow(dividingBy: b).partialValue
            return r != 0 && ((r < 0) != (b < 0)) ? r + b : r
        }
        case .truncatingModulo: return { $1 == 0 ? 0 : $0.remainderReportingOverflow(dividingBy: $1).partialValue }
        case .max: return { Swift.max($0, $1) }
        case .min: return { Swift.min($0, $1) }
        case .equal: return { $0 == $1 ? 1 : 0 }
        case .less: return { $0 < $1 ? 1 : 0 }
        case .lessOrEqual: return { $0 <= $1 ? 1 : 0 }
        case .greater: return { $0 > $1 ? 1 : 0 }
        case .greaterOrEqual: return { $0 >= $1 ? 1 : 0 }
        case .and: return { $0 != 0 && $1 != 0 ? 1 : 0 }
        case .or: return { $0 != 0 || $1 != 0 ? 1 : 0 }
        case .xor: return { ($0 != 0) != ($1 != 0) ? 1 : 0 }
        case .pow, .prelu: return nil
        }
    }
}
