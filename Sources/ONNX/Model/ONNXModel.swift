import Engine
import Foundation

// MARK: - Model

/// A decoded and validated ONNX model: metadata, the main graph in topological order, and its weights.
///
/// ```swift
/// let model = try ONNXModel.load(path: "basic-pitch.onnx")
/// let session = try ONNXSession(model)
/// let out = try session.run(["serving_default_input_2:0": audio])
/// ```
public struct ONNXModel: Sendable {
    /// IR version of the file.
    public let irVersion: Int
    /// Opset version per domain ("" = the default ONNX domain).
    public let opsets: [String: Int]
    /// Producing tool and its version (e.g. "tf2onnx", "1.15.1").
    public let producer: (name: String, version: String)
    /// Free-form metadata properties.
    public let metadata: [String: String]
    /// The main graph; nodes are sorted topologically.
    public let graph: ONNXGraph

    /// The default-domain opset version (operator semantics follow it).
    public var opset: Int { opsets[""] ?? 1 }

    /// Inputs that must be fed (declared inputs that are not initializers).
    public var inputs: [ONNXValueInfo] { graph.inputs.filter { graph.initializers[$0.name] == nil } }
    /// Declared outputs.
    public var outputs: [ONNXValueInfo] { graph.outputs }

    // MARK: Loading

    /// Reads and validates a model file.
    public static func load(path: String) throws -> ONNXModel {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ONNXError.unreadable(path: path, reason: "no such file or not readable")
        }
        return try load(bytes: [UInt8](data))
    }

    /// Decodes and validates a serialized ModelProto.
    public static func load(bytes: [UInt8]) throws -> ONNXModel {
        var reader = ProtoReader(bytes, context: "ModelProto")
        let fields = try ProtoDecoder.model(&reader)
        guard var graph = fields.graph else { throw ONNXError.invalidGraph("the model has no graph") }
        for v in graph.inputs + graph.outputs where v.dataType == nil {
            throw ONNXError.unsupportedType("\(v.nonTensorKind ?? "untyped") value '\(v.name)'")
        }
        graph.nodes = try GraphValidator.sorted(graph)
        let opsets = fields.opsets.isEmpty ? ["": 1] : fields.opsets
        for node in graph.nodes { try OperatorRegistry.check(node, opset: opsets[node.domain] ?? opsets[""] ?? 1) }
        return ONNXModel(irVersion: Int(clamping: fields.irVersion), opsets: opsets,
                         producer: (fields.producerName, fields.producerVersion), metadata: fields.metadata, graph: graph)
    }

    /// A one-line summary: producer, opset, inputs and outputs with shapes and types.
    public var summary: String {
        func describe(_ v: ONNXValueInfo) -> String {
            let t = v.dataType.map { "\($0)" } ?? (v.nonTensorKind ?? "?")
            let s = v.shape.map { "[" + $0.map(\.description).joined(separator: ", ") + "]" } ?? "[?]"
            return "\(v.name): \(t)\(s)"
        }
        let p = producer.name.isEmpty ? "unknown producer" : "\(producer.name) \(producer.version)"
        return "\(p), opset \(opset), \(graph.nodes.count) nodes; inputs \(inputs.map(describe).joined(separator: "; ")); outputs \(outputs.map(describe).joined(separator: "; "))"
    }
}

// MARK: - Validation

/// Structural checks: every input name is defined once before use, no cycles, unique outputs.
enum GraphValidator {
    /// The nodes in a topological order, or an error naming the offending value or node.
    static func sorted(_ g: ONNXGraph) throws -> [ONNXNode] {
        var producer: [String: Int] = [:]
        var defined = Set(g.initializers.keys)
        for v in g.inputs {
            guard !v.name.isEmpty else { throw ONNXError.invalidGraph("a graph input has no name") }
            defined.insert(v.name)
        }
        for (i, n) in g.nodes.enumerated() {
            for o in n.outputs where !o.isEmpty {
                if producer[o] != nil || (defined.contains(o) && g.initializers[o] == nil) {
                    throw ONNXError.invalidGraph("value '\(o)' is produced more than once (node '\(n.displayName)')")
                }
                producer[o] = i
            }
        }
        for n in g.nodes {
            for x in n.inputs where !x.isEmpty && producer[x] == nil && !defined.contains(x) {
                throw ONNXError.invalidGraph("node '\(n.displayName)' (\(n.opType)) reads '\(x)', which nothing defines")
            }
        }
        var outputNames = Set<String>()
        for o in g.outputs {
            guard outputNames.insert(o.name).inserted else { throw ONNXError.invalidGraph("output '\(o.name)' is declared twice") }
            guard producer[o.name] != nil || defined.contains(o.name) else {
                throw ONNXError.invalidGraph("output '\(o.name)' is not produced by any node")
            }
        }
        // Kahn's algorithm; whatever remains sits on a cycle.
        var indegree = [Int](repeating: 0, count: g.nodes.count)
        var consumers = [[Int]](repeating: [], count: g.nodes.count)
        for (i, n) in g.nodes.enumerated() {
            for x in Set(n.inputs) where !x.isEmpty {
                if let p = producer[x] { indegree[i] += 1; consumers[p].append(i) }
            }
        }
        var ready = (0..<g.nodes.count).filter { indegree[$0] == 0 }.reversed() as [Int]
        var order: [Int] = []
        order.reserveCapacity(g.nodes.count)
        while let i = ready.popLast() {
            order.append(i)
            for c in consumers[i].reversed() {
                indegree[c] -= 1
                if indegree[c] == 0 { ready.append(c) }
            }
        }
        if order.count < g.nodes.count {
            let stuck = (0..<g.nodes.count).filter { indegree[$0] > 0 }.prefix(5).map { g.nodes[$0].displayName }
            throw ONNXError.invalidGraph("the graph has a cycle through node(s) \(stuck.joined(separator: ", "))")
        }
        return order.map { g.nodes[$0] }
    }
}
