import Engine

// MARK: - Lowering

/// Turns an ONNX graph, with every input shape bound, into an engine `Graph`.
///
/// Shapes are inferred node by node and checked before any kernel runs; everything that depends only on
/// constants and shapes (Shape → Gather → Concat → Reshape chains, DFT matrices, …) is folded now, integer
/// arithmetic exactly in Int64. Convolutions absorb a following activation or batch norm when nothing else
/// reads the intermediate value.
final class Lowering {
    /// A pending engine node.
    struct PendingNode {
        var op: Op
        var inputs: [Int]
    }

    /// Raised when an op needs the value of a graph input as a constant (e.g. a Conv weight fed as an input);
    /// the session then binds that input's value and lowers again.
    struct NeedsBinding: Error { let inputs: Set<String> }

    let model: ONNXModel
    let opset: Int
    var nodes: [PendingNode] = []
    var values: [String: LoweredValue] = [:]
    /// Engine node of each graph input, by name.
    var inputNodes: [String: Int] = [:]
    /// Graph input fed into each input node.
    var inputOfNode: [Int: String] = [:]
    /// Engine nodes holding named constants (so a weight is materialised once).
    var constantNodes: [String: Int] = [:]
    /// How many node inputs (plus graph outputs) read each ONNX value.
    var readers: [String: Int] = [:]
    /// ONNX value name of the engine node that produced it (for fusion decisions).
    var producedName: [Int: String] = [:]

    /// Prepares to lower `model` with inputs of the given shapes; `bound` inputs become constants.
    init(model: ONNXModel, inputShapes: [String: [Int]], bound: [String: ONNXTensor]) throws {
        self.model = model
        self.opset = model.opset
        for (name, t) in model.graph.initializers { values[name] = .constant(t) }
        for v in model.inputs {
            if let t = bound[v.name] { var c = t; c.name = v.name; values[v.name] = .constant(c); continue }
            guard let shape = inputShapes[v.name] else { throw ONNXError.invalidInput("graph input '\(v.name)' was not provided") }
            guard let type = v.dataType else { throw ONNXError.unsupportedType("\(v.nonTensorKind ?? "non-tensor") input '\(v.name)'") }
            guard type.isRuntimeSupported else { throw ONNXError.unsupportedType("\(type) (input '\(v.name)')") }
            if let declared = v.shape {
                guard declared.count == shape.count else {
                    throw ONNXError.invalidInput("input '\(v.name)' has rank \(shape.count), the model declares [\(declared.map(\.description).joined(separator: ", "))]")
                }
                for (d, s) in zip(declared, shape) where d.value != nil && d.value != s {
                    throw ONNXError.invalidInput("input '\(v.name)' has shape \(shape), the model declares [\(declared.map(\.description).joined(separator: ", "))]")
                }
            }
            let id = nodes.count
            nodes.append(PendingNode(op: .input(v.name), inputs: []))
            inputNodes[v.name] = id
            inputOfNode[id] = v.name
            values[v.name] = .dynamic(id: id, shape: shape, type: type)
        }
        for n in model.graph.nodes { for x in n.inputs where !x.isEmpty { readers[x, default: 0] += 1 } }
        for o in model.graph.outputs { readers[o.name, default: 0] += 1 }
    }

    // MARK: Driving

    /// Lowers every node in order.
    func run() throws {
        for node in model.graph.nodes {
            guard let handler = OperatorRegistry.handlers[node.opType], node.domain.isEmpty else {
                throw ONNXError.unsupportedOperator(opType: node.domain.isEmpty ? node.opType : "\(node.domain).\(node.opType)",
                                                    node: node.displayName)
            }
            let results = try handler(NodeContext(node: node, lowering: self))
            for (i, name) in node.outputs.enumerated() where !name.isEmpty {
                guard i < results.count else {
                    throw ONNXError.unsupportedAttribute(opType: node.opType, node: node.displayName,
                                                         detail: "output \(i) ('\(name)') is not produced by this runtime")
                }
                var v = results[i]
                if case .constant(var t) = v { t.name = name; v = .constant(t) }
                if case .dynamic(let id, _, _) = v, producedName[id] == nil { producedName[id] = name }
                values[name] = v
            }
        }
    }

    /// The graph inputs engine node `id` depends on.
    func graphInputs(feeding id: Int) -> Set<String> {
        var seen = Set<Int>(), stack = [id], found = Set<String>()
        while let n = stack.popLast() {
            guard seen.insert(n).inserted else { continue }
            if let name = inputOfNode[n] { found.insert(name) }
            stack += nodes[n].inputs
        }
        return found
    }

    /// The value called `name`.
    func value(_ name: String) throws -> LoweredValue {
        guard let v = values[name] else { throw ONNXError.invalidGraph("value '\(name)' is used before it is defined") }
        return v
    }

    // MARK: Emitting

    /// The engine node holding `v` (constants become constant nodes, once per name).
    func materialize(_ v: LoweredValue) -> Int {
        switch v {
        case .dynamic(let id, _, _): return id
        case .constant(let t):
            if !t.name.isEmpty, let id = constantNodes[t.name] { return id }
            let id = nodes.count
            nodes.append(PendingNode(op: .constant(t.engineTensor), inputs: []))
            if !t.name.isEmpty { constantNodes[t.name] = id }
            return id
        }
    }

    /// The most elements one value may have (2^32), and the most a constant folded at load time may
    /// have (2^26, 256 MiB of floats): shapes from a model file are checked before anything is allocated.
    static let maxElements = 1 << 32, maxFoldedElements = 1 << 26

    /// The element count of `shape`, or an error when an extent is negative or the product overflows
    /// or exceeds `maxElements`.
    static func checkedCount(_ shape: [Int]) throws -> Int {
        var count = 1
        for d in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: d)
            guard d >= 0, !overflow, product <= maxElements else {
                throw ONNXError.invalidGraph("a value of shape \(shape) is impossible or too large (at most \(maxElements) elements)")
            }
            count = product
        }
        return count
    }

    /// Adds `op` over `inputs` with the given inferred result, or evaluates it now when every input is constant.
    func emit(_ op: Op, _ inputs: [LoweredValue], shape: [Int], type: ONNXDataType) throws -> LoweredValue {
        let count = try Self.checkedCount(shape)
        if inputs.allSatisfy(\.isConstant) {
            guard count <= Self.maxFoldedElements else {
                throw ONNXError.invalidGraph("\(op.name) would fold to a constant of \(count) elements at load time (at most \(Self.maxFoldedElements))")
            }
            let t: Tensor
            do { t = try op.evaluate(inputs.map { $0.constant!.engineTensor }) } catch { throw ONNXError.runtime("\(error)") }
            assert(t.shape == shape, "\(op.name): inferred \(shape), computed \(t.shape)")
            return .constant(ONNXTensor(carried: t, type: type))
        }
        let ids = inputs.map(materialize)
        let id = nodes.count
        nodes.append(PendingNode(op: op, inputs: ids))
        return .dynamic(id: id, shape: shape, type: type)
    }

    /// Applies a pure data-movement op; integer constants move exactly (the op runs on element positions).
    func move(_ op: Op, _ data: LoweredValue, extra: [LoweredValue] = [], shape: [Int]) throws -> LoweredValue {
        if case .constant(let t) = data, case .integer(let ints) = t.storage, extra.allSatisfy(\.isConstant) {
            guard ints.count < 1 << 24 else { return try emit(op, [data] + extra, shape: shape, type: data.type) }
            let positions = Tensor(shape: t.shape, scalars: (0..<ints.count).map { Float($0) })
            let moved: Tensor
            do { moved = try op.evaluate([positions] + extra.map { $0.constant!.engineTensor }) } catch { throw ONNXError.runtime("\(error)") }
            let picked = moved.scalars.map { ints[Int($0)] }
            return .constant(ONNXTensor(integers: picked, shape: moved.shape, type: t.dataType))
        }
        return try emit(op, [data] + extra, shape: shape, type: data.type)
    }

    /// A reshape (no data movement).
    func reshape(_ v: LoweredValue, _ shape: [Int]) throws -> LoweredValue {
        if v.shape == shape { return v }
        guard try Self.checkedCount(shape) == v.count else {
            throw ONNXError.invalidGraph("cannot reshape \(v.shape) (\(v.count) elements) to \(shape)")
        }
        if case .constant(let t) = v { return .constant(t.reshaped(shape)) }
        if shape.contains(0) { return .constant(ONNXTensor(carried: Tensor.zeros(shape), type: v.type)) }
        return try emit(.reshape(shape), [v], shape: shape, type: v.type)
    }

    /// A float constant.
    func constant(_ t: Tensor, type: ONNXDataType = .float) -> LoweredValue { .constant(ONNXTensor(t, type: type)) }

    /// Whether engine node `id` is read only once and is not a graph output (so it may be fused).
    func isPrivate(_ id: Int) -> Bool {
        guard let name = producedName[id] else { return false }
        return readers[name] == 1
    }

    // MARK: Finishing

    /// The engine graph and how each declared output is obtained.
    func finish() throws -> CompiledGraph {
        let builder = GraphBuilder()
        var map: [Int: ValueID] = [:]
        // Keep only nodes that reach a dynamic output.
        var needed = [Bool](repeating: false, count: nodes.count)
        var outputs: [CompiledGraph.Output] = []
        for o in model.graph.outputs {
            let v = try value(o.name)
            if case .dynamic(let id, _, _) = v { needed[id] = true }
            outputs.append(CompiledGraph.Output(name: o.name, value: v))
        }
        for i in stride(from: nodes.count - 1, through: 0, by: -1) where needed[i] {
            for x in nodes[i].inputs { needed[x] = true }
        }
        for (name, id) in inputNodes.sorted(by: { $0.value < $1.value }) {
            map[id] = builder.input(name)
        }
        for (i, n) in nodes.enumerated() where needed[i] && inputOfNode[i] == nil {
            map[i] = builder.add(n.op, n.inputs.map { map[$0]! })
        }
        for o in model.graph.outputs {
            if case .dynamic(let id, _, _) = try value(o.name) { builder.output(map[id]!, name: CompiledGraph.engineName(o.name)) }
        }
        return CompiledGraph(graph: builder.build(), outputs: outputs, engineNodeCount: needed.filter { $0 }.count)
    }
}

// MARK: - Result

/// An engine graph specialised to one set of input shapes, plus the constant outputs.
struct CompiledGraph: Sendable {
    /// One declared output.
    struct Output: Sendable {
        let name: String
        let value: LoweredValueBox

        init(name: String, value lowered: LoweredValue) {
            self.name = name
            switch lowered {
            case LoweredValue.constant(let t): self.value = .constant(t)
            case LoweredValue.dynamic(_, let s, let t): self.value = .dynamic(shape: s, type: t)
            }
        }
    }

    /// What the session needs to know about an output.
    enum LoweredValueBox: Sendable {
        case constant(ONNXTensor)
        case dynamic(shape: [Int], type: ONNXDataType)
    }

    let graph: Graph
    let outputs: [Output]
    let engineNodeCount: Int

    /// Engine-side name of an output (prefixed so it cannot collide with an input name).
    static func engineName(_ name: String) -> String { "out:" + name }
}
