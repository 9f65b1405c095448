// MARK: - Errors

/// Everything that can go wrong while reading, importing or running an ONNX model.
public enum ONNXError: Error, Equatable, CustomStringConvertible {
    /// The bytes are not a well-formed protobuf message of the expected kind.
    case malformed(String)
    /// The file could not be read.
    case unreadable(path: String, reason: String)
    /// A tensor keeps its data in an external file, which mlwb refuses to follow.
    case externalData(tensor: String)
    /// An element type the runtime does not handle.
    case unsupportedType(String)
    /// An operator the runtime does not implement.
    case unsupportedOperator(opType: String, node: String)
    /// An operator attribute value (or operand form) the runtime does not implement.
    case unsupportedAttribute(opType: String, node: String, detail: String)
    /// The graph is not a valid DAG: cycles, dangling or duplicate names, missing pieces.
    case invalidGraph(String)
    /// A node's operands or attributes do not fit together (bad shapes, ranks, counts).
    case invalidNode(opType: String, node: String, detail: String)
    /// A run-time input is missing or has the wrong shape or rank.
    case invalidInput(String)
    /// A kernel failed at run time.
    case runtime(String)

    /// A readable message.
    public var description: String {
        switch self {
        case .malformed(let m): "malformed ONNX data: \(m)"
        case .unreadable(let p, let r): "cannot read \(p): \(r)"
        case .externalData(let t): "tensor '\(t)' stores its data in an external file; external data is not supported (re-export the model with the weights embedded)"
        case .unsupportedType(let t): "unsupported element type \(t)"
        case .unsupportedOperator(let op, let n): "unsupported operator \(op) (node '\(n)')"
        case .unsupportedAttribute(let op, let n, let d): "unsupported form of \(op) (node '\(n)'): \(d)"
        case .invalidGraph(let m): "invalid graph: \(m)"
        case .invalidNode(let op, let n, let d): "invalid \(op) node '\(n)': \(d)"
        case .invalidInput(let m): "invalid input: \(m)"
        case .runtime(let m): "runtime error: \(m)"
        }
    }
}
