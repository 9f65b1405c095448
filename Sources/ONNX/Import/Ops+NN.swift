import Engine

// MARK: - Convolution, normalisation, pooling, dense layers

extension OperatorRegistry {
    /// Explicit (begin, end) pads and output extents of a window op over `spatial` input extents.
    static func windowGeometry(_ ctx: NodeContext, spatial: [Int], kernel: [Int], strides: [Int], dilations: [Int],
                               ceilMode: Bool) throws -> (begin: [Int], end: [Int], out: [Int]) {
        let n = spatial.count
        // Window sizes beyond 2^20 belong to no real model; bounding them keeps every sum below in range.
        let limit = Self.maxWindowExtent
        guard kernel.count == n, strides.count == n, dilations.count == n,
              kernel.allSatisfy({ (1...limit).contains($0) }), strides.allSatisfy({ (1...limit).contains($0) }),
              dilations.allSatisfy({ (1...limit).contains($0) }), spatial.allSatisfy({ (0...(1 << 31)).contains($0) }) else {
            throw ctx.invalid("window \(kernel), strides \(strides), dilations \(dilations) over \(spatial) (each 1–\(limit) per axis)")
        }
        var begin = [Int](repeating: 0, count: n), end = begin, out = begin
        let autoPad = try ctx.string("auto_pad", "NOTSET")
        if autoPad == "NOTSET" {
            let pads = try ctx.ints("pads") ?? [Int](repeating: 0, count: 2 * n)
            guard pads.count == 2 * n, pads.allSatisfy({ (0...limit).contains($0) }) else { throw ctx.invalid("pads \(pads) for \(n) spatial axes") }
            begin = Array(pads[..<n]); end = Array(pads[n...])
        }
        for a in 0..<n {
            let span = (kernel[a] - 1) * dilations[a] + 1
            switch autoPad {
            case "NOTSET":
                let room = spatial[a] + begin[a] + end[a] - span
                guard room >= 0 else { throw ctx.invalid("window \(span) exceeds padded extent \(spatial[a] + begin[a] + end[a])") }
                var o = (ceilMode ? (room + strides[a] - 1) / strides[a] : room / strides[a]) + 1
                if ceilMode && (o - 1) * strides[a] >= spatial[a] + begin[a] { o -= 1 }
                out[a] = o
            case "SAME_UPPER", "SAME_LOWER":
                out[a] = (spatial[a] + strides[a] - 1) / strides[a]
                let total = max((out[a] - 1) * strides[a] + span - spatial[a], 0)
                let small = total / 2
                if autoPad == "SAME_UPPER" { begin[a] = small; end[a] = total - small } else { begin[a] = total - small; end[a] = small }
            case "VALID":
                guard spatial[a] >= span else { throw ctx.invalid("window \(span) exceeds extent \(spatial[a])") }
                out[a] = (spatial[a] - span) / strides[a] + 1
            default: throw ctx.unsupported("auto_pad \(autoPad)")
            }
        }
        return (begin, end, out)
    }

    /// The largest kernel, stride, dilation or pad accepted on one axis (2^20).
    static let maxWindowExtent = 1 << 20

    /// Conv over 1 or 2 spatial axes (1-D runs as 2-D with height 1); the weight must be known at load time.
    static let conv: Handler = { ctx in
        let x = try ctx.input(0)
        guard let w = try ctx.constantInput(1, "the weight") else { throw ctx.invalid("weight missing") }
        let sp = x.rank - 2
        guard sp == 1 || sp == 2 else {
            if x.rank > 4 { throw ctx.unsupported("convolution over \(sp) spatial axes") }
            throw ctx.invalid("input rank \(x.rank)")
        }
        guard w.shape.count == x.rank else { throw ctx.invalid("weight \(w.shape) for input \(x.shape)") }
        let group = try ctx.int("group", 1)
        let kernel = Array(w.shape[2...])
        if let k = try ctx.ints("kernel_shape"), k != kernel { throw ctx.invalid("kernel_shape \(k) ≠ weight \(w.shape)") }
        let strides = try ctx.ints("strides") ?? [Int](repeating: 1, count: sp)
        let dilations = try ctx.ints("dilations") ?? [Int](repeating: 1, count: sp)
        let (channels, overflow) = w.shape[1].multipliedReportingOverflow(by: group)
        guard group > 0, !overflow, x.shape[1] == channels, w.shape[0] % group == 0 else {
            throw ctx.invalid("input channels \(x.shape[1]) vs weight \(w.shape) with group \(group)")
        }
        guard strides.count == sp, dilations.count == sp, strides.allSatisfy({ $0 > 0 }), dilations.allSatisfy({ $0 > 0 }) else {
            throw ctx.invalid("strides \(strides) / dilations \(dilations)")
        }
        let g = try windowGeometry(ctx, spatial: Array(x.shape[2...]), kernel: kernel, strides: strides, dilations: dilations, ceilMode: false)
        guard g.out.allSatisfy({ $0 > 0 }) else { throw ctx.invalid("empty output") }
        let co = w.shape[0]
        var bias: Tensor?
        var dynamicBias: LoweredValue?
        if let b = try ctx.optionalInput(2) {
            guard b.count == co else { throw ctx.invalid("bias of \(b.count) for \(co) channels") }
            if let c = b.constant { bias = c.engineTensor.reshaped([co]) } else { dynamicBias = b }
        }
        // 1-D as 2-D with a unit height.
        let two = { (v: [Int], unit: Int) in sp == 1 ? [unit] + v : v }
        let st = two(strides, 1), dl = two(dilations, 1), pb = two(g.begin, 0), pe = two(g.end, 0)
        let params = Conv2DParameters(strideH: st[0], strideW: st[1], padTop: pb[0], padLeft: pb[1], padBottom: pe[0],
                                      padRight: pe[1], dilationH: dl[0], dilationW: dl[1], groups: group)
        let weight = sp == 1 ? w.engineTensor.reshaped([co, w.shape[1], 1, kernel[0]]) : w.engineTensor
        let x4 = sp == 1 ? try ctx.lowering.reshape(x, [x.shape[0], x.shape[1], 1, x.shape[2]]) : x
        let out4 = [x.shape[0], co] + two(g.out, 1)
        var y = try ctx.lowering.emit(.conv2d(weight: weight, bias: bias, params: params, activation: .identity), [x4],
                                      shape: out4, type: x.type)
        if sp == 1 { y = try ctx.lowering.reshape(y, [x.shape[0], co, g.out[0]]) }
        if let dynamicBias {
            let b = try ctx.lowering.reshape(dynamicBias, [co] + [Int](repeating: 1, count: sp))
            y = try ctx.lowering.emit(.binary(.add), [y, b], shape: y.shape, type: y.type)
        }
        return [y]
    }

    /// Inference-mode BatchNormalization (folded into a preceding convolution when possible).
    static let batchNorm: Handler = { ctx in
        let x = try ctx.input(0)
        guard x.rank >= 2 else { throw ctx.invalid("input rank \(x.rank)") }
        if try ctx.int("training_mode", 0) != 0 { return try batchNormTraining(ctx, x) }
        let c = x.shape[1]
        var p: [ONNXTensor] = []
        for i in 1...4 {
            guard let t = try ctx.constantInput(i, ["", "scale", "bias", "mean", "variance"][i]), t.count == c else {
                throw ctx.invalid("parameter \(i) must hold \(c) values")
            }
            p.append(t)
        }
        let eps = try ctx.float("epsilon", 1e-5)
        let (gamma, beta, mean, variance) = (p[0].engineTensor.reshaped([c]), p[1].engineTensor.reshaped([c]),
                                             p[2].engineTensor.reshaped([c]), p[3].engineTensor.reshaped([c]))
        if case .dynamic(let id, let shape, let type) = x, ctx.lowering.isPrivate(id),
           case .conv2d(let w, let b, let params, .identity) = ctx.lowering.nodes[id].op {
            let f = BatchNormFolding.fold(weight: w, bias: b, gamma: gamma, beta: beta, mean: mean, variance: variance, epsilon: eps)
            ctx.lowering.nodes[id].op = .conv2d(weight: f.weight, bias: f.bias, params: params, activation: .identity)
            ctx.lowering.producedName[id] = nil
            return [.dynamic(id: id, shape: shape, type: type)]
        }
        var scale = [Float](repeating: 0, count: c), shift = scale
        for i in 0..<c {
            let s = Double(gamma[flat: i]) / (Double(variance[flat: i]) + Double(eps)).squareRoot()
            scale[i] = Float(s); shift[i] = Float(Double(beta[flat: i]) - Double(mean[flat: i]) * s)
        }
        let bshape = [c] + [Int](repeating: 1, count: x.rank - 2)
        let sv = ctx.lowering.constant(Tensor(shape: bshape, scalars: scale)), tv = ctx.lowering.constant(Tensor(shape: bshape, scalars: shift))
        let y = try ctx.lowering.emit(.binary(.mul), [x, sv], shape: x.shape, type: x.type)
        return [try ctx.lowering.emit(.binary(.add), [y, tv], shape: x.shape, type: x.type)]
    }

    /// Training-mode BatchNormalization: normalise with the batch statistics and update the running ones.
    static func batchNormTraining(_ ctx: NodeContext, _ x: LoweredValue) throws -> [LoweredValue] {
        let L = ctx.lowering, c = x.shape[1], t = x.type
        let axes = [0] + Array(2..<x.rank)
        let kept = [1, c] + [Int](repeating: 1, count: x.rank - 2)
        let pshape = [c] + [Int](repeating: 1, count: x.rank - 2)
        let eps = try ctx.float("epsilon", 1e-5), momentum = try ctx.float("momentum", 0.9)
        var params: [LoweredValue] = []
        for i in 1...4 {
            let p = try ctx.input(i)
            guard p.count == c else { throw ctx.invalid("parameter \(i) must hold \(c) values") }
            params.append(try L.reshape(p, pshape))
        }
        let mean = try L.emit(.reduce(.mean, axes: axes, keepDims: true), [x], shape: kept, type: t)
        let d = try L.emit(.binary(.sub), [x, mean], shape: x.shape, type: t)
        let variance = try L.emit(.reduce(.mean, axes: axes, keepDims: true), [try L.emit(.binary(.mul), [d, d], shape: x.shape, type: t)], shape: kept, type: t)
        let std = try L.emit(.unary(.sqrt), [try L.emit(.binary(.add), [variance, L.constant(.scalar(eps))], shape: kept, type: t)], shape: kept, type: t)
        var y = try L.emit(.binary(.div), [d, std], shape: x.shape, type: t)
        y = try L.emit(.binary(.mul), [y, params[0]], shape: x.shape, type: t)
        y = try L.emit(.binary(.add), [y, params[1]], shape: x.shape, type: t)
        func blend(_ running: LoweredValue, _ current: LoweredValue) throws -> LoweredValue {
            let a = try L.emit(.binary(.mul), [running, L.constant(.scalar(momentum))], shape: pshape, type: t)
            let b = try L.emit(.binary(.mul), [try L.reshape(current, pshape), L.constant(.scalar(1 - momentum))], shape: pshape, type: t)
            return try L.reshape(try L.emit(.binary(.add), [a, b], shape: pshape, type: t), [c])
        }
        return [y, try blend(params[2], mean), try blend(params[3], variance)]
    }

    /// MaxPool and AveragePool over any number of spatial axes.
    static func pool(isMax: Bool) -> Handler {
        { ctx in
            let x = try ctx.input(0)
            let sp = x.rank - 2
            guard sp >= 1 else { throw ctx.invalid("input rank \(x.rank)") }
            guard let kernel = try ctx.ints("kernel_shape"), kernel.count == sp, kernel.allSatisfy({ $0 > 0 }) else {
                throw ctx.invalid("kernel_shape must give \(sp) positive extents")
            }
            let strides = try ctx.ints("strides") ?? [Int](repeating: 1, count: sp)
            let dilations = try ctx.ints("dilations") ?? [Int](repeating: 1, count: sp)
            guard strides.count == sp, dilations.count == sp, strides.allSatisfy({ $0 > 0 }), dilations.allSatisfy({ $0 > 0 }) else {
                throw ctx.invalid("strides \(strides) / dilations \(dilations)")
            }
            let ceil = try ctx.int("ceil_mode", 0) != 0
            let g = try windowGeometry(ctx, spatial: Array(x.shape[2...]), kernel: kernel, strides: strides, dilations: dilations, ceilMode: ceil)
            let includePad = try ctx.int("count_include_pad", 0) != 0
            let shape = [x.shape[0], x.shape[1]] + g.out
            // The engine's 2-D kernels cover the common symmetric, undilated case (same output rule).
            if sp == 2 && dilations == [1, 1] && g.begin == g.end && ctx.node.outputs.count < 2 && !(isMax && x.type != .float && x.type != .double) {
                let p = Pool2DParameters(kernel: (kernel[0], kernel[1]), stride: (strides[0], strides[1]), padding: (g.begin[0], g.begin[1]),
                                         ceilMode: ceil, countIncludePad: includePad)
                if g.begin.allSatisfy({ $0 < 1 << 20 }), p.outputSize(height: x.shape[2], width: x.shape[3]) == (g.out[0], g.out[1]),
                   g.begin[0] * 2 < kernel[0] + 1, g.begin[1] * 2 < kernel[1] + 1 {
                    return [try ctx.lowering.emit(isMax ? .maxPool(p) : .averagePool(p), [x], shape: shape, type: x.type)]
                }
            }
            let p = PoolParameters(kernel: kernel, strides: strides, dilations: dilations, padsBegin: g.begin, padsEnd: g.end,
                                   outputSize: g.out, countIncludePad: includePad)
            let colMajor = try ctx.int("storage_order", 0) == 1
            var out = [try ctx.lowering.emit(.pool(p, isMax: isMax, outputIndices: false, columnMajorIndices: colMajor), [x], shape: shape, type: x.type)]
            if isMax && ctx.node.outputs.count > 1 && !ctx.node.outputs[1].isEmpty {
                out.append(try ctx.lowering.emit(.pool(p, isMax: true, outputIndices: true, columnMajorIndices: colMajor), [x], shape: shape, type: .int64))
            }
            return out
        }
    }

    /// GlobalAveragePool and GlobalMaxPool.
    static func globalPool(isMax: Bool) -> Handler {
        { ctx in
            let x = try ctx.input(0)
            guard x.rank >= 3 else { throw ctx.invalid("input rank \(x.rank)") }
            let axes = Array(2..<x.rank)
            let shape = [x.shape[0], x.shape[1]] + [Int](repeating: 1, count: x.rank - 2)
            if !isMax && x.rank == 4 { return [try ctx.lowering.emit(.globalAveragePool, [x], shape: shape, type: x.type)] }
            return [try ctx.lowering.emit(.reduce(isMax ? .max : .mean, axes: axes, keepDims: true), [x], shape: shape, type: x.type)]
        }
    }

    /// MatMul with NumPy rules (1-D operands promoted, then the promoted axis dropped).
    static let matmul: Handler = { ctx in
        var a = try ctx.input(0), b = try ctx.input(1)
        _ = try ctx.sameType([a, b])
        guard a.rank >= 1, b.rank >= 1 else { throw ctx.invalid("scalar operand") }
        let aVector = a.rank == 1, bVector = b.rank == 1
        if aVector { a = try ctx.lowering.reshape(a, [1, a.shape[0]]) }
        if bVector { b = try ctx.lowering.reshape(b, [b.shape[0], 1]) }
        guard var shape = MatMul.outputShape(a.shape, b.shape) else { throw ctx.invalid("cannot multiply \(a.shape) by \(b.shape)") }
        var y = try ctx.lowering.emit(.matmul, [a, b], shape: shape, type: a.type)
        if aVector { shape.remove(at: shape.count - 2) }
        if bVector { shape.removeLast() }
        y = try ctx.lowering.reshape(y, shape)
        return [y]
    }

    /// Gemm: alpha·A'·B' + beta·C; a constant B becomes a BLAS linear layer.
    static let gemm: Handler = { ctx in
        var a = try ctx.input(0)
        let b = try ctx.input(1)
        guard a.rank == 2, b.rank == 2 else { throw ctx.invalid("A \(a.shape) and B \(b.shape) must be matrices") }
        let alpha = try ctx.float("alpha", 1), beta = try ctx.float("beta", 1)
        let transA = try ctx.int("transA", 0) != 0, transB = try ctx.int("transB", 0) != 0
        if transA { a = try ctx.lowering.transpose(a, [1, 0]) }
        let (m, k) = (a.shape[0], a.shape[1])
        let (kb, n) = transB ? (b.shape[1], b.shape[0]) : (b.shape[0], b.shape[1])
        guard k == kb else { throw ctx.invalid("inner extents \(k) and \(kb) differ") }
        var y: LoweredValue
        if let bc = b.constant {
            var w = bc.engineTensor   // [out, in] for the linear layer
            if !transB { w = Transpose.forward(w, perm: [1, 0]) }
            if alpha != 1 { w = w * alpha }
            y = try ctx.lowering.emit(.linear(weight: w, bias: nil), [a], shape: [m, n], type: a.type)
        } else {
            let bt = transB ? try ctx.lowering.transpose(b, [1, 0]) : b
            y = try ctx.lowering.emit(.matmul, [a, bt], shape: [m, n], type: a.type)
            if alpha != 1 { y = try ctx.lowering.emit(.binary(.mul), [y, ctx.lowering.constant(.scalar(alpha))], shape: [m, n], type: a.type) }
        }
        if let c = try ctx.optionalInput(2), beta != 0 {
            guard Broadcast.shape(c.shape, [m, n]) == [m, n] else { throw ctx.invalid("C \(c.shape) does not broadcast to [\(m), \(n)]") }
            var cc = c
            if beta != 1 { cc = try ctx.lowering.emit(.binary(.mul), [c, ctx.lowering.constant(.scalar(beta))], shape: c.shape, type: c.type) }
            let rowVector = c.rank == 1 ? c.shape[0] == n : (c.rank == 2 && c.shape == [1, n])
            if rowVector, let k = cc.constant, case .dynamic(let id, let s, let t) = y,
               case .linear(let w, nil) = ctx.lowering.nodes[id].op {
                ctx.lowering.nodes[id].op = .linear(weight: w, bias: k.engineTensor.reshaped([n]))
                y = .dynamic(id: id, shape: s, type: t)
            } else {
                y = try ctx.lowering.emit(.binary(.add), [y, cc], shape: [m, n], type: a.type)
            }
        }
        return [y]
    }

    /// Softmax and LogSoftmax (opset < 13 flattens to 2-D around `axis`).
    static func softmax(log: Bool) -> Handler {
        { ctx in
            let x = try ctx.input(0)
            let legacy = ctx.opset < 13
            let a = try ctx.axis(try ctx.int("axis", legacy ? 1 : -1), rank: x.rank)
            var v = x
            var axis = a
            if legacy {
                v = try ctx.lowering.reshape(x, [x.shape[..<a].reduce(1, *), x.shape[a...].reduce(1, *)])
                axis = 1
            }
            if x.count == 0 { return [x] }
            if !log {
                v = try ctx.lowering.emit(.softmax(axis: axis), [v], shape: v.shape, type: x.type)
            } else {
                // x − max − ln Σ exp(x − max), stable for large inputs.
                var kept = v.shape; kept[axis] = 1
                let m = try ctx.lowering.emit(.reduce(.max, axes: [axis], keepDims: true), [v], shape: kept, type: x.type)
                let d = try ctx.lowering.emit(.binary(.sub), [v, m], shape: v.shape, type: x.type)
                let e = try ctx.lowering.emit(.unary(.exp), [d], shape: v.shape, type: x.type)
                let s = try ctx.lowering.emit(.reduce(.sum, axes: [axis], keepDims: true), [e], shape: kept, type: x.type)
                let l = try ctx.lowering.emit(.unary(.log), [s], shape: kept, type: x.type)
                v = try ctx.lowering.emit(.binary(.sub), [d, l], shape: v.shape, type: x.type)
            }
            return [try ctx.lowering.reshape(v, x.shape)]
        }
    }

    /// ArgMax and ArgMin.
    static func argReduce(_ kind: ArgReduce.Kind) -> Handler {
        { ctx in
            let x = try ctx.input(0)
            let a = try ctx.axis(try ctx.int("axis", 0), rank: x.rank)
            guard x.shape[a] > 0 else { throw ctx.invalid("empty axis") }
            let keep = try ctx.int("keepdims", 1) != 0, last = try ctx.int("select_last_index", 0) != 0
            var shape = x.shape
            if keep { shape[a] = 1 } else { shape.remove(at: a) }
            return [try ctx.lowering.emit(.argReduce(kind, axis: a, keepDims: keep, selectLast: last), [x], shape: shape, type: .int64)]
        }
    }
}
