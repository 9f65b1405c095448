import Engine

// MARK: - Values during import

/// An ONNX value while a graph is lowered: a constant known at load time, or an engine node's output.
enum LoweredValue {
    /// Known now (initializers, Constant nodes, shape arithmetic, anything computed only from those).
    case constant(ONNXTensor)
    /// Computed at run time by engine node `id`, with its inferred shape and element type.
    case dynamic(id: Int, shape: [Int], type: ONNXDataType)

    /// Inferred shape.
    var shape: [Int] {
        switch self {
        case .constant(let t): t.shape
        case .dynamic(_, let s, _): s
        }
    }
    /// Element type.
    var type: ONNXDataType {
        switch self {
        case .constant(let t): t.dataType
        case .dynamic(_, _, let t): t
        }
    }
    /// Rank.
    var rank: Int { shape.count }
    /// Element count.
    var count: Int { shape.reduce(1, *) }
    /// The constant, if known.
    var constant: ONNXTensor? { if case .constant(let t) = self { t } else { nil } }
    /// Whether the value is known at load time.
    var isConstant: Bool { constant != nil }
}
