import Engine

// MARK: - torch.nn.LSTM / GRU / RNN state-dict keys

extension RecurrentNetwork {
    /// Why a torch recurrent module's tensors do not make a network.
    public struct TorchWeightsError: Error, Equatable, CustomStringConvertible {
        /// What is missing or malformed.
        public let detail: String
        /// A readable message.
        public var description: String { detail }
    }

    /// The network of a torch.nn.LSTM/GRU/RNN module whose state-dict keys start with `prefix`
    /// (`lstm.weight_ih_l0`, `lstm.bias_hh_l1_reverse`, …); layers are counted from the keys present.
    public init(torchWeights weights: [String: Tensor], prefix: String, cell: RecurrentCell) throws {
        let bidirectional = weights["\(prefix).weight_ih_l0_reverse"] != nil
        var layers: [[RecurrentWeights]] = []
        while weights["\(prefix).weight_ih_l\(layers.count)"] != nil {
            let l = layers.count
            var directions: [RecurrentWeights] = []
            for suffix in bidirectional ? ["", "_reverse"] : [""] {
                func tensor(_ kind: String) -> Tensor? { weights["\(prefix).\(kind)_l\(l)\(suffix)"] }
                guard let wih = tensor("weight_ih"), let whh = tensor("weight_hh") else {
                    throw TorchWeightsError(detail: "state dict has no \(prefix).weight_hh_l\(l)\(suffix) beside \(prefix).weight_ih_l\(l)\(suffix)")
                }
                let g = cell.gateCount
                guard wih.rank == 2, whh.rank == 2, whh.shape[0] == g * whh.shape[1], wih.shape[0] == whh.shape[0] else {
                    throw TorchWeightsError(detail: "\(prefix) layer \(l)\(suffix): weight_ih \(wih.shape) and weight_hh \(whh.shape) are not \(g) gates of a \(cell)")
                }
                let bih = tensor("bias_ih"), bhh = tensor("bias_hh")
                for (name, b) in [("bias_ih", bih), ("bias_hh", bhh)] where b != nil && b!.count != whh.shape[0] {
                    throw TorchWeightsError(detail: "\(prefix).\(name)_l\(l)\(suffix) has \(b!.count) values, expected \(whh.shape[0])")
                }
                if let first = layers.first?.first, whh.shape[1] != first.hiddenSize {
                    throw TorchWeightsError(detail: "\(prefix) layer \(l)\(suffix) has \(whh.shape[1]) hidden units, layer 0 has \(first.hiddenSize)")
                }
                if l > 0, wih.shape[1] != (bidirectional ? 2 : 1) * whh.shape[1] {
                    throw TorchWeightsError(detail: "\(prefix) layer \(l) reads \(wih.shape[1]) features, the layer below gives \((bidirectional ? 2 : 1) * whh.shape[1])")
                }
                directions.append(RecurrentWeights(cell: cell, input: wih, recurrent: whh, inputBias: bih, recurrentBias: bhh))
            }
            layers.append(directions)
        }
        guard !layers.isEmpty else { throw TorchWeightsError(detail: "state dict has no \(prefix).weight_ih_l0") }
        self.init(layers: layers, direction: bidirectional ? .bidirectional : .forward)
    }
}
