import Checkpoints
import Engine
import Synchronization

// MARK: - BeatNet's CRNN (BeatNet 1.1.3 `model.BDA`)

/// BeatNet's beat/downbeat network built in the engine: per frame, Conv1d(1→2, k 10) + ReLU + max-pool 2 (one fused op)
/// over the 272 features → Linear(262→150) → 2-layer LSTM(150) → Linear(150→3) → softmax over
/// (beat, downbeat, non-beat). Offline calls start from a zero LSTM state; online calls carry it.
public final class BeatNetNetwork: Sendable {
    /// Features per frame (136 log-filtered bands and their positive differences).
    public static let featureCount = 272
    /// Output classes per frame: beat, downbeat, non-beat.
    public static let classCount = 3
    /// Graph input: features [T, 272].
    static let inputName = "features"
    /// Graph inputs and outputs of the LSTM state, [2, 1, 150].
    static let hiddenInName = "hidden.in", cellInName = "cell.in"
    static let hiddenOutName = "hidden", cellOutName = "cell"
    /// Graph output: class probabilities [T, 3].
    static let outputName = "probabilities"

    /// The engine graph.
    public let graph: Graph
    /// Runs `graph`.
    public let executor: Executor
    /// The LSTM stack (its state shape, for online callers).
    public let recurrent: RecurrentNetwork
    /// Where the weights came from.
    public let source: String

    /// Why a state dict is not BeatNet's.
    public struct WeightsError: Error, Equatable, CustomStringConvertible {
        /// What is wrong.
        public let detail: String
        /// A readable message naming the fix.
        public var description: String { "not a BeatNet BDA state dict (\(detail)); use beatnet-model1/2/3-weights.pt from BeatNet 1.1.3" }
    }

    /// Builds the network from the module's tensors (keys `conv1.*`, `linear0.*`, `lstm.*`, `linear.*`).
    public init(weights: [String: Tensor], source: String = "state dict") throws {
        func w(_ key: String, _ shape: [Int]) throws -> Tensor {
            guard let t = weights[key] else { throw WeightsError(detail: "no '\(key)'") }
            guard t.shape == shape else { throw WeightsError(detail: "'\(key)' has shape \(t.shape), expected \(shape)") }
            return t
        }
        let convWeight = try w("conv1.weight", [2, 1, 10])
        let convBias = try w("conv1.bias", [2])
        let hiddenWeight = try w("linear0.weight", [150, 262]), hiddenBias = try w("linear0.bias", [150])
        let outWeight = try w("linear.weight", [3, 150]), outBias = try w("linear.bias", [3])
        let lstm: RecurrentNetwork
        do { lstm = try RecurrentNetwork(torchWeights: weights, prefix: "lstm", cell: .lstm) } catch {
            throw WeightsError(detail: "\(error)")
        }
        guard lstm.layerCount == 2, lstm.hiddenSize == 150, lstm.inputSize == 150, lstm.direction == .forward else {
            throw WeightsError(detail: "the LSTM has \(lstm.layerCount) \(lstm.direction) layers of \(lstm.inputSize)→\(lstm.hiddenSize), expected 2 forward layers of 150→150")
        }

        let g = GraphBuilder()
        let x = g.input(Self.inputName)
        let h0 = g.input(Self.hiddenInName), c0 = g.input(Self.cellInName)
        // Conv1d(1→2, k 10) + ReLU + max_pool1d(2) per frame in one op → [T, 2, 131], flattened channel-major.
        var y = g.convPool1d(x, weight: convWeight, bias: convBias, activation: .relu, window: 2, name: "conv1")
        y = g.flatten(y, axis: 1)
        y = g.linear(y, weight: hiddenWeight, bias: hiddenBias, name: "linear0")
        y = g.reshape(y, [-1, 1, 150])                   // time-major, batch 1
        let r = g.recurrent(y, lstm, initialHidden: h0, initialCell: c0, name: "lstm")
        y = g.linear(r.output, weight: outWeight, bias: outBias, name: "linear")
        y = g.reshape(y, [-1, Self.classCount])
        g.output(g.softmax(y, axis: -1), name: Self.outputName)
        g.output(r.hidden, name: Self.hiddenOutName)
        g.output(r.cell!, name: Self.cellOutName)
        graph = g.build()
        executor = Executor(graph)
        recurrent = lstm
        self.source = source
    }

    /// Builds the network from a loaded checkpoint (its floating-point entries).
    public convenience init(stateDict: StateDict, source: String = "state dict") throws {
        var weights: [String: Tensor] = [:]
        for (name, weight) in stateDict {
            guard case .float(let values) = weight.values else { continue }
            weights[name] = Tensor(shape: weight.shape, scalars: values)
        }
        try self.init(weights: weights, source: source)
    }

    // MARK: Cache

    private static let cache = Mutex<[String: BeatNetNetwork]>([:])

    /// The network stored at `path`, loaded once per process.
    public static func load(path: String) throws -> BeatNetNetwork {
        if let hit = cache.withLock({ $0[path] }) { return hit }
        let network = try BeatNetNetwork(stateDict: WeightFile.load(path: path), source: path)
        return cache.withLock { table in
            if let raced = table[path] { return raced }
            table[path] = network
            return network
        }
    }

    /// Forgets cached networks (tests, or after a checkpoint was replaced).
    public static func clearCache() { cache.withLock { $0.removeAll() } }

    // MARK: Running

    /// The zero LSTM state a fresh module starts from ([2, 1, 150] h and c).
    public var initialState: RecurrentState { .zeros(for: recurrent, batch: 1) }

    /// Class probabilities [T, 3] (beat, downbeat, non-beat) for features [T, 272], from a zero state
    /// (BeatNet's offline mode: the whole sequence in one call).
    public func probabilities(_ features: Tensor) throws -> Tensor {
        var state = initialState
        return try probabilities(features, state: &state)
    }

    /// Class probabilities for the next frames of a stream, continuing from `state` and leaving the final
    /// state there (BeatNet's online mode; chunked calls equal one call over the concatenated frames).
    public func probabilities(_ features: Tensor, state: inout RecurrentState) throws -> Tensor {
        guard features.rank == 2, features.shape[1] == Self.featureCount else {
            throw ModelError.invalidInput("BeatNet features must be [frames, \(Self.featureCount)], got \(features.shape)")
        }
        let expected = recurrent.stateShape(batch: 1)
        guard state.hidden.shape == expected, state.cell?.shape == expected else {
            throw ModelError.invalidInput("BeatNet LSTM state must be h and c of shape \(expected)")
        }
        if features.shape[0] == 0 { return Tensor.zeros([0, Self.classCount]) }
        let pass = try executor.forward([Self.inputName: features, Self.hiddenInName: state.hidden, Self.cellInName: state.cell!])
        state = RecurrentState(hidden: pass[Self.hiddenOutName]!, cell: pass[Self.cellOutName]!)
        return pass[Self.outputName]!
    }
}
