import Engine

// MARK: - Per-node helpers

/// Access to one node's operands and attributes while it is lowered, with errors that name the node.
struct NodeContext {
    let node: ONNXNode
    let lowering: Lowering

    var opset: Int { lowering.opset }
    var name: String { node.displayName }

    // MARK: Errors

    /// An invalid-node error naming this node.
    func invalid(_ detail: String) -> ONNXError { .invalidNode(opType: node.opType, node: name, detail: detail) }
    /// An unsupported-form error naming this node.
    func unsupported(_ detail: String) -> ONNXError { .unsupportedAttribute(opType: node.opType, node: name, detail: detail) }

    // MARK: Operands

    /// Number of inputs given (trailing empty names count as absent).
    var inputCount: Int {
        var n = node.inputs.count
        while n > 0 && node.inputs[n - 1].isEmpty { n -= 1 }
        return n
    }

    /// Input `i` (required).
    func input(_ i: Int) throws -> LoweredValue {
        guard i < node.inputs.count, !node.inputs[i].isEmpty else { throw invalid("input \(i) is missing") }
        return try lowering.value(node.inputs[i])
    }

    /// Input `i`, or nil when left out.
    func optionalInput(_ i: Int) throws -> LoweredValue? {
        guard i < node.inputs.count, !node.inputs[i].isEmpty else { return nil }
        return try lowering.value(node.inputs[i])
    }

    /// Input `i` as a load-time constant (a graph input there is bound to its fed value).
    func constantInput(_ i: Int, _ what: String) throws -> ONNXTensor? {
        guard let v = try optionalInput(i) else { return nil }
        if let c = v.constant { return c }
        if case .dynamic(let id, _, _) = v {
            // Computed from graph inputs: bind those inputs' values and specialise again.
            let inputs = lowering.graphInputs(feeding: id)
            if !inputs.isEmpty { throw Lowering.NeedsBinding(inputs: inputs) }
        }
        throw unsupported("\(what) (input \(i)) must be known at load time")
    }

    /// Input `i` as constant integers.
    func constantInts(_ i: Int, _ what: String) throws -> [Int]? {
        guard let t = try constantInput(i, what) else { return nil }
        return t.integers.map { Int(clamping: $0) }
    }

    /// Checks that all operands share one element type.
    func sameType(_ vs: [LoweredValue]) throws -> ONNXDataType {
        let t = vs[0].type
        for v in vs where v.type != t { throw invalid("operand types differ (\(vs.map(\.type)))") }
        return t
    }

    // MARK: Attributes

    /// An INT attribute.
    func int(_ key: String, _ fallback: Int) throws -> Int {
        guard let a = node.attributes[key] else { return fallback }
        guard case .int(let v) = a else { throw invalid("attribute \(key) is not an integer") }
        return Int(clamping: v)
    }
    /// An optional INT attribute.
    func optionalInt(_ key: String) throws -> Int? {
        guard node.attributes[key] != nil else { return nil }
        return try int(key, 0)
    }
    /// A FLOAT attribute.
    func float(_ key: String, _ fallback: Float) throws -> Float {
        guard let a = node.attributes[key] else { return fallback }
        switch a {
        case .float(let v): return v
        case .int(let v): return Float(v)
        default: throw invalid("attribute \(key) is not a float")
        }
    }
    /// A STRING attribute.
    func string(_ key: String, _ fallback: String) throws -> String {
        guard let a = node.attributes[key] else { return fallback }
        guard case .string(let v) = a else { throw invalid("attribute \(key) is not a string") }
        return v
    }
    /// An INTS attribute.
    func ints(_ key: String) throws -> [Int]? {
        guard let a = node.attributes[key] else { return nil }
        switch a {
        case .ints(let v): return v.map { Int(clamping: $0) }
        case .int(let v): return [Int(clamping: v)]
        default: throw invalid("attribute \(key) is not a list of integers")
        }
    }
    /// A FLOATS attribute.
    func floats(_ key: String) throws -> [Float]? {
        guard let a = node.attributes[key] else { return nil }
        switch a {
        case .floats(let v): return v
        case .float(let v): return [v]
        default: throw invalid("attribute \(key) is not a list of floats")
        }
    }
    /// A TENSOR attribute.
    func tensor(_ key: String) throws -> ONNXTensor? {
        guard let a = node.attributes[key] else { return nil }
        guard case .tensor(let t) = a else { throw invalid("attribute \(key) is not a tensor") }
        return t
    }

    // MARK: Axes

    /// An axis normalised into 0..<rank.
    func axis(_ a: Int, rank: Int) throws -> Int {
        // A scalar (rank 0) has no axis: every caller indexes the shape with the result.
        let b = a < 0 ? a + rank : a
        guard b >= 0 && b < rank else { throw invalid("axis \(a) is out of range for rank \(rank)") }
        return b
    }

    /// Broadcast shape of operands, or an error.
    func broadcast(_ shapes: [[Int]]) throws -> [Int] {
        guard let s = Select.shape(shapes) else { throw invalid("shapes \(shapes) do not broadcast") }
        return s
    }
}
