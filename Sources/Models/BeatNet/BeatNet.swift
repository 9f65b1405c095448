import Audio
import Checkpoints
import Engine

// MARK: - Activations

extension BeatActivations {
    /// BeatNet's frame rate: frame i at i/50 s.
    public static let beatNetFramesPerSecond = BeatNetFeatures.framesPerSecond

    /// The beat and downbeat columns of BeatNet's probabilities [frames, 3] (beat, downbeat, non-beat),
    /// as BeatNet hands them to madmom's DBN.
    public init(probabilities p: Tensor) {
        precondition(p.rank == 2 && p.shape[1] == BeatNetNetwork.classCount, "probabilities must be [frames, 3], got \(p.shape)")
        let s = p.scalars, n = p.shape[0]
        self.init(fps: Self.beatNetFramesPerSecond, beat: (0..<n).map { s[3 * $0] }, downbeat: (0..<n).map { s[3 * $0 + 1] })
    }

    /// Number of frames.
    public var frameCount: Int { count }
    /// Time in seconds of frame `index`.
    public func time(ofFrame index: Int) -> Double { Double(index) / fps }
    /// Seconds covered.
    public var duration: Double { Double(count) / fps }
}

// MARK: - Entry points

/// BeatNet 1.1.3 (Mojtaba Heydari et al., CC BY 4.0): its three trained CRNNs run in the engine on
/// mlwb's own implementation of its features. `activations` is what a beat/downbeat decoder reads.
public enum BeatNet {
    /// The trained models: 1 = GTZAN held out, 2 = Ballroom held out, 3 = Rock Corpus held out (BeatNet.py).
    public static let models = 1...3
    /// What each model was trained without, as BeatNet.py names them.
    public static let modelNotes = [1: "GTZAN out trained", 2: "Ballroom out trained", 3: "Rock_corpus out trained"]

    /// The catalog id of model `n`'s state dict (`beatnet_1` … `beatnet_3`).
    public static func checkpointID(model n: Int) -> String { "beatnet_\(n)" }
    /// All three catalog ids.
    public static let checkpointIDs = models.map { checkpointID(model: $0) }

    /// Model `n`'s network from the checkpoint store (loaded once per process); a missing checkpoint is an
    /// error naming `mlwb checkpoints get beatnet_N`.
    public static func network(model n: Int, context: ModelContext) throws -> BeatNetNetwork {
        guard models.contains(n) else {
            throw ModelError.invalidInput("BeatNet has models 1, 2 and 3 (1 = GTZAN out, 2 = Ballroom out, 3 = Rock Corpus out), not \(n)")
        }
        return try BeatNetNetwork.load(path: try context.checkpointPath(checkpointID(model: n)))
    }

    /// Offline activations of a clip (any rate and channel count): features, then the whole sequence
    /// through model `n` from a zero LSTM state.
    public static func activations(_ clip: AudioClip, model n: Int = 1, context: ModelContext) throws -> BeatActivations {
        try activations(clip, network: try network(model: n, context: context))
    }

    /// Offline activations of a clip through `network`.
    public static func activations(_ clip: AudioClip, network: BeatNetNetwork) throws -> BeatActivations {
        try activations(features: BeatNetFeatures.compute(clip), network: network)
    }

    /// Offline activations of features [frames, 272].
    public static func activations(features: Tensor, network: BeatNetNetwork) throws -> BeatActivations {
        BeatActivations(probabilities: try network.probabilities(features))
    }
}

// MARK: - Online use

/// BeatNet's online mode: frames arrive in pieces and the LSTM state carries over, so the activations of
/// all pieces equal one offline call over the whole feature sequence.
public final class BeatNetStream {
    /// The network in use.
    public let network: BeatNetNetwork
    /// The LSTM state after the frames seen so far.
    public private(set) var state: RecurrentState

    /// A stream starting from a fresh module's zero state.
    public init(network: BeatNetNetwork) {
        self.network = network
        state = network.initialState
    }

    /// Activations of the next `features` frames [n, 272].
    public func process(features: Tensor) throws -> BeatActivations {
        BeatActivations(probabilities: try network.probabilities(features, state: &state))
    }

    /// Starts again from the zero state.
    public func reset() { state = network.initialState }
}
