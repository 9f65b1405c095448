// MARK: - Cell kinds

/// The recurrent cells the engine runs (inference only), in PyTorch's gate conventions.
public enum RecurrentCell: Sendable, Hashable, CustomStringConvertible {
    /// Long short-term memory; gates i, f, g, o; state (h, c).
    case lstm
    /// Gated recurrent unit; gates r, z, n. With `linearBeforeReset` (PyTorch's GRU, ONNX
    /// `linear_before_reset=1`) the reset gate multiplies R·h + b; without it (the ONNX default), it
    /// multiplies h before the product.
    case gru(linearBeforeReset: Bool)
    /// Elman RNN: h = act(W·x + R·h + b).
    case rnn(RecurrentActivation)

    /// Gates per unit (rows of the weights per hidden unit).
    public var gateCount: Int {
        switch self {
        case .lstm: 4
        case .gru: 3
        case .rnn: 1
        }
    }

    /// Whether the cell carries a memory cell c beside h (LSTM).
    public var hasCellState: Bool { self == .lstm }

    /// "lstm", "gru" or "rnn(tanh)".
    public var description: String {
        switch self {
        case .lstm: "lstm"
        case .gru(let lbr): lbr ? "gru" : "gru(reset before linear)"
        case .rnn(let a): "rnn(\(a))"
        }
    }
}

/// The activation of an Elman RNN cell.
public enum RecurrentActivation: String, Sendable, Hashable {
    /// tanh (the default of PyTorch and ONNX).
    case tanh
    /// max(x, 0).
    case relu
    /// Logistic sigmoid.
    case sigmoid
}

// MARK: - Gate orders

/// How a weight file orders the gate blocks of a recurrent layer; the engine stores PyTorch's.
public enum RecurrentGateOrder: Sendable, Hashable {
    /// LSTM i, f, g, o; GRU r, z, n (torch.nn.LSTM / GRU).
    case pytorch
    /// LSTM i, o, f, c; GRU z, r, h (the ONNX LSTM / GRU operators).
    case onnx

    /// For each gate in PyTorch order, its block index in this order.
    public func sourceBlocks(for cell: RecurrentCell) -> [Int] {
        switch (self, cell) {
        case (.pytorch, _): Array(0..<cell.gateCount)
        case (.onnx, .lstm): [0, 2, 3, 1]     // i ← i, f ← f (2), g ← c (3), o ← o (1)
        case (.onnx, .gru): [1, 0, 2]         // r ← r (1), z ← z (0), n ← h (2)
        case (.onnx, .rnn): [0]
        }
    }

    /// For the three LSTM peephole blocks in the engine's order (i, f, o), their index in this order
    /// (ONNX `P` is i, o, f).
    public var peepholeSourceBlocks: [Int] {
        switch self {
        case .pytorch: [0, 1, 2]
        case .onnx: [0, 2, 1]
        }
    }
}

// MARK: - Directions

/// Which way a recurrent layer reads its sequence.
public enum RecurrentDirection: String, Sendable, Hashable {
    /// First step to last.
    case forward
    /// Last step to first (ONNX `reverse`).
    case reverse
    /// Both, outputs concatenated forward then reverse.
    case bidirectional

    /// 1, or 2 for bidirectional.
    public var count: Int { self == .bidirectional ? 2 : 1 }

    /// Whether direction slot `index` runs backwards in time.
    public func isReversed(_ index: Int) -> Bool { self == .reverse || (self == .bidirectional && index == 1) }
}
