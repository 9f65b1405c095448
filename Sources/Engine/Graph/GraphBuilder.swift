// MARK: - Batch-norm parameters

/// Inference-mode batch-norm statistics and affine parameters, folded into a convolution at build time.
public struct BatchNormParameters: Sendable {
    /// Scale (gamma, torch `weight`).
    public var gamma: Tensor
    /// Shift (beta, torch `bias`).
    public var beta: Tensor
    /// Running mean.
    public var mean: Tensor
    /// Running variance.
    public var variance: Tensor
    /// Added to the variance (torch default 1e-5).
    public var epsilon: Float

    /// Groups the four tensors and epsilon.
    public init(gamma: Tensor, beta: Tensor, mean: Tensor, variance: Tensor, epsilon: Float = 1e-5) {
        self.gamma = gamma; self.beta = beta; self.mean = mean; self.variance = variance; self.epsilon = epsilon
    }
}

// MARK: - Builder

/// Builds a `Graph` op by op: `let x = b.input("image"); let y = b.conv2d(x, …); b.output(y, name: "out")`.
public final class GraphBuilder {
    private var nodes: [Node] = []
    private var inputs: [String: ValueID] = [:]
    private var outputs: [String: ValueID] = [:]
    private var names: [String: ValueID] = [:]

    /// An empty builder.
    public init() {}

    /// Appends a node and returns its value (general entry point; the typed methods below call it).
    @discardableResult
    public func add(_ op: Op, _ operands: [ValueID], name: String? = nil) -> ValueID {
        for v in operands { precondition(v.index >= 0 && v.index < nodes.count, "operand \(v) is not in this graph") }
        let id = ValueID(nodes.count)
        nodes.append(Node(op: op, inputs: operands, name: name))
        if let name { setName(id, name) }
        return id
    }

    /// Gives `value` an additional name by which callers can request it.
    public func name(_ value: ValueID, _ name: String) { setName(value, name) }

    private func setName(_ id: ValueID, _ name: String) {
        precondition(names[name] == nil || names[name] == id, "value name '\(name)' is used twice")
        names[name] = id
    }

    /// Declares `value` a graph output called `name`.
    public func output(_ value: ValueID, name: String) {
        setName(value, name)
        outputs[name] = value
    }

    /// The finished graph.
    public func build() -> Graph { Graph(nodes: nodes, inputs: inputs, outputs: outputs, names: names) }

    // MARK: Sources

    /// A graph input fed at run time under `name`.
    public func input(_ name: String) -> ValueID {
        precondition(inputs[name] == nil, "input '\(name)' declared twice")
        let id = add(.input(name), [], name: name)
        inputs[name] = id
        return id
    }

    /// A constant tensor.
    public func constant(_ tensor: Tensor, name: String? = nil) -> ValueID { add(.constant(tensor), [], name: name) }

    // MARK: Convolution

    /// activation(conv2d(x, weight) + bias) with torch-style stride/padding/dilation/groups.
    public func conv2d(_ x: ValueID, weight: Tensor, bias: Tensor? = nil, stride: Int = 1, padding: Int = 0,
                       dilation: Int = 1, groups: Int = 1, activation: Activation = .identity, name: String? = nil) -> ValueID {
        conv2d(x, weight: weight, bias: bias,
               params: Conv2DParameters(stride: stride, padding: padding, dilation: dilation, groups: groups),
               activation: activation, name: name)
    }

    /// activation(conv2d(x, weight) + bias) with explicit parameters.
    public func conv2d(_ x: ValueID, weight: Tensor, bias: Tensor? = nil, params: Conv2DParameters,
                       activation: Activation = .identity, name: String? = nil) -> ValueID {
        precondition(weight.rank == 4, "conv2d weight must be [Cout, Cin/groups, kH, kW], got \(weight.shape)")
        return add(.conv2d(weight: weight, bias: bias, params: params, activation: activation), [x], name: name)
    }

    /// activation(bn(conv2d(x, weight) + bias)) with the batch norm folded into the convolution now.
    public func conv2d(_ x: ValueID, weight: Tensor, bias: Tensor? = nil, batchNorm bn: BatchNormParameters,
                       params: Conv2DParameters, activation: Activation = .identity, name: String? = nil) -> ValueID {
        let folded = BatchNormFolding.fold(weight: weight, bias: bias, gamma: bn.gamma, beta: bn.beta,
                                           mean: bn.mean, variance: bn.variance, epsilon: bn.epsilon)
        return conv2d(x, weight: folded.weight, bias: folded.bias, params: params, activation: activation, name: name)
    }

    // MARK: Activations

    /// Any pointwise activation as its own node.
    public func activation(_ x: ValueID, _ a: Activation, name: String? = nil) -> ValueID { add(.activation(a), [x], name: name) }
    /// max(x, 0).
    public func relu(_ x: ValueID, name: String? = nil) -> ValueID { activation(x, .relu, name: name) }
    /// min(max(x, 0), 6).
    public func relu6(_ x: ValueID, name: String? = nil) -> ValueID { activation(x, .relu6, name: name) }
    /// min(max(x, lower), upper).
    public func clip(_ x: ValueID, lower: Float, upper: Float, name: String? = nil) -> ValueID {
        activation(x, .clip(lower: lower, upper: upper), name: name)
    }
    /// Logistic sigmoid.
    public func sigmoid(_ x: ValueID, name: String? = nil) -> ValueID { activation(x, .sigmoid, name: name) }
    /// Hyperbolic tangent.
    public func tanh(_ x: ValueID, name: String? = nil) -> ValueID { activation(x, .tanh, name: name) }
    /// Leaky ReLU with negative `slope`.
    public func leakyRelu(_ x: ValueID, slope: Float = 0.01, name: String? = nil) -> ValueID {
        activation(x, .leakyRelu(slope: slope), name: name)
    }

    // MARK: Elementwise and structure

    /// a + b (broadcasting).
    public func add(_ a: ValueID, _ b: ValueID, name: String? = nil) -> ValueID { add(.binary(.add), [a, b], name: name) }
    /// a − b (broadcasting).
    public func sub(_ a: ValueID, _ b: ValueID, name: String? = nil) -> ValueID { add(.binary(.sub), [a, b], name: name) }
    /// a · b (broadcasting).
    public func mul(_ a: ValueID, _ b: ValueID, name: String? = nil) -> ValueID { add(.binary(.mul), [a, b], name: name) }
    /// Concatenation along `axis` (channels by default).
    public func concat(_ xs: [ValueID], axis: Int = 1, name: String? = nil) -> ValueID {
        precondition(!xs.isEmpty, "concat needs inputs")
        return add(.concat(axis: axis), xs, name: name)
    }
    /// Reshape with ONNX rules (0 copies, −1 infers).
    public func reshape(_ x: ValueID, _ shape: [Int], name: String? = nil) -> ValueID { add(.reshape(shape), [x], name: name) }
    /// torch.flatten(x, axis).
    public func flatten(_ x: ValueID, axis: Int = 1, name: String? = nil) -> ValueID { add(.flatten(axis: axis), [x], name: name) }

    // MARK: Pooling and heads

    /// Max pooling.
    public func maxPool(_ x: ValueID, kernel: Int, stride: Int? = nil, padding: Int = 0, ceilMode: Bool = false,
                        name: String? = nil) -> ValueID {
        add(.maxPool(Pool2DParameters(kernel: kernel, stride: stride, padding: padding, ceilMode: ceilMode)), [x], name: name)
    }
    /// Average pooling.
    public func averagePool(_ x: ValueID, kernel: Int, stride: Int? = nil, padding: Int = 0, ceilMode: Bool = false,
                            countIncludePad: Bool = true, name: String? = nil) -> ValueID {
        add(.averagePool(Pool2DParameters(kernel: kernel, stride: stride, padding: padding, ceilMode: ceilMode,
                                          countIncludePad: countIncludePad)), [x], name: name)
    }
    /// Mean over H and W → [N, C, 1, 1].
    public func globalAveragePool(_ x: ValueID, name: String? = nil) -> ValueID { add(.globalAveragePool, [x], name: name) }
    /// x·Wᵀ + b (weight [out, in]).
    public func linear(_ x: ValueID, weight: Tensor, bias: Tensor? = nil, name: String? = nil) -> ValueID {
        precondition(weight.rank == 2, "linear weight must be [out, in], got \(weight.shape)")
        return add(.linear(weight: weight, bias: bias), [x], name: name)
    }
    /// Softmax along `axis`.
    public func softmax(_ x: ValueID, axis: Int = -1, name: String? = nil) -> ValueID { add(.softmax(axis: axis), [x], name: name) }

    // MARK: Geometry and reductions

    /// Bilinear resize to height×width (align_corners false).
    public func resizeBilinear(_ x: ValueID, height: Int, width: Int, name: String? = nil) -> ValueID {
        add(.resizeBilinear(height: height, width: width), [x], name: name)
    }
    /// Circular shift by `shifts` along `axes` (default H and W of NCHW).
    public func roll(_ x: ValueID, shifts: [Int], axes: [Int] = [2, 3], name: String? = nil) -> ValueID {
        add(.roll(shifts: shifts, axes: axes), [x], name: name)
    }
    /// Sum over `axes` (all if empty).
    public func sum(_ x: ValueID, axes: [Int] = [], keepDims: Bool = false, name: String? = nil) -> ValueID {
        add(.reduce(.sum, axes: axes, keepDims: keepDims), [x], name: name)
    }
    /// Mean over `axes` (all if empty).
    public func mean(_ x: ValueID, axes: [Int] = [], keepDims: Bool = false, name: String? = nil) -> ValueID {
        add(.reduce(.mean, axes: axes, keepDims: keepDims), [x], name: name)
    }

    // MARK: Audio front ends

    /// maxPool1d(activation(conv1d(x, weight) + bias), window) over single-channel rows x [..., width]
    /// (weight [C, 1, K], stride 1, no padding; pooling windows of `window`, floor mode) → [..., C, pooled].
    public func convPool1d(_ x: ValueID, weight: Tensor, bias: Tensor? = nil, activation: Activation = .identity,
                           window: Int, name: String? = nil) -> ValueID {
        precondition(weight.rank == 3 && weight.shape[1] == 1, "convPool1d weight must be [C, 1, K], got \(weight.shape)")
        return add(.convPool1d(weight: weight, bias: bias, activation: activation, window: window), [x], name: name)
    }

    // MARK: Recurrent layers

    /// An LSTM/GRU/RNN stack over time-major x [T, batch, features] from optional initial states
    /// [layers·directions, batch, hidden] (zeros when nil; a cell state only for LSTMs, and only with a
    /// hidden state). `name` names the output; the final states are "NAME.hidden" and "NAME.cell".
    public func recurrent(_ x: ValueID, _ network: RecurrentNetwork, initialHidden: ValueID? = nil,
                          initialCell: ValueID? = nil, name: String? = nil) -> RecurrentValues {
        precondition(initialCell == nil || (initialHidden != nil && network.cell.hasCellState),
                     "an initial cell state needs an LSTM and an initial hidden state")
        let operands = [x] + [initialHidden, initialCell].compactMap { $0 }
        let packed = add(.recurrent(network), operands)
        let layout = network.layout
        let output = add(.recurrentPart(.output, layout), [packed], name: name)
        let hidden = add(.recurrentPart(.hidden, layout), [packed], name: name.map { "\($0).hidden" })
        let cell = layout.hasCellState ? add(.recurrentPart(.cell, layout), [packed], name: name.map { "\($0).cell" }) : nil
        return RecurrentValues(packed: packed, output: output, hidden: hidden, cell: cell)
    }
}

/// The values a recurrent stack adds to a graph.
public struct RecurrentValues: Sendable {
    /// The packed result node (output rows, then the state rows).
    public let packed: ValueID
    /// The last layer's output, [T, batch, directions·hidden].
    public let output: ValueID
    /// The final hidden state, [layers·directions, batch, hidden].
    public let hidden: ValueID
    /// The final cell state (LSTM), [layers·directions, batch, hidden].
    public let cell: ValueID?
}
