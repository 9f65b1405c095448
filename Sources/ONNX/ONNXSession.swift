import Engine
import Synchronization

// MARK: - Session

/// Runs an `ONNXModel` on the engine.
///
/// Graphs are specialised to the shapes of their inputs: the first `run` with a new set of input shapes
/// infers every shape, folds everything static and builds an engine graph, which is cached (a few shape
/// sets at a time). Models whose inputs are fully static are specialised once, in `init`, so shape errors
/// surface at load time. Integer and boolean values travel through the engine as exact Float32 integers.
///
/// ```swift
/// let session = try ONNXSession(try ONNXModel.load(path: path))
/// let outputs = try session.run(["audio": audio, "fmin": .scalar(46.875), "fmax": .scalar(2093.75)])
/// ```
public final class ONNXSession: Sendable {
    /// The model being run.
    public let model: ONNXModel
    /// Specialised graphs by input signature, and the inputs that must be bound as constants.
    private let state = Mutex<State>(State())
    /// How many specialisations to keep.
    private static let cacheLimit = 8

    private struct State {
        var cache: [String: CompiledGraph] = [:]
        var order: [String] = []
        var bound: Set<String> = []
    }

    /// A session for `model`; specialises now when every input shape is static.
    public init(_ model: ONNXModel) throws {
        self.model = model
        var shapes: [String: [Int]] = [:]
        for v in model.inputs {
            guard let dims = v.shape?.map(\.value), dims.allSatisfy({ $0 != nil }) else { return }
            shapes[v.name] = dims.map { $0! }
        }
        do { _ = try compiled(shapes: shapes, feeds: [:]) } catch is Lowering.NeedsBinding {
            // Some input's value (not just its shape) shapes the graph: specialise at the first run.
        }
    }

    // MARK: Running

    /// Runs the model on float-carried tensors (integer and bool inputs as whole-number floats); returns every output.
    public func run(_ feeds: [String: Tensor]) throws -> [String: Tensor] {
        var typed: [String: ONNXTensor] = [:]
        for v in model.inputs {
            guard let t = feeds[v.name] else { continue }
            typed[v.name] = ONNXTensor(name: v.name, carried: t, type: v.dataType ?? .float)
        }
        for name in feeds.keys where !model.inputs.contains(where: { $0.name == name }) {
            throw ONNXError.invalidInput("the model has no input '\(name)'; inputs are \(model.inputs.map(\.name).joined(separator: ", "))")
        }
        return try runTyped(typed).mapValues(\.engineTensor)
    }

    /// Runs the model on typed tensors and returns typed outputs.
    public func runTyped(_ feeds: [String: ONNXTensor]) throws -> [String: ONNXTensor] {
        var shapes: [String: [Int]] = [:]
        for v in model.inputs {
            guard let t = feeds[v.name] else { throw ONNXError.invalidInput("graph input '\(v.name)' was not provided") }
            shapes[v.name] = t.shape
        }
        let graph = try compiled(shapes: shapes, feeds: feeds)
        var engineFeeds: [String: Tensor] = [:]
        for name in graph.graph.inputs.keys { engineFeeds[name] = feeds[name]!.engineTensor }
        var wanted: [String] = []
        for o in graph.outputs { if case .dynamic = o.value { wanted.append(CompiledGraph.engineName(o.name)) } }
        var pass: ForwardPass?
        if !wanted.isEmpty {
            do { pass = try Executor(graph.graph).forward(engineFeeds, outputs: wanted) } catch { throw ONNXError.runtime("\(error)") }
        }
        var result: [String: ONNXTensor] = [:]
        for o in graph.outputs {
            switch o.value {
            case .constant(let t):
                var c = t; c.name = o.name; result[o.name] = c
            case .dynamic(let shape, let type):
                guard let t = pass?[CompiledGraph.engineName(o.name)] else { throw ONNXError.runtime("output '\(o.name)' was not computed") }
                guard t.shape == shape else { throw ONNXError.runtime("output '\(o.name)' has shape \(t.shape), inferred \(shape)") }
                result[o.name] = type.isFloatingPoint ? ONNXTensor(name: o.name, t, type: type) : ONNXTensor(name: o.name, carried: t, type: type)
            }
        }
        return result
    }

    /// The inferred output shapes for given input shapes, without running anything.
    public func outputShapes(for inputShapes: [String: [Int]]) throws -> [String: [Int]] {
        let g = try specialised(inputShapes)
        var out: [String: [Int]] = [:]
        for o in g.outputs {
            switch o.value {
            case .constant(let t): out[o.name] = t.shape
            case .dynamic(let s, _): out[o.name] = s
            }
        }
        return out
    }

    /// Number of engine nodes in the specialisation for these input shapes (after folding and fusion).
    public func engineNodeCount(for inputShapes: [String: [Int]]) throws -> Int {
        try specialised(inputShapes).engineNodeCount
    }

    /// The specialisation for shapes alone (an error if an input's value is needed too).
    private func specialised(_ inputShapes: [String: [Int]]) throws -> CompiledGraph {
        do { return try compiled(shapes: inputShapes, feeds: [:]) } catch let need as Lowering.NeedsBinding {
            throw ONNXError.invalidInput("the values of \(need.inputs.sorted().joined(separator: ", ")) shape the graph; run it with them")
        }
    }

    // MARK: Specialisation

    /// The cached or freshly lowered graph for these shapes (and the values of inputs that must be bound).
    private func compiled(shapes: [String: [Int]], feeds: [String: ONNXTensor]) throws -> CompiledGraph {
        var bound = state.withLock { $0.bound }
        for _ in 0...model.inputs.count {
            var key = shapes.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ";")
            var boundValues: [String: ONNXTensor] = [:]
            for name in bound.sorted() {
                guard let t = feeds[name] else { throw Lowering.NeedsBinding(inputs: [name]) }
                boundValues[name] = t
                key += "|\(name)=\(t.dataType):\(t.doubles)"
            }
            if let hit = state.withLock({ $0.cache[key] }) { return hit }
            do {
                let lowering = try Lowering(model: model, inputShapes: shapes, bound: boundValues)
                try lowering.run()
                let g = try lowering.finish()
                state.withLock { s in
                    s.cache[key] = g
                    s.order.append(key)
                    if s.order.count > ONNXSession.cacheLimit { s.cache[s.order.removeFirst()] = nil }
                }
                return g
            } catch let need as Lowering.NeedsBinding where !feeds.isEmpty {
                // Some op needs a value computed from these inputs at load time: bind their values.
                guard !need.inputs.isSubset(of: bound) else { throw ONNXError.invalidGraph("cannot bind inputs \(need.inputs.sorted())") }
                bound.formUnion(need.inputs)
                state.withLock { $0.bound.formUnion(need.inputs) }
            }
        }
        throw ONNXError.invalidGraph("could not specialise the graph")
    }
}
