import Engine

// MARK: - Elementwise operators

extension Lowering {
    /// a ⊕ b with broadcasting; integer constants are combined exactly.
    func elementwise(_ op: Elementwise.Binary, _ a: LoweredValue, _ b: LoweredValue, shape: [Int],
                     type: ONNXDataType) throws -> LoweredValue {
        if let x = a.constant, let y = b.constant, case .integer = x.storage, case .integer = y.storage,
           let f = IntegerFolding.binary(op), try Self.checkedCount(shape) <= Self.maxFoldedElements {
            return .constant(IntegerFolding.combine([x, y], shape: shape, type: type) { IntegerFolding.wrap(f($0[0], $0[1]), type) })
        }
        return try emit(.binary(op), [a, b], shape: shape, type: type)
    }

    /// A pointwise activation, fused into the convolution that produces `x` when nothing else reads it.
    func activation(_ x: LoweredValue, _ a: Activation) throws -> LoweredValue {
        if case .dynamic(let id, let shape, let type) = x, isPrivate(id),
           case .conv2d(let w, let b, let p, .identity) = nodes[id].op {
            nodes[id].op = .conv2d(weight: w, bias: b, params: p, activation: a)
            producedName[id] = nil
            return .dynamic(id: id, shape: shape, type: type)
        }
        return try emit(.activation(a), [x], shape: x.shape, type: x.type)
    }
}

extension OperatorRegistry {
    /// A broadcasting binary operator; integer operands use `integerOp` when given.
    static func binary(_ op: Elementwise.Binary, integerOp: Elementwise.Binary? = nil, comparison: Bool = false) -> Handler {
        { ctx in
            let a = try ctx.input(0), b = try ctx.input(1)
            if op != .pow && op != .prelu { _ = try ctx.sameType([a, b]) }
            let shape = try ctx.broadcast([a.shape, b.shape])
            let kernel = a.type.isInteger ? (integerOp ?? op) : op
            var y = try ctx.lowering.elementwise(kernel, a, b, shape: shape, type: comparison ? .bool : a.type)
            if op == .pow && a.type.isInteger && !y.isConstant {
                y = try ctx.lowering.emit(.unary(.truncate), [y], shape: shape, type: a.type)
            }
            return [y]
        }
    }

    /// Max, Min, Sum, Mean over any number of operands.
    static func variadic(_ op: Elementwise.Binary, mean: Bool = false) -> Handler {
        { ctx in
            guard ctx.inputCount > 0 else { throw ctx.invalid("needs at least one input") }
            var acc = try ctx.input(0)
            for i in 1..<ctx.inputCount {
                let x = try ctx.input(i)
                _ = try ctx.sameType([acc, x])
                let shape = try ctx.broadcast([acc.shape, x.shape])
                acc = try ctx.lowering.elementwise(acc.type.isInteger && op == .div ? .truncatingDivide : op, acc, x, shape: shape, type: acc.type)
            }
            if mean && ctx.inputCount > 1 {
                let scale = ctx.lowering.constant(.scalar(1 / Float(ctx.inputCount)))
                acc = try ctx.lowering.emit(.binary(.mul), [acc, scale], shape: acc.shape, type: acc.type)
            }
            return [acc]
        }
    }

    /// Mod with `fmod` choosing C or Python remainder semantics.
    static let mod: Handler = { ctx in
        let a = try ctx.input(0), b = try ctx.input(1)
        _ = try ctx.sameType([a, b])
        let op: Elementwise.Binary = try ctx.int("fmod", 0) == 1 ? .truncatingModulo : .floorModulo
        return [try ctx.lowering.elementwise(op, a, b, shape: try ctx.broadcast([a.shape, b.shape]), type: a.type)]
    }

    /// A pointwise function with the operand's shape and type (or `type`).
    static func unary(_ f: Unary, type: ONNXDataType? = nil) -> Handler {
        { ctx in
            let x = try ctx.input(0)
            return [try ctx.lowering.emit(.unary(f), [x], shape: x.shape, type: type ?? x.type)]
        }
    }

    /// A unary function whose parameters come from attributes.
    static func parametric(_ make: @escaping @Sendable (NodeContext) throws -> Unary) -> Handler {
        { ctx in
            let x = try ctx.input(0)
            return [try ctx.lowering.emit(.unary(try make(ctx)), [x], shape: x.shape, type: x.type)]
        }
    }

    /// An engine activation (fusable into a preceding convolution).
    static func activation(_ make: @escaping @Sendable (NodeContext) throws -> Activation) -> Handler {
        { ctx in [try ctx.lowering.activation(try ctx.input(0), try make(ctx))] }
    }

    /// Identity (and Dropout in inference: the data unchanged, an all-true mask).
    static let identity: Handler = { ctx in
        let x = try ctx.input(0)
        if ctx.node.opType == "Dropout" {
            if let training = try ctx.constantInput(2, "training_mode"), training.integers.first ?? 0 != 0 {
                let ratio = try ctx.constantInput(1, "ratio")?.doubles.first ?? 0.5
                if ratio != 0 { throw ctx.unsupported("training-mode dropout with ratio \(ratio) (random, not reproducible)") }
            }
            let mask = ONNXTensor(integers: [Int64](repeating: 1, count: x.count), shape: x.shape, type: .bool)
            return [x, .constant(mask)]
        }
        return [x]
    }

    /// Where(cond, x, y).
    static let select: Handler = { ctx in
        let c = try ctx.input(0), a = try ctx.input(1), b = try ctx.input(2)
        let type = try ctx.sameType([a, b])
        let shape = try ctx.broadcast([c.shape, a.shape, b.shape])
        if let cc = c.constant, let ac = a.constant, let bc = b.constant, case .integer = ac.storage, case .integer = bc.storage,
           try Lowering.checkedCount(shape) <= Lowering.maxFoldedElements {
            return [.constant(IntegerFolding.combine([cc, ac, bc], shape: shape, type: type) { $0[0] != 0 ? $0[1] : $0[2] })]
        }
        return [try ctx.lowering.emit(.select, [c, a, b], shape: shape, type: type)]
    }

    /// Cast and CastLike.
    static let cast: Handler = { ctx in
        let x = try ctx.input(0)
        let target: ONNXDataType
        if ctx.node.opType == "CastLike" {
            target = try ctx.input(1).type
        } else {
            let code = try ctx.int("to", 0)
            guard let t = ONNXDataType(code: Int64(code)) else { throw ctx.invalid("unknown target type \(code)") }
            target = t
        }
        guard target.isRuntimeSupported else { throw ONNXError.unsupportedType("\(target) (Cast node '\(ctx.name)')") }
        guard x.type.isRuntimeSupported || x.isConstant else { throw ONNXError.unsupportedType("\(x.type) (Cast node '\(ctx.name)')") }
        if let c = x.constant, case .integer(let v) = c.storage, target != .bool, !target.isFloatingPoint {
            return [.constant(ONNXTensor(integers: v.map { IntegerFolding.wrap($0, target) }, shape: c.shape, type: target))]
        }
        let f: Unary?
        if target == .bool {
            f = x.type == .bool ? nil : .nonZero
        } else if target.isFloatingPoint || x.type == .bool {
            f = nil
        } else if x.type.isFloatingPoint {
            f = target.bits >= 64 ? .truncate : .wrapInteger(bits: target.bits, signed: target.isSigned)
        } else {
            let widens = x.type == target || target.bits >= 64
                || (x.type.bits < target.bits && (target.isSigned || !x.type.isSigned))
            f = widens ? nil : .wrapInteger(bits: target.bits, signed: target.isSigned)
        }
        guard let f else {   // same values, new label
            switch x {
            case .constant(let c): return [.constant(ONNXTensor(carried: c.engineTensor, type: target))]
            case .dynamic(let id, let s, _): return [.dynamic(id: id, shape: s, type: target)]
            }
        }
        return [try ctx.lowering.emit(.unary(f), [x], shape: x.shape, type: target)]
    }

    /// Clip with min/max from attributes (opset < 11) or optional inputs.
    static let clip: Handler = { ctx in
        let x = try ctx.input(0)
        if ctx.opset < 11 {
            let lo = try ctx.float("min", -.infinity), hi = try ctx.float("max", .infinity)
            return [try ctx.lowering.activation(x, .clip(lower: lo, upper: hi))]
        }
        var y = x
        let lo = try ctx.optionalInput(1), hi = try ctx.optionalInput(2)
        if (lo?.isConstant ?? true) && (hi?.isConstant ?? true) && x.type.isFloatingPoint {
            let l = lo?.constant?.doubles.first.map { Float($0) } ?? -.infinity
            let h = hi?.constant?.doubles.first.map { Float($0) } ?? .infinity
            return [try ctx.lowering.activation(x, .clip(lower: l, upper: h))]
        }
        if let lo { y = try ctx.lowering.elementwise(.max, y, lo, shape: try ctx.broadcast([y.shape, lo.shape]), type: x.type) }
        if let hi { y = try ctx.lowering.elementwise(.min, y, hi, shape: try ctx.broadcast([y.shape, hi.shape]), type: x.type) }
        return [y]
    }
}
