import Media
import Dispatch
import Foundation
import Media

// MARK: - Executor

/// Runs a `Graph` forward (stopping after the last requested value) and backward (reverse mode, input gradients only).
///
/// ```swift
/// let exec = Executor(graph)
/// var pass = try exec.forward(["image": x], outputs: ["features.14"], recordForBackward: true)
/// let act = pass["features.14"]!
/// let grads = try exec.backward(&pass, seeds: ["features.14": 2 * act], wrt: ["image"])
/// ```
public struct Executor: Sendable {
    /// The graph being run.
    public let graph: Graph

    /// An executor for `graph`.
    public init(_ graph: Graph) { self.graph = graph }

    /// Resolves names to values, with a helpful error.
    func resolve(_ name: String) throws -> ValueID {
        guard let id = graph.names[name] else { throw EngineError.unknownValue(name, valid: graph.valueNames) }
        return id
    }

    // MARK: Forward

    /// Computes the values named in `outputs` (default: the graph outputs) and nothing past the last one needed.
    ///
    /// With `recordForBackward`, activations the backward pass needs are kept in the returned pass;
    /// everything else is freed as soon as its last consumer has run. Runs in `Executor.denormalMode`.
    public func forward(_ feeds: [String: Tensor], outputs: [String]? = nil,
                        recordForBackward: Bool = false) throws -> ForwardPass {
        try DenormalMode.with(Executor.denormalMode) {
            try runForward(feeds, outputs: outputs, recordForBackward: recordForBackward)
        }
    }

    /// How forward and backward passes treat subnormal floats (on their thread and, through
    /// `Parallel`, on the kernels' worker threads): flushed to zero, unless `MLWB_DENORMALS=preserve`.
    public static let denormalMode = DenormalMode.forComputation

    private func runForward(_ feeds: [String: Tensor], outputs: [String]?, recordForBackward: Bool) throws -> ForwardPass {
        let names = outputs ?? graph.outputs.keys.sorted()
        var requested: [String: ValueID] = [:]
        for n in names { requested[n] = try resolve(n) }
        let nodes = graph.nodes
        let count = nodes.count

        // Which nodes are needed for the requested values.
        var needed = [Bool](repeating: false, count: count)
        for id in requested.values { needed[id.index] = true }
        for i in stride(from: count - 1, through: 0, by: -1) where needed[i] {
            for v in nodes[i].inputs { needed[v.index] = true }
        }
        // Last consumer of each value, and what must survive for backward.
        var lastUse = [Int](repeating: -1, count: count)
        var keep = [Bool](repeating: false, count: count)
        for id in requested.values { keep[id.index] = true }
        for i in 0..<count where needed[i] {
            for v in nodes[i].inputs { lastUse[v.index] = i }
            if recordForBackward {
                if nodes[i].op.backwardNeedsOutput { keep[i] = true }
                if nodes[i].op.backwardNeedsInputs { for v in nodes[i].inputs { keep[v.index] = true } }
            }
        }

        var values = [Tensor?](repeating: nil, count: count)
        var shapes = [[Int]?](repeating: nil, count: count)
        var profile: [String: (Double, Int)] = [:]
        defer { if Executor.profiling { Executor.report(profile) } }
        for i in 0..<count where needed[i] {
            let node = nodes[i]
            let args = node.inputs.map { values[$0.index]! }
            let y: Tensor
            if case .input(let name) = node.op {
                guard let t = feeds[name] else { throw EngineError.missingInput(name) }
                y = t
            } else if Executor.profiling {
                let start = MonotonicClock.seconds()
                y = try Executor.evaluate(node.op, args)
                let ms = (MonotonicClock.seconds() - start) * 1000
                var key = "\(node.op.name) \(args.first.map { "\($0.shape)" } ?? "")"
                if case .conv2d(let w, _, _, _) = node.op { key += " w\(w.shape)" }
                profile[key, default: (0, 0)].0 += ms; profile[key, default: (0, 0)].1 += 1
            } else {
                y = try Executor.evaluate(node.op, args)
            }
            values[i] = y
            shapes[i] = y.shape
            for v in node.inputs where lastUse[v.index] == i && !keep[v.index] { values[v.index] = nil }
            if lastUse[i] < 0 && !keep[i] { values[i] = nil }
        }
        return ForwardPass(values: values, shapes: shapes, requested: requested, recordedForBackward: recordForBackward)
    }

    /// Whether `MLWB_PROFILE` asks for per-op timings on stderr after every forward pass.
    static let profiling = ProcessInfo.processInfo.environment["MLWB_PROFILE"] != nil

    /// Prints the slowest op kinds of a forward pass.
    static func report(_ profile: [String: (Double, Int)]) {
        let total = profile.values.reduce(0) { $0 + $1.0 }
        var lines = ["forward pass: \(String(format: "%.1f", total)) ms"]
        for (k, v) in profile.sorted(by: { $0.value.0 > $1.value.0 }).prefix(25) {
            lines.append(String(format: "%8.2f ms %4d× ", v.0, v.1) + k)
        }
        FileHandle.standardError.write((lines.joined(separator: "\n") + "\n").data(using: .utf8)!)
    }

    /// One op on concrete tensors.
    static func evaluate(_ op: Op, _ x: [Tensor]) throws -> Tensor {
        switch op {
        case .input: preconditionFailure("inputs are fed, not evaluated")
        case .constant(let t): return t
        case .conv2d(let w, let b, let p, let a): return Conv2D.forward(x[0], weight: w, bias: b, params: p, activation: a)
        case .activation(let a): return ActivationKernel.forward(x[0], a)
        case .binary(let b): return Elementwise.forward(b, x[0], x[1])
        case .concat(let axis): return Concat.forward(x, axis: axis)
        case .maxPool(let p): return Pool2D.maxForward(x[0], p)
        case .averagePool(let p): return Pool2D.averageForward(x[0], p)
        case .globalAveragePool: return Pool2D.globalAverageForward(x[0])
        case .linear(let w, let b): return Linear.forward(x[0], weight: w, bias: b)
        case .softmax(let axis): return Softmax.forward(x[0], axis: axis)
        case .resizeBilinear(let h, let w): return Resize.bilinearForward(x[0], height: h, width: w)
        case .roll(let s, let a): return Roll.forward(x[0], shifts: s, axes: a)
        case .reduce(let k, let axes, let keep): return Reduce.forward(k, x[0], axes: axes, keepDims: keep)
        case .reshape(let shape): return x[0].reshaped(Executor.reshapeTarget(x[0].shape, shape))
        case .flatten(let axis):
            let a = axis < 0 ? axis + x[0].rank : axis
            return x[0].reshaped(Array(x[0].shape[..<a]) + [Tensor.elementCount(Array(x[0].shape[a...]))])
        case .unary(let f): return Pointwise.forward(x[0], f)
        case .select: return Select.forward(x[0], x[1], x[2])
        case .expand(let shape): return Expand.forward(x[0], to: shape)
        case .transpose(let perm): return Transpose.forward(x[0], perm: perm)
        case .slice(let p): return StridedSlice.forward(x[0], p)
        case .pad(let b, let a, let mode): return Pad.forward(x[0], before: b, after: a, mode: mode)
        case .gather(let axis): return try Gather.forward(x[0], indices: x[1], axis: axis)
        case .gatherElements(let axis): return try Gather.elementsForward(x[0], indices: x[1], axis: axis)
        case .scatterElements(let axis, let r):
            return try Gather.scatterElements(x[0], indices: x[1], updates: x[2], axis: axis, reduction: r)
        case .argReduce(let k, let axis, let keep, let last):
            return ArgReduce.forward(x[0], kind: k, axis: axis, keepDims: keep, selectLast: last)
        case .matmul: return MatMul.forward(x[0], x[1])
        case .resample(let axis, let taps): return Resample.forward(x[0], axis: axis, taps: taps)
        case .pool(let p, let isMax, let indices, let colMajor):
            let (y, i) = PoolND.forward(x[0], p, isMax: isMax, columnMajorIndices: colMajor)
            return indices ? i : y
        case .convPool1d(let w, let b, let a, let window):
            return ConvPool1D.forward(x[0], weight: w, bias: b, activation: a, window: window)
        case .recurrent(let network):
            return Recurrent.forwardPacked(x[0], network, hidden: x.count > 1 ? x[1] : nil, cell: x.count > 2 ? x[2] : nil)
        case .recurrentPart(let part, let layout): return Recurrent.part(part, of: x[0], layout: layout)
        }
    }

    /// ONNX reshape: 0 copies the input extent at that position.
    static func reshapeTarget(_ input: [Int], _ shape: [Int]) -> [Int] {
        shape.enumerated().map { $0.element == 0 && $0.offset < input.count ? input[$0.offset] : $0.element }
    }

    // MARK: Backward

    /// Reverse-mode gradients of Σ seed·value with respect to the values named in `wrt`.
    ///
    /// `pass` must come from `forward(…, recordForBackward: true)` covering the seeded values; activations are
    /// released from it as soon as no remaining backward step needs them. Weights are frozen (no weight gradients).
    /// Runs in `Executor.denormalMode`.
    public func backward(_ pass: inout ForwardPass, seeds: [String: Tensor], wrt: [String]) throws -> [String: Tensor] {
        try DenormalMode.with(Executor.denormalMode) { try runBackward(&pass, seeds: seeds, wrt: wrt) }
    }

    private func runBackward(_ pass: inout ForwardPass, seeds: [String: Tensor], wrt: [String]) throws -> [String: Tensor] {
        guard pass.recordedForBackward else { throw EngineError.notRecorded(seeds.keys.sorted().joined(separator: ", ")) }
        let nodes = graph.nodes
        let count = nodes.count
        var wrtIDs: [String: ValueID] = [:]
        for n in wrt { wrtIDs[n] = try resolve(n) }
        // Values that depend on a wrt value are the only ones worth differentiating.
        var relevant = [Bool](repeating: false, count: count)
        for id in wrtIDs.values { relevant[id.index] = true }
        for i in 0..<count where !relevant[i] { relevant[i] = nodes[i].inputs.contains { relevant[$0.index] } }

        var grads = [Tensor?](repeating: nil, count: count)
        var start = -1
        for (name, seed) in seeds {
            let id = try resolve(name)
            guard let shape = pass.shapes[id.index] else { throw EngineError.notRecorded(name) }
            guard seed.shape == shape else { throw EngineError.seedShapeMismatch(name, expected: shape, got: seed.shape) }
            Executor.accumulate(&grads[id.index], seed)
            start = max(start, id.index)
        }
        var result: [String: Tensor] = [:]
        var i = start
        while i >= 0 {
            defer { pass.values[i] = nil; i -= 1 }
            guard var g = grads[i] else { continue }
            grads[i] = nil
            for (name, id) in wrtIDs where id.index == i { result[name] = g }
            let node = nodes[i]
            if node.inputs.isEmpty || !node.inputs.contains(where: { relevant[$0.index] }) { continue }
            let inShapes = node.inputs.map { pass.shapes[$0.index]! }
            let inGrads = try backwardStep(node, grad: &g, pass: pass, index: i, inputShapes: inShapes)
            for (k, v) in node.inputs.enumerated() where relevant[v.index] {
                if let dg = inGrads[k] { Executor.accumulate(&grads[v.index], dg) }
            }
        }
        for (name, id) in wrtIDs where result[name] == nil {
            result[name] = Tensor.zeros(pass.shapes[id.index] ?? [])
        }
        return result
    }

    /// Adds `g` into an accumulator slot, in place when possible.
    static func accumulate(_ slot: inout Tensor?, _ g: Tensor) {
        guard var acc = slot else { slot = g; return }
        slot = nil
        acc.makeUnique()
        let a = SharedPointer(acc.ptr), b = SharedPointer(g.ptr)
        parallelChunks(acc.count, costPerItem: 2) { r in for j in r { a.p[j] += b.p[j] } }
        withExtendedLifetime(g) {}
        slot = acc
    }

    /// Vector–Jacobian product of one node; nil entries mean "no gradient for that operand".
    func backwardStep(_ node: Node, grad g: inout Tensor, pass: ForwardPass, index i: Int,
                      inputShapes s: [[Int]]) throws -> [Tensor?] {
        func saved(_ id: Int) throws -> Tensor {
            guard let t = pass.values[id] else { throw EngineError.notRecorded(node.name ?? "%\(id)") }
            return t
        }
        if !node.op.isDifferentiable { throw EngineError.notDifferentiable(node.op.name) }
        switch node.op {
        case .input, .constant:
            return []
        case .conv2d(let w, _, let p, let a):
            if a != .identity { ActivationKernel.backwardInPlace(&g, output: try saved(i), a) }
            return [Conv2D.backwardInput(g, weight: w, inputShape: s[0], params: p)]
        case .activation(let a):
            ActivationKernel.backwardInPlace(&g, output: try saved(i), a)
            return [g]
        case .binary(let b):
            if b == .add && s[0] == s[1] { return [g, g] }
            let x0 = b == .mul ? try saved(node.inputs[0].index) : nil
            let x1 = b == .mul ? try saved(node.inputs[1].index) : nil
            let (ga, gb) = Elementwise.backward(b, g, aShape: s[0], bShape: s[1], a: x0, b: x1)
            return [ga, gb]
        case .concat(let axis):
            return Concat.backward(g, inputShapes: s, axis: axis)
        case .maxPool(let p):
            return [Pool2D.maxBackward(g, input: try saved(node.inputs[0].index), p)]
        case .averagePool(let p):
            return [Pool2D.averageBackward(g, inputShape: s[0], p)]
        case .globalAveragePool:
            return [Pool2D.globalAverageBackward(g, inputShape: s[0])]
        case .linear(let w, _):
            return [Linear.backwardInput(g, weight: w, inputShape: s[0])]
        case .softmax(let axis):
            return [Softmax.backward(g, output: try saved(i), axis: axis)]
        case .resizeBilinear:
            return [Resize.bilinearBackward(g, inputShape: s[0])]
        case .roll(let shifts, let axes):
            return [Roll.backward(g, shifts: shifts, axes: axes)]
        case .reduce(let k, let axes, _):
            return [Reduce.backward(k, g, inputShape: s[0], axes: axes)]
        case .reshape, .flatten:
            return [g.reshaped(s[0])]
        default:
            throw EngineError.notDifferentiable(node.op.name)
        }
    }

    // MARK: Convenience

    /// Forward to `target`, then the gradient of Σ seed(value)·value with respect to `input`.
    ///
    /// `seed` maps the target activation to dL/d(target); e.g. `{ 2 * $0 }` for L = Σ value².
    public func gradient(_ feeds: [String: Tensor], target: String, wrt input: String,
                         seed: (Tensor) -> Tensor) throws -> (value: Tensor, gradient: Tensor) {
        var pass = try forward(feeds, outputs: [target], recordForBackward: true)
        let value = pass[target]!
        let grads = try backward(&pass, seeds: [target: seed(value)], wrt: [input])
        return (value, grads[input]!)
    }
}
