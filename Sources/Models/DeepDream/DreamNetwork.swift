import Engine

// MARK: - The network a dream climbs

/// A differentiable image network for DeepDream: a graph with an input, named layers that objectives may
/// target, their channel counts, and the input normalisation. MobileNetV2 is the standard one; tests use tiny ones.
public struct DreamNetwork: Sendable {
    /// Runs the graph.
    public let executor: Executor
    /// Name of the image input (NCHW).
    public let inputName: String
    /// Layers objectives may target, in network order.
    public let layers: [String]
    /// Channels per layer.
    public let channels: [String: Int]
    /// Per-channel mean and std of the input normalisation ((x − mean) / std on RGB in [0, 1]).
    public let mean: [Float]
    public let std: [Float]

    public init(executor: Executor, inputName: String, layers: [String], channels: [String: Int],
                mean: [Float] = [0, 0, 0], std: [Float] = [1, 1, 1]) {
        self.executor = executor; self.inputName = inputName; self.layers = layers
        self.channels = channels; self.mean = mean; self.std = std
    }

    /// The MobileNetV2 dream network (layers features.0 … features.18).
    public init(_ network: MobileNetV2) {
        self.init(executor: network.executor, inputName: MobileNetV2.inputName, layers: MobileNetV2.layerNames,
                  channels: MobileNetV2.layerChannels, mean: MobileNetV2.mean, std: MobileNetV2.std)
    }

    /// Checks objectives against the layers, with errors that list what is valid.
    public func validate(_ objectives: [DeepDreamObjective]) throws {
        try Self.validate(objectives, layers: layers, channels: channels)
    }

    /// Checks objectives against `layers` and their channel counts, without a network (the CLI checks a
    /// MobileNetV2 dream before loading anything); the errors list what is valid.
    public static func validate(_ objectives: [DeepDreamObjective], layers: [String], channels: [String: Int]) throws {
        guard !objectives.isEmpty else { throw DeepDreamError.noObjectives }
        for o in objectives {
            guard layers.contains(o.layer) else { throw DeepDreamError.unknownLayer(o.layer, valid: layers) }
            if let c = o.channel, let n = channels[o.layer], c >= n {
                throw DeepDreamError.channelOutOfRange(layer: o.layer, channel: c, channels: n)
            }
        }
    }

    /// The gradient of every objective's score with respect to the image tile `tile` (RGB in [0, 1]), one
    /// planar gradient per objective (in [0, 1] image units). One forward pass serves all objectives.
    public func gradients(_ tile: PlanarImage, objectives: [DeepDreamObjective], score: DeepDreamScore) throws -> [PlanarImage] {
        let n = tile.planeCount
        var input = tile.data
        for k in 0..<3 {
            let m = mean[k], inv = 1 / std[k]
            for i in (k * n)..<((k + 1) * n) { input[i] = (input[i] - m) * inv }
        }
        let x = Tensor(shape: [1, 3, tile.height, tile.width], scalars: input)
        let targets = Array(Set(objectives.map(\.layer)))
        var pass = try executor.forward([inputName: x], outputs: targets, recordForBackward: true)
        var result: [PlanarImage] = []
        for (index, objective) in objectives.enumerated() {
            guard let activation = pass[objective.layer] else { throw EngineError.notRecorded(objective.layer) }
            let seed = DreamNetwork.seed(activation, channel: objective.channel, score: score)
            // Each objective gets its own backward over a copy of the (copy-on-write) pass record; the last one
            // consumes the original so its activations are released as the backward proceeds.
            let grads: [String: Tensor]
            if index == objectives.count - 1 {
                grads = try executor.backward(&pass, seeds: [objective.layer: seed], wrt: [inputName])
            } else {
                var record = pass
                grads = try executor.backward(&record, seeds: [objective.layer: seed], wrt: [inputName])
            }
            var g = grads[inputName]!.scalars
            for k in 0..<3 {
                let inv = 1 / std[k]
                for i in (k * n)..<((k + 1) * n) { g[i] *= inv }
            }
            result.append(PlanarImage(width: tile.width, height: tile.height, channels: 3, data: g))
        }
        return result
    }

    /// d(score)/d(activation) for an NCHW activation.
    static func seed(_ activation: Tensor, channel: Int?, score: DeepDreamScore) -> Tensor {
        let shape = activation.shape
        let c = shape.count == 4 ? shape[1] : 1
        let plane = activation.count / max(1, shape.first ?? 1) / max(c, 1)
        let count = Float(channel == nil ? activation.count : activation.count / max(c, 1))
        var values = [Float](repeating: 0, count: activation.count)
        activation.withUnsafeBufferPointer { a in
            for i in 0..<activation.count {
                if let channel, (i / plane) % c != channel { continue }
                values[i] = score == .mean ? 1 / count : 2 * a[i] / count
            }
        }
        return Tensor(shape: shape, scalars: values)
    }
}
