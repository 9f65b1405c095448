// MARK: - Values and operations

/// Identifies one value (a node's output) in a `Graph`; ids follow topological order.
public struct ValueID: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Position of the producing node in `Graph.nodes`.
    public let index: Int
    /// Wraps a node index.
    public init(_ index: Int) { self.index = index }
    /// Orders by node position.
    public static func < (a: ValueID, b: ValueID) -> Bool { a.index < b.index }
    /// "%index".
    public var description: String { "%\(index)" }
}

/// The operation of a node, with its attributes and frozen weights.
public enum Op: Sendable {
    /// A named graph input fed at run time.
    case input(String)
    /// A constant tensor.
    case constant(Tensor)
    /// activation(conv2d(x, weight) + bias); batch norm is folded into weight and bias at build time.
    case conv2d(weight: Tensor, bias: Tensor?, params: Conv2DParameters, activation: Activation)
    /// A pointwise activation.
    case activation(Activation)
    /// Binary elementwise op with broadcasting (two inputs).
    case binary(Elementwise.Binary)
    /// Concatenation of all inputs along `axis`.
    case concat(axis: Int)
    /// Max pooling.
    case maxPool(Pool2DParameters)
    /// Average pooling.
    case averagePool(Pool2DParameters)
    /// Mean over H and W, keeping [N, C, 1, 1].
    case globalAveragePool
    /// x·Wᵀ + b over the last axis.
    case linear(weight: Tensor, bias: Tensor?)
    /// Softmax along `axis`.
    case softmax(axis: Int)
    /// Bilinear resize (align_corners false) to a fixed size.
    case resizeBilinear(height: Int, width: Int)
    /// Circular shift.
    case roll(shifts: [Int], axes: [Int])
    /// Sum or mean over axes (all if empty).
    case reduce(Reduce.Kind, axes: [Int], keepDims: Bool)
    /// Reshape (ONNX rules: 0 copies the input extent, one −1 is inferred).
    case reshape([Int])
    /// Collapses axes from `axis` on into one (torch.flatten(x, axis)).
    case flatten(axis: Int)

    // Inference-only ops (used by imported ONNX graphs; `Executor.backward` rejects them).

    /// A pointwise math function (inference-only).
    case unary(Unary)
    /// inputs[0] ≠ 0 ? inputs[1] : inputs[2], broadcasting (inference-only).
    case select
    /// Broadcast copy to a shape (inference-only).
    case expand([Int])
    /// Axis permutation (inference-only).
    case transpose([Int])
    /// Strided slice (inference-only).
    case slice(SliceParameters)
    /// Padding (inference-only).
    case pad(before: [Int], after: [Int], mode: PadMode)
    /// Gather of slices along an axis; inputs (data, indices) (inference-only).
    case gather(axis: Int)
    /// Elementwise gather along an axis; inputs (data, indices) (inference-only).
    case gatherElements(axis: Int)
    /// Elementwise scatter along an axis; inputs (data, indices, updates) (inference-only).
    case scatterElements(axis: Int, reduction: Gather.Reduction)
    /// Index of the max or min along an axis (inference-only).
    case argReduce(ArgReduce.Kind, axis: Int, keepDims: Bool, selectLast: Bool)
    /// Batched matrix product of two inputs (inference-only).
    case matmul
    /// Separable resampling along one axis (inference-only).
    case resample(axis: Int, taps: ResampleTaps)
    /// N-d max or average pooling; with `outputIndices` the node yields max pooling's argmax indices (inference-only).
    case pool(PoolParameters, isMax: Bool, outputIndices: Bool, columnMajorIndices: Bool)
    /// maxPool1d(activation(conv1d(x) + bias), window) of single-channel rows x [..., width], weight [C, 1, K]
    /// → [..., C, pooled] (`ConvPool1D`; inference-only).
    case convPool1d(weight: Tensor, bias: Tensor?, activation: Activation, window: Int)
    /// An LSTM/GRU/RNN stack over time-major x [T, batch, features], with optional initial h and c
    /// ([layers·directions, batch, hidden]); yields `Recurrent.forwardPacked`'s packed result (inference-only).
    case recurrent(RecurrentNetwork)
    /// One part (output, final h or final c) of a `.recurrent` node's packed result (inference-only).
    case recurrentPart(RecurrentPart, RecurrentLayout)

    /// Short op name for messages and listings.
    public var name: String {
        switch self {
        case .input: "input"
        case .constant: "constant"
        case .conv2d: "conv2d"
        case .activation(let a): "\(a)"
        case .binary(let b): "\(b)"
        case .concat: "concat"
        case .maxPool: "maxPool"
        case .averagePool: "averagePool"
        case .globalAveragePool: "globalAveragePool"
        case .linear: "linear"
        case .softmax: "softmax"
        case .resizeBilinear: "resizeBilinear"
        case .roll: "roll"
        case .reduce(let k, _, _): "reduce\(k)"
        case .reshape: "reshape"
        case .flatten: "flatten"
        case .unary(let f): "\(f)"
        case .select: "where"
        case .expand: "expand"
        case .transpose: "transpose"
        case .slice: "slice"
        case .pad: "pad"
        case .gather: "gather"
        case .gatherElements: "gatherElements"
        case .scatterElements: "scatterElements"
        case .argReduce(let k, _, _, _): "arg\(k)"
        case .matmul: "matmul"
        case .resample: "resample"
        case .pool(_, let isMax, _, _): isMax ? "maxPoolND" : "averagePoolND"
        case .convPool1d: "convPool1d"
        case .recurrent(let n): "\(n.cell)"
        case .recurrentPart(let p, _): "recurrent.\(p.rawValue)"
        }
    }

    /// Whether `Executor.backward` can differentiate through the op.
    public var isDifferentiable: Bool {
        switch self {
        case .input, .constant, .conv2d, .activation, .concat, .maxPool, .averagePool, .globalAveragePool,
             .linear, .softmax, .resizeBilinear, .roll, .reshape, .flatten: true
        case .binary(let b): b.isDifferentiable
        case .reduce(let k, _, _): k.isDifferentiable
        default: false
        }
    }

    /// Runs the op on concrete operands (for constant folding and tests).
    public func evaluate(_ inputs: [Tensor]) throws -> Tensor { try Executor.evaluate(self, inputs) }

    /// Whether the backward pass needs this node's inputs (beyond their shapes).
    var backwardNeedsInputs: Bool {
        switch self {
        case .maxPool: true
        case .binary(let b): b == .mul
        default: false
        }
    }

    /// Whether the backward pass needs this node's output.
    var backwardNeedsOutput: Bool {
        switch self {
        case .conv2d(_, _, _, let a): a.needsOutputForBackward
        case .activation(let a): a.needsOutputForBackward
        case .softmax: true
        default: false
        }
    }
}

// MARK: - Graph

/// One operation applied to earlier values; node i produces value `ValueID(i)`.
public struct Node: Sendable {
    /// What the node computes.
    public let op: Op
    /// Operands, all produced by earlier nodes.
    public let inputs: [ValueID]
    /// Optional unique name of the produced value (e.g. "features.14").
    public let name: String?
}

/// A static computation graph in topological order, with named inputs, outputs and intermediate values.
public struct Graph: Sendable {
    /// Nodes in execution order.
    public let nodes: [Node]
    /// Graph inputs by name.
    public let inputs: [String: ValueID]
    /// Declared outputs by name.
    public let outputs: [String: ValueID]
    /// Every named value (inputs, named intermediates and outputs).
    public let names: [String: ValueID]

    /// Names of all named values in graph order (e.g. for "unknown layer" messages).
    public var valueNames: [String] { names.sorted { $0.value < $1.value || ($0.value == $1.value && $0.key < $1.key) }.map(\.key) }

    /// The value called `name`, if any.
    public func value(named name: String) -> ValueID? { names[name] }
}

// MARK: - Errors

/// Errors raised while running a graph.
public enum EngineError: Error, Equatable, CustomStringConvertible {
    /// A requested value name does not exist; `valid` lists the names that do.
    case unknownValue(String, valid: [String])
    /// A graph input was not fed.
    case missingInput(String)
    /// A seed gradient's shape differs from its value's shape.
    case seedShapeMismatch(String, expected: [Int], got: [Int])
    /// Backward was asked for values the forward pass did not compute or retain.
    case notRecorded(String)
    /// Backward reached an inference-only op.
    case notDifferentiable(String)
    /// A kernel rejected its operands at run time (e.g. an index out of range).
    case invalidArgument(String)

    /// A readable message.
    public var description: String {
        switch self {
        case .unknownValue(let n, let valid): "unknown value '\(n)'; valid names: \(valid.joined(separator: ", "))"
        case .missingInput(let n): "graph input '\(n)' was not provided"
        case .seedShapeMismatch(let n, let e, let g): "seed gradient for '\(n)' has shape \(g), expected \(e)"
        case .notRecorded(let n): "'\(n)' was not recorded for backward (run forward with recordForBackward: true)"
        case .notDifferentiable(let op): "op '\(op)' is inference-only and has no backward"
        case .invalidArgument(let m): m
        }
    }
}
