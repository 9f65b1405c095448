import Engine

// MARK: - Reductions

extension OperatorRegistry {
    /// The ReduceX family; composite kinds (L1, L2, SumSquare, LogSum, LogSumExp) are built from sum/max.
    enum ReduceKind { case sum, mean, max, min, prod, l1, l2, sumSquare, logSum, logSumExp }

    /// A ReduceX operator (axes from an attribute or, from opset 13 for Sum and 18 for the rest, an input).
    static func reduce(_ kind: ReduceKind) -> Handler {
        { ctx in
            let x = try ctx.input(0)
            let axesFromInput = ctx.opset >= (kind == .sum ? 13 : 18)
            let given = axesFromInput ? try ctx.constantInts(1, "axes") : try ctx.ints("axes")
            let keep = try ctx.int("keepdims", 1) != 0
            let noop = try ctx.int("noop_with_empty_axes", 0) != 0
            var axes: [Int]
            if let given, !given.isEmpty {
                axes = try given.map { try ctx.axis($0, rank: x.rank) }
                guard Set(axes).count == axes.count else { throw ctx.invalid("repeated axes \(given)") }
            } else {
                if noop { return [x] }
                axes = Array(0..<x.rank)
            }
            axes.sort()
            let kept = x.shape.enumerated().map { axes.contains($0.offset) ? 1 : $0.element }
            let out = keep ? kept : x.shape.enumerated().filter { !axes.contains($0.offset) }.map(\.element)
            let L = ctx.lowering
            if x.count == 0 && !x.type.isFloatingPoint && (kind == .max || kind == .min) {
                // Empty integer or bool reductions yield the type's identity (false/true for bool).
                let lowest: Int64 = x.type == .bool ? 0 : (x.type.isSigned ? -(Int64(1) << Int64(x.type.bits - 1)) : 0)
                let highest: Int64 = x.type == .bool ? 1 : (x.type.bits >= 64 ? Int64.max : (Int64(1) << Int64(x.type.bits - (x.type.isSigned ? 1 : 0))) - 1)
                let v = kind == .max ? lowest : highest
                return [.constant(ONNXTensor(integers: [Int64](repeating: v, count: out.reduce(1, *)), shape: out, type: x.type))]
            }
            func red(_ k: Reduce.Kind, _ v: LoweredValue) throws -> LoweredValue {
                try L.emit(.reduce(k, axes: axes, keepDims: true), [v], shape: kept, type: x.type)
            }
            func un(_ f: Unary, _ v: LoweredValue) throws -> LoweredValue { try L.emit(.unary(f), [v], shape: v.shape, type: x.type) }
            var y: LoweredValue
            switch kind {
            case .sum: y = try red(.sum, x)
            case .mean: y = try red(.mean, x)
            case .max: y = try red(.max, x)
            case .min: y = try red(.min, x)
            case .prod: y = try red(.prod, x)
            case .l1: y = try red(.sum, try un(.abs, x))
            case .sumSquare: y = try red(.sum, try L.emit(.binary(.mul), [x, x], shape: x.shape, type: x.type))
            case .l2: y = try un(.sqrt, try red(.sum, try L.emit(.binary(.mul), [x, x], shape: x.shape, type: x.type)))
            case .logSum: y = try un(.log, try red(.sum, x))
            case .logSumExp:
                if x.count == 0 { y = try un(.log, try red(.sum, x)); break }
                let m = try red(.max, x)
                let d = try L.emit(.binary(.sub), [x, m], shape: x.shape, type: x.type)
                let l = try un(.log, try red(.sum, try un(.exp, d)))
                y = try L.emit(.binary(.add), [l, m], shape: kept, type: x.type)
            }
            return [try L.reshape(y, out)]
        }
    }
}
