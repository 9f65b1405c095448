// MARK: - Stacked layers

/// A stack of recurrent layers of one cell kind (torch.nn.LSTM/GRU/RNN with `num_layers`, or one ONNX
/// LSTM/GRU/RNN node): layer l > 0 reads layer l−1's output, directions concatenated.
public struct RecurrentNetwork: Sendable {
    /// The cell of every layer.
    public let cell: RecurrentCell
    /// Direction of every layer.
    public let direction: RecurrentDirection
    /// Weights per layer, one per direction (forward first).
    public let layers: [[RecurrentWeights]]
    /// ONNX `clip`: gate pre-activations are clamped to ±clip before their nonlinearities (nil: none).
    public let clip: Float?

    /// Checks that the layers fit together (same cell and width; each layer's input is the previous
    /// layer's output of directions × hidden features).
    public init(layers: [[RecurrentWeights]], direction: RecurrentDirection = .forward, clip: Float? = nil) {
        precondition(!layers.isEmpty, "a recurrent network needs at least one layer")
        let first = layers[0][0]
        for (l, layer) in layers.enumerated() {
            precondition(layer.count == direction.count, "layer \(l) has \(layer.count) directions, \(direction) needs \(direction.count)")
            for w in layer {
                precondition(w.cell == first.cell && w.hiddenSize == first.hiddenSize, "layer \(l) mixes cells or widths")
                if l > 0 { precondition(w.inputSize == direction.count * first.hiddenSize, "layer \(l) reads \(w.inputSize) features, layer \(l - 1) gives \(direction.count * first.hiddenSize)") }
            }
        }
        if let clip { precondition(clip > 0, "clip must be positive") }
        self.cell = first.cell
        self.direction = direction
        self.layers = layers
        self.clip = clip
    }

    /// Hidden units per direction.
    public var hiddenSize: Int { layers[0][0].hiddenSize }
    /// Features per input step.
    public var inputSize: Int { layers[0][0].inputSize }
    /// Number of layers.
    public var layerCount: Int { layers.count }
    /// Output features per step (directions × hidden).
    public var outputSize: Int { direction.count * hiddenSize }
    /// Shape of the hidden (and cell) state for `batch` sequences: [layers·directions, batch, hidden].
    public func stateShape(batch: Int) -> [Int] { [layerCount * direction.count, batch, hiddenSize] }
    /// Rows a `.recurrent` node's packed result adds after the T output rows: one per layer for h, as many again for c.
    public var stateRows: Int { layerCount * (cell.hasCellState ? 2 : 1) }
    /// The layout facts a `.recurrentPart` node needs.
    public var layout: RecurrentLayout {
        RecurrentLayout(layers: layerCount, directions: direction.count, hiddenSize: hiddenSize, hasCellState: cell.hasCellState)
    }
}

// MARK: - State

/// The state a recurrent network carries between steps, in torch/ONNX layout [layers·directions, batch, hidden].
public struct RecurrentState: Sendable {
    /// Hidden state h.
    public var hidden: Tensor
    /// Memory cell c (LSTM only).
    public var cell: Tensor?

    /// Wraps state tensors.
    public init(hidden: Tensor, cell: Tensor? = nil) {
        self.hidden = hidden
        self.cell = cell
    }

    /// All-zero state for `network` over `batch` sequences.
    public static func zeros(for network: RecurrentNetwork, batch: Int) -> RecurrentState {
        let shape = network.stateShape(batch: batch)
        return RecurrentState(hidden: .zeros(shape), cell: network.cell.hasCellState ? .zeros(shape) : nil)
    }
}

// MARK: - Packed graph result

/// Shape facts of a recurrent node's packed result ([T + stateRows, batch, directions·hidden]: the
/// output rows, then h per layer, then c per layer).
public struct RecurrentLayout: Sendable, Hashable {
    /// Layers.
    public var layers: Int
    /// Directions (1 or 2).
    public var directions: Int
    /// Hidden units per direction.
    public var hiddenSize: Int
    /// Whether c rows follow the h rows.
    public var hasCellState: Bool

    /// Groups the facts.
    public init(layers: Int, directions: Int, hiddenSize: Int, hasCellState: Bool) {
        self.layers = layers; self.directions = directions; self.hiddenSize = hiddenSize; self.hasCellState = hasCellState
    }

    /// Rows after the output rows.
    public var stateRows: Int { layers * (hasCellState ? 2 : 1) }
}

/// A part of a recurrent node's packed result.
public enum RecurrentPart: String, Sendable, Hashable {
    /// The last layer's outputs, [T, batch, directions·hidden].
    case output
    /// The final hidden state, [layers·directions, batch, hidden].
    case hidden
    /// The final memory cell (LSTM), [layers·directions, batch, hidden].
    case cell
}
