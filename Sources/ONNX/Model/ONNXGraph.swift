// MARK: - Attributes

/// The value of a node attribute.
public enum ONNXAttribute: Sendable {
    /// FLOAT.
    case float(Float)
    /// INT.
    case int(Int64)
    /// STRING (raw bytes decoded as UTF-8).
    case string(String)
    /// TENSOR.
    case tensor(ONNXTensor)
    /// FLOATS.
    case floats([Float])
    /// INTS.
    case ints([Int64])
    /// STRINGS.
    case strings([String])
    /// A kind the runtime does not read (GRAPH, SPARSE_TENSOR, TYPE_PROTO, …), by name.
    case unsupported(String)
}

// MARK: - Values and nodes

/// One extent of a declared shape.
public enum ONNXDimension: Sendable, Hashable, CustomStringConvertible {
    /// A fixed extent.
    case fixed(Int)
    /// A named symbolic extent (e.g. "batch").
    case symbolic(String)
    /// Unknown.
    case unknown

    /// The extent or name.
    public var description: String {
        switch self {
        case .fixed(let n): "\(n)"
        case .symbolic(let s): s
        case .unknown: "?"
        }
    }
    /// The fixed extent, if any.
    public var value: Int? { if case .fixed(let n) = self { n } else { nil } }
}

/// A declared graph input, output or intermediate value.
public struct ONNXValueInfo: Sendable {
    /// Value name.
    public var name: String
    /// Element type (nil when the value is not a tensor, e.g. a sequence).
    public var dataType: ONNXDataType?
    /// Declared shape (nil when absent).
    public var shape: [ONNXDimension]?
    /// A description of a non-tensor type ("sequence", "map", …).
    public var nonTensorKind: String?
}

/// One node of the graph.
public struct ONNXNode: Sendable {
    /// Operator type (Conv, Add, …).
    public var opType: String
    /// Operator domain ("" or "ai.onnx" for the default domain).
    public var domain: String
    /// Node name (may be empty).
    public var name: String
    /// Input value names ("" = optional input left out).
    public var inputs: [String]
    /// Output value names ("" = optional output not wanted).
    public var outputs: [String]
    /// Attributes by name.
    public var attributes: [String: ONNXAttribute]

    /// The node's name, or its first output when unnamed (for messages).
    public var displayName: String { name.isEmpty ? (outputs.first.map { "→\($0)" } ?? opType) : name }
}

/// The main graph of a model.
public struct ONNXGraph: Sendable {
    /// Graph name.
    public var name: String
    /// Nodes as stored (not necessarily sorted).
    public var nodes: [ONNXNode]
    /// Declared inputs (may include initializers in old models).
    public var inputs: [ONNXValueInfo]
    /// Declared outputs.
    public var outputs: [ONNXValueInfo]
    /// Extra shape/type annotations.
    public var valueInfo: [ONNXValueInfo]
    /// Weights by name.
    public var initializers: [String: ONNXTensor]
}
