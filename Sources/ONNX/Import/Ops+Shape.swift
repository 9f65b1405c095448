import Engine
import Media

// MARK: - Shape and data-movement operators

extension OperatorRegistry {
    /// Constant: the value attribute in any of its forms.
    static let constant: Handler = { ctx in
        if let t = try ctx.tensor("value") {
            guard t.dataType.isRuntimeSupported || t.dataType == .float16 || t.dataType == .bfloat16 else {
                throw ONNXError.unsupportedType("\(t.dataType) (Constant node '\(ctx.name)')")
            }
            return [.constant(t)]
        }
        if let a = ctx.node.attributes["value_float"], case .float(let v) = a { return [ctx.lowering.constant(.scalar(v))] }
        if let v = try ctx.floats("value_floats") { return [ctx.lowering.constant(Tensor(shape: [v.count], scalars: v))] }
        if let a = ctx.node.attributes["value_int"], case .int(let v) = a { return [.constant(ONNXTensor(integers: [v], shape: []))] }
        if let a = ctx.node.attributes["value_ints"], case .ints(let v) = a { return [.constant(ONNXTensor(integers: v, shape: [v.count]))] }
        throw ONNXError.unsupportedType("string or sparse constant (node '\(ctx.name)')")
    }

    /// Shape (with opset-15 start/end).
    static let shape: Handler = { ctx in
        let s = try ctx.input(0).shape
        let r = s.count
        func clampIndex(_ i: Int) -> Int { min(max(i < 0 ? i + r : i, 0), r) }
        let start = clampIndex(try ctx.int("start", 0)), end = clampIndex(try ctx.int("end", r))
        let dims = start < end ? Array(s[start..<end]) : []
        return [.constant(ONNXTensor(integers: dims.map { Int64($0) }, shape: [dims.count]))]
    }

    /// Size.
    static let size: Handler = { ctx in [.constant(ONNXTensor(integers: [Int64(try ctx.input(0).count)], shape: []))] }

    /// Reshape with ONNX rules (0 copies unless allowzero, one −1 inferred).
    static let reshape: Handler = { ctx in
        let x = try ctx.input(0)
        let target: [Int]
        if ctx.opset < 5 { target = try ctx.ints("shape") ?? [] } else {
            guard let t = try ctx.constantInts(1, "the target shape") else { throw ctx.invalid("the target shape is missing") }
            target = t
        }
        let allowZero = try ctx.int("allowzero", 0) == 1
        var out = target
        var inferAt: Int?
        for (i, d) in target.enumerated() {
            if d == 0 && !allowZero {
                guard i < x.rank else { throw ctx.invalid("0 at axis \(i) copies an extent the input \(x.shape) lacks") }
                out[i] = x.shape[i]
            } else if d == -1 {
                guard inferAt == nil else { throw ctx.invalid("more than one −1 in \(target)") }
                inferAt = i
            } else if d < 0 { throw ctx.invalid("negative extent \(d) in \(target)") }
        }
        if let i = inferAt {
            var others = out
            others.remove(at: i)
            let known = try Lowering.checkedCount(others)
            guard known > 0, x.count % known == 0 else { throw ctx.invalid("cannot infer −1 reshaping \(x.shape) to \(target)") }
            out[i] = x.count / known
        }
        guard try Lowering.checkedCount(out) == x.count else { throw ctx.invalid("cannot reshape \(x.shape) (\(x.count) elements) to \(target)") }
        return [try ctx.lowering.reshape(x, out)]
    }

    /// Flatten to 2-D around `axis`.
    static let flatten: Handler = { ctx in
        let x = try ctx.input(0)
        var a = try ctx.int("axis", 1)
        if a < 0 { a += x.rank }
        guard a >= 0 && a <= x.rank else { throw ctx.invalid("axis out of range for rank \(x.rank)") }
        return [try ctx.lowering.reshape(x, [x.shape[..<a].reduce(1, *), x.shape[a...].reduce(1, *)])]
    }

    /// Squeeze (axes from an attribute before opset 13, an input after).
    static let squeeze: Handler = { ctx in
        let x = try ctx.input(0)
        let given = ctx.opset >= 13 ? try ctx.constantInts(1, "axes") : try ctx.ints("axes")
        var drop = Set<Int>()
        if let given {
            for a in given {
                let b = try ctx.axis(a, rank: x.rank)
                guard x.shape[b] == 1 else { throw ctx.invalid("axis \(a) has extent \(x.shape[b]), not 1") }
                drop.insert(b)
            }
        } else {
            for (i, d) in x.shape.enumerated() where d == 1 { drop.insert(i) }
        }
        return [try ctx.lowering.reshape(x, x.shape.enumerated().filter { !drop.contains($0.offset) }.map(\.element))]
    }

    /// Unsqueeze.
    static let unsqueeze: Handler = { ctx in
        let x = try ctx.input(0)
        guard let axes = ctx.opset >= 13 ? try ctx.constantInts(1, "axes") : try ctx.ints("axes") else { throw ctx.invalid("axes are missing") }
        let r = x.rank + axes.count
        var inserted = Set<Int>()
        for a in axes {
            let b = try ctx.axis(a, rank: r)
            guard inserted.insert(b).inserted else { throw ctx.invalid("axis \(a) repeated") }
        }
        var out: [Int] = [], k = 0
        for i in 0..<r { if inserted.contains(i) { out.append(1) } else { out.append(x.shape[k]); k += 1 } }
        return [try ctx.lowering.reshape(x, out)]
    }

    /// Transpose (reversed axes by default).
    static let transpose: Handler = { ctx in
        let x = try ctx.input(0)
        let perm = try ctx.ints("perm") ?? Array((0..<x.rank).reversed())
        guard perm.count == x.rank, Set(perm) == Set(0..<x.rank) else { throw ctx.invalid("perm \(perm) for rank \(x.rank)") }
        return [try ctx.lowering.transpose(x, perm)]
    }

    /// Concat along `axis`.
    static let concat: Handler = { ctx in
        var xs: [LoweredValue] = []
        for i in 0..<ctx.inputCount { xs.append(try ctx.input(i)) }
        guard !xs.isEmpty else { throw ctx.invalid("no inputs") }
        let type = try ctx.sameType(xs)
        let r = xs[0].rank
        let a = try ctx.axis(try ctx.int("axis", 0), rank: r)
        var shape = xs[0].shape
        shape[a] = 0
        for x in xs {
            guard x.rank == r, (0..<r).allSatisfy({ $0 == a || x.shape[$0] == xs[0].shape[$0] }) else {
                throw ctx.invalid("shapes \(xs.map(\.shape)) do not fit along axis \(a)")
            }
            shape[a] += x.shape[a]
        }
        xs = xs.filter { $0.count > 0 }
        if xs.isEmpty { return [.constant(ONNXTensor(carried: Tensor.zeros(shape), type: type))] }
        if xs.count == 1 { return [xs[0]] }
        if xs.allSatisfy({ if case .constant(let t) = $0, case .integer = t.storage { true } else { false } }) {
            // Exact integer concatenation.
            let outer = shape[..<a].reduce(1, *), inner = shape[(a + 1)...].reduce(1, *)
            var out: [Int64] = []
            out.reserveCapacity(shape.reduce(1, *))
            let data = xs.map { $0.constant!.integers }
            for o in 0..<outer {
                for (x, d) in zip(xs, data) { let block = x.shape[a] * inner; out += d[(o * block)..<((o + 1) * block)] }
            }
            return [.constant(ONNXTensor(integers: out, shape: shape, type: type))]
        }
        return [try ctx.lowering.emit(.concat(axis: a), xs, shape: shape, type: type)]
    }

    /// Slice (attributes before opset 10, inputs after).
    static let slice: Handler = { ctx in
        let x = try ctx.input(0)
        let starts: [Int], ends: [Int], axesGiven: [Int]?, stepsGiven: [Int]?
        if ctx.opset < 10 {
            starts = try ctx.ints("starts") ?? []; ends = try ctx.ints("ends") ?? []
            axesGiven = try ctx.ints("axes"); stepsGiven = nil
        } else {
            starts = try ctx.constantInts(1, "starts") ?? []; ends = try ctx.constantInts(2, "ends") ?? []
            axesGiven = try ctx.constantInts(3, "axes"); stepsGiven = try ctx.constantInts(4, "steps")
        }
        let axes = axesGiven ?? Array(0..<starts.count)
        let steps = stepsGiven ?? [Int](repeating: 1, count: starts.count)
        guard starts.count == ends.count, axes.count == starts.count, steps.count == starts.count else {
            throw ctx.invalid("starts, ends, axes and steps differ in length")
        }
        var p = SliceParameters(starts: [Int](repeating: 0, count: x.rank), steps: [Int](repeating: 1, count: x.rank), counts: x.shape)
        var seen = Set<Int>()
        for k in 0..<axes.count {
            let a = try ctx.axis(axes[k], rank: x.rank)
            guard seen.insert(a).inserted else { throw ctx.invalid("axis \(axes[k]) repeated") }
            let (s, c) = try sliceRange(start: starts[k], end: ends[k], step: steps[k], extent: x.shape[a], ctx)
            p.starts[a] = s; p.steps[a] = steps[k]; p.counts[a] = c
        }
        return [try ctx.lowering.move(.slice(p), x, shape: p.counts)]
    }

    /// The first index and count of start:end:step on an axis of length n (ONNX clamping rules).
    static func sliceRange(start: Int, end: Int, step: Int, extent n: Int, _ ctx: NodeContext) throws -> (Int, Int) {
        guard step != 0 else { throw ctx.invalid("slice step 0") }
        var s = start < 0 ? start &+ n : start, e = end < 0 ? end &+ n : end
        if step > 0 {
            s = min(max(s, 0), n); e = min(max(e, 0), n)
            return (s, e > s ? (e - s + step - 1) / step : 0)
        }
        s = min(max(s, 0), n - 1); e = min(max(e, -1), n - 1)
        return (s, s > e ? (s - e - step - 1) / -step : 0)
    }

    /// Gather along `axis`.
    static let gather: Handler = { ctx in
        let data = try ctx.input(0), idx = try ctx.input(1)
        guard idx.type.isInteger else { throw ctx.invalid("indices must be integers") }
        let a = try ctx.axis(try ctx.int("axis", 0), rank: data.rank)
        if let c = idx.constant {   // validate now
            for v in c.integers where v < -Int64(data.shape[a]) || v >= Int64(data.shape[a]) {
                throw ctx.invalid("index \(v) out of range for axis of length \(data.shape[a])")
            }
        }
        let shape = Gather.outputShape(data: data.shape, indices: idx.shape, axis: a)
        return [try ctx.lowering.move(.gather(axis: a), data, extra: [idx], shape: shape)]
    }

    /// GatherElements along `axis`.
    static let gatherElements: Handler = { ctx in
        let data = try ctx.input(0), idx = try ctx.input(1)
        guard idx.rank == data.rank else { throw ctx.invalid("indices rank \(idx.rank) ≠ data rank \(data.rank)") }
        let a = try ctx.axis(try ctx.int("axis", 0), rank: data.rank)
        for i in 0..<data.rank where i != a && idx.shape[i] > data.shape[i] { throw ctx.invalid("indices \(idx.shape) exceed data \(data.shape)") }
        return [try ctx.lowering.move(.gatherElements(axis: a), data, extra: [idx], shape: idx.shape)]
    }

    /// ScatterElements (and the deprecated Scatter) along `axis`.
    static let scatterElements: Handler = { ctx in
        let data = try ctx.input(0), idx = try ctx.input(1), upd = try ctx.input(2)
        guard idx.rank == data.rank, upd.shape == idx.shape else { throw ctx.invalid("data \(data.shape), indices \(idx.shape), updates \(upd.shape) do not fit") }
        let a = try ctx.axis(try ctx.int("axis", 0), rank: data.rank)
        let reduction: Gather.Reduction
        switch try ctx.string("reduction", "none") {
        case "none": reduction = .none
        case "add": reduction = .add
        case "mul": reduction = .mul
        case "max": reduction = .max
        case "min": reduction = .min
        case let r: throw ctx.unsupported("reduction \(r)")
        }
        return [try ctx.lowering.emit(.scatterElements(axis: a, reduction: reduction), [data, idx, upd], shape: data.shape, type: data.type)]
    }

    /// Expand to a (bidirectionally broadcast) shape.
    static let expand: Handler = { ctx in
        let x = try ctx.input(0)
        guard let target = try ctx.constantInts(1, "the shape"), target.allSatisfy({ $0 >= 0 }) else {
            throw ctx.invalid("the shape is missing or has a negative extent")
        }
        let shape = try ctx.broadcast([x.shape, target])
        return [try ctx.lowering.move(.expand(shape), x, shape: shape)]
    }

    /// Tile by per-axis repeats.
    static let tile: Handler = { ctx in
        let x = try ctx.input(0)
        guard let reps = try ctx.constantInts(1, "repeats"), reps.count == x.rank, reps.allSatisfy({ $0 >= 0 }) else {
            throw ctx.invalid("repeats must give one non-negative count per axis")
        }
        var split: [Int] = [], expanded: [Int] = []
        for (d, r) in zip(x.shape, reps) { split += [1, d]; expanded += [r, d] }
        let out = try zip(x.shape, reps).map { d, r in
            let (n, overflow) = d.multipliedReportingOverflow(by: r)
            guard !overflow else { throw ctx.invalid("tiling \(x.shape) by \(reps) overflows") }
            return n
        }
        _ = try Lowering.checkedCount(out)
        let s = try ctx.lowering.reshape(x, split)
        let e = try ctx.lowering.move(.expand(expanded), s, shape: expanded)
        return [try ctx.lowering.reshape(e, out)]
    }

    /// ConstantOfShape.
    static let constantOfShape: Handler = { ctx in
        guard let dims = try ctx.constantInts(0, "the shape"), dims.allSatisfy({ $0 >= 0 }) else { throw ctx.invalid("bad shape") }
        let (count, overflow) = dims.reduce((1, false)) { acc, d in let r = acc.0.multipliedReportingOverflow(by: d); return (r.partialValue, acc.1 || r.overflow) }
        guard !overflow, count <= Lowering.maxFoldedElements else { throw ctx.invalid("shape \(dims) is too large") }
        let value = try ctx.tensor("value") ?? ONNXTensor(Tensor.zeros([1]))
        guard value.count == 1 else { throw ctx.invalid("value must hold one element") }
        switch value.storage {
        case .floating(let t): return [.constant(ONNXTensor(Tensor(shape: dims, repeating: t.scalars[0]), type: value.dataType))]
        case .integer(let v): return [.constant(ONNXTensor(integers: [Int64](repeating: v[0], count: count), shape: dims, type: value.dataType))]
        }
    }

    /// Range (load-time only).
    static let range: Handler = { ctx in
        guard let s = try ctx.constantInput(0, "start"), let l = try ctx.constantInput(1, "limit"), let d = try ctx.constantInput(2, "delta") else {
            throw ctx.invalid("start, limit and delta are required")
        }
        let start = s.doubles.first ?? 0, limit = l.doubles.first ?? 0, delta = d.doubles.first ?? 0
        guard delta != 0 else { throw ctx.invalid("delta is 0") }
        guard let n = ((limit - start) / delta).roundedInt(.up, clampedTo: 0...(1 << 28 + 1)), n <= 1 << 28 else {
            throw ctx.invalid("range from \(start) to \(limit) by \(delta) has too many (or no countable) elements")
        }
        if s.dataType.isInteger {
            let a = s.integers[0], b = d.integers[0]
            // The last element a + (n − 1)·b must fit; then every one before it does.
            let (span, o1) = Int64(max(n - 1, 0)).multipliedReportingOverflow(by: b)
            let (_, o2) = a.addingReportingOverflow(span)
            guard !o1, !o2 else { throw ctx.invalid("range from \(a) by \(b) overflows 64 bits") }
            return [.constant(ONNXTensor(integers: (0..<n).map { a + Int64($0) * b }, shape: [n], type: s.dataType))]
        }
        let a = Float(start), b = Float(delta)
        return [.constant(ONNXTensor(Tensor(shape: [n], scalars: (0..<n).map { a + Float($0) * b }), type: s.dataType))]
    }

    /// Split into pieces along `axis`.
    static let split: Handler = { ctx in
        let x = try ctx.input(0)
        let a = try ctx.axis(try ctx.int("axis", 0), rank: x.rank)
        let n = x.shape[a]
        var sizes = ctx.opset >= 13 ? try ctx.constantInts(1, "split") : try ctx.ints("split")
        if sizes == nil {
            let parts = try ctx.optionalInt("num_outputs") ?? ctx.node.outputs.count
            guard parts > 0 else { throw ctx.invalid("no outputs") }
            let chunk = (n + parts - 1) / parts
            sizes = (0..<parts).map { max(0, min(chunk, n - $0 * chunk)) }
        }
        guard let sizes, sizes.reduce(0, +) == n, sizes.allSatisfy({ $0 >= 0 }) else { throw ctx.invalid("split sizes do not add up to \(n)") }
        var out: [LoweredValue] = [], at = 0
        for s in sizes {
            var p = SliceParameters(starts: [Int](repeating: 0, count: x.rank), steps: [Int](repeating: 1, count: x.rank), counts: x.shape)
            p.starts[a] = at; p.counts[a] = s
            out.append(try ctx.lowering.move(.slice(p), x, shape: p.counts))
            at += s
        }
        return out
    }

    /// Pad (attributes before opset 11, inputs after; negative pads crop).
    static let pad: Handler = { ctx in
        let x = try ctx.input(0)
        var pads: [Int], value: Float = 0
        var axes = Array(0..<x.rank)
        if ctx.opset < 11 {
            pads = try ctx.ints("pads") ?? []; value = try ctx.float("value", 0)
        } else {
            pads = try ctx.constantInts(1, "pads") ?? []
            if let v = try ctx.constantInput(2, "constant_value") { value = Float(v.doubles.first ?? 0) }
            if let given = try ctx.constantInts(3, "axes") { axes = try given.map { try ctx.axis($0, rank: x.rank) } }
        }
        guard pads.count == 2 * axes.count else { throw ctx.invalid("\(pads.count) pads for \(axes.count) axes") }
        var before = [Int](repeating: 0, count: x.rank), after = before
        for (k, a) in axes.enumerated() { before[a] = pads[k]; after[a] = pads[k + axes.count] }
        let mode: PadMode
        switch try ctx.string("mode", "constant") {
        case "constant": mode = .constant(value)
        case "reflect": mode = .reflect
        case "edge": mode = .edge
        case "wrap": mode = .wrap
        case let m: throw ctx.unsupported("mode \(m)")
        }
        var y = x
        if before.contains(where: { $0 < 0 }) || after.contains(where: { $0 < 0 }) {
            var p = SliceParameters(starts: [Int](repeating: 0, count: x.rank), steps: [Int](repeating: 1, count: x.rank), counts: x.shape)
            for a in 0..<x.rank {
                let cb = max(-before[a], 0), ca = max(-after[a], 0)
                guard cb + ca <= x.shape[a] else { throw ctx.invalid("pads crop more than axis \(a) holds") }
                p.starts[a] = cb; p.counts[a] = x.shape[a] - cb - ca
                before[a] = max(before[a], 0); after[a] = max(after[a], 0)
            }
            y = try ctx.lowering.move(.slice(p), y, shape: p.counts)
        }
        let shape = (0..<x.rank).map { y.shape[$0] + before[$0] + after[$0] }
        for a in 0..<x.rank where (before[a] > 0 || after[a] > 0) && y.shape[a] == 0 && mode != .constant(value) {
            throw ctx.invalid("cannot \(mode) pad an empty axis \(a)")
        }
        if before.allSatisfy({ $0 == 0 }) && after.allSatisfy({ $0 == 0 }) { return [y] }
        if case .constant(let c) = y, case .integer(let ints) = c.storage, ints.count < 1 << 24 {
            // Exact integers: pad the positions with −1, then look them up.
            let positions = Tensor(shape: c.shape, scalars: (0..<ints.count).map { Float($0) })
            let moved = Pad.forward(positions, before: before, after: after, mode: mode == .constant(value) ? .constant(-1) : mode)
            let fill = Int64(value)
            return [.constant(ONNXTensor(integers: moved.scalars.map { $0 < 0 ? fill : ints[Int($0)] }, shape: shape, type: c.dataType))]
        }
        return [try ctx.lowering.emit(.pad(before: before, after: after, mode: mode), [y], shape: shape, type: x.type)]
    }
}

extension Lowering {
    /// A transpose (or a reshape when no data moves).
    func transpose(_ x: LoweredValue, _ perm: [Int]) throws -> LoweredValue {
        let shape = perm.map { x.shape[$0] }
        let moved = perm.filter { x.shape[$0] != 1 }
        if moved == moved.sorted() { return try reshape(x, shape) }
        return try move(.transpose(perm), x, shape: shape)
    }
}
