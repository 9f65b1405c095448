import Audio
import Engine
import Foundation
import Media

/// What a beat-tracking run found.
public struct BeatTrackingResult: Sendable {
    /// Beats with their place in the bar (1 = downbeat).
    public var beats: [Beat]
    /// The meter the decoder chose.
    public var beatsPerBar: Int
    /// The network's frame-wise activations the beats were decoded from.
    public var activations: BeatActivations
}

/// Beats, downbeats and tempo from audio: BeatNet's CRNN (Heydari, Cwitkowitz and Duan, 2021) for the
/// activations, then the bar-pointer DBN (task `audio-to-beats`).
public struct BeatTracker: Model {
    public let id = "beatnet"
    public let name = "BeatNet beats and downbeats"
    public let task = ModelTask.audioToBeats
    public let summary = "Finds beats and downbeats in any music with BeatNet's CRNN (a log-filtered spectrogram at 50 fps, "
        + "Conv1d → 2-layer LSTM → beat/downbeat/no-beat) and decodes them with the bar-pointer dynamic Bayesian network "
        + "(Krebs, Böck and Widmer 2015) over tempo and bar position; meters 3 and 4 by default (6/8 as 2). "
        + "Online mode decodes causally with the LSTM state carried from frame to frame, as a live tracker would."
    public var checkpointIDs: [String] { BeatNet.checkpointIDs }

    public init() {}

    public var parameters: [ModelParameter] { Self.parameterSpecs }

    public static let parameterSpecs: [ModelParameter] = [
        ModelParameter("network", label: "Network", kind: .choice(["all", "1", "2", "3"]), default: .string("all"),
                       help: "BeatNet's weights: all three averaged, or 1 (trained without GTZAN), 2 (without Ballroom), 3 (without the Rock corpus)"),
        ModelParameter("min-bpm", label: "Slowest tempo (BPM)", kind: .double(20...300), default: .double(55),
                       help: "The slowest tempo the decoder considers"),
        ModelParameter("max-bpm", label: "Fastest tempo (BPM)", kind: .double(30...400), default: .double(215),
                       help: "The fastest tempo the decoder considers"),
        ModelParameter("meters", label: "Beats per bar", kind: .choice(["3,4", "2,3,4", "2", "3", "4", "6", "2,3,4,6"]),
                       default: .string("3,4"), help: "Meters to try (6/8 counts as 2 dotted-quarter beats, or 6)"),
        ModelParameter("tempo-states", label: "Tempo states", kind: .int(8...200), default: .int(60),
                       help: "Log-spaced beat periods between the slowest and fastest tempo"),
        ModelParameter("transition-lambda", label: "Tempo steadiness", kind: .double(1...1000), default: .double(100),
                       help: "λ of the tempo-change distribution: larger keeps the tempo steadier"),
        ModelParameter("online", label: "Online (causal)", kind: .bool, default: .bool(false),
                       help: "Decode causally, frame by frame, as a live tracker would (offline Viterbi is more accurate)"),
    ]

    /// Decoder settings from parameter values; the tempo range must not be empty.
    public static func decoderSettings(_ p: ModelParameters) throws -> BarPointerDecoder.Settings {
        var s = BarPointerDecoder.Settings()
        s.minBPM = p.double("min-bpm") ?? s.minBPM
        s.maxBPM = p.double("max-bpm") ?? s.maxBPM
        s.tempoCount = p.int("tempo-states") ?? s.tempoCount
        s.transitionLambda = p.double("transition-lambda") ?? s.transitionLambda
        s.meters = (p.string("meters") ?? "3,4").split(separator: ",").compactMap { Int($0) }
        if let problem = s.problem { throw ParameterError("min-bpm/max-bpm: \(problem)") }
        return s
    }

    /// Tracks beats in `clip`; `shouldStop` is polled between stages (true cancels).
    public static func track(_ clip: AudioClip, parameters: ModelParameters, context: ModelContext) throws -> BeatTrackingResult {
        try track(clip, parameters: parameters, networks: try networks(parameters, context: context), context: context)
    }

    /// The BeatNet models the `network` parameter chooses (1…3).
    public static func models(_ parameters: ModelParameters) -> [Int] {
        let choice = parameters.string("network") ?? "all"
        return choice == "all" ? Array(BeatNet.models) : [Int(choice) ?? 1]
    }

    /// Loads the networks the parameters choose, once, for any number of `track(_:parameters:networks:context:)` calls.
    public static func networks(_ parameters: ModelParameters, context: ModelContext) throws -> [BeatNetNetwork] {
        try models(parameters).map { try BeatNet.network(model: $0, context: context) }
    }

    /// Tracks beats in `clip` with networks already loaded (by `networks(_:context:)` for the same parameters).
    public static func track(_ clip: AudioClip, parameters: ModelParameters, networks: [BeatNetNetwork],
                             context: ModelContext) throws -> BeatTrackingResult {
        let settings = try decoderSettings(parameters)
        let online = parameters.bool("online") ?? false
        var activations = try Self.activations(clip, networks: networks, online: online, context: context)
        Self.silenceFrames(of: clip, in: &activations)
        if context.shouldStop() { throw CancellationError() }
        let decoder = BarPointerDecoder(settings: settings)
        let (beats, meter) = online ? decoder.decodeOnline(activations) : decoder.decode(activations)
        return BeatTrackingResult(beats: beats, beatsPerBar: meter, activations: activations)
    }

    /// Zeroes the activations of frames where the audio is silent (below −70 dBFS over the frame's 40 ms):
    /// BeatNet's network answers a silent input with a steady small beat probability, which the decoder
    /// would turn into a pulse.
    static func silenceFrames(of clip: AudioClip, in activations: inout BeatActivations) {
        let mono = clip.mono().samples
        let rate = Double(clip.sampleRate)
        let floor: Float = 3.2e-4  // −70 dBFS
        for t in 0..<activations.count {
            let centre = Int(Double(t) / activations.fps * rate)
            let half = Int(0.02 * rate)
            let lo = max(0, centre - half), hi = min(mono.count, centre + half)
            var peak: Float = 0
            if lo < hi { for i in lo..<hi { peak = max(peak, abs(mono[i])) } }
            if peak < floor { activations.beat[t] = 0; activations.downbeat[t] = 0 }
        }
    }

    /// The average of several BeatNet networks' activations (an ensemble of its three trainings is steadier on
    /// downbeats than any one of them); each network offline or online as in `activations(_:model:online:context:)`.
    public static func activations(_ clip: AudioClip, models: [Int], online: Bool, context: ModelContext) throws -> BeatActivations {
        try activations(clip, networks: try models.map { try BeatNet.network(model: $0, context: context) }, online: online, context: context)
    }

    /// The averaged activations of networks already loaded.
    public static func activations(_ clip: AudioClip, networks: [BeatNetNetwork], online: Bool, context: ModelContext) throws -> BeatActivations {
        let features = BeatNetFeatures.compute(clip)
        var sum: BeatActivations?
        for network in networks {
            let a = try activations(features: features, network: network, online: online, context: context)
            if var total = sum {
                for i in 0..<min(total.count, a.count) { total.beat[i] += a.beat[i]; total.downbeat[i] += a.downbeat[i] }
                sum = total
            } else {
                sum = a
            }
        }
        guard var result = sum else { throw ModelError.invalidInput("no BeatNet network chosen") }
        let scale = 1 / Float(networks.count)
        for i in 0..<result.count { result.beat[i] *= scale; result.downbeat[i] *= scale }
        return result
    }

    /// One network's activations: offline over the whole clip from a zero LSTM state, or online one frame at
    /// a time with the state carried from frame to frame (what a live tracker sees).
    public static func activations(_ clip: AudioClip, model: Int, online: Bool, context: ModelContext) throws -> BeatActivations {
        try activations(features: BeatNetFeatures.compute(clip), network: BeatNet.network(model: model, context: context),
                        online: online, context: context)
    }

    static func activations(features: Tensor, network: BeatNetNetwork, online: Bool, context: ModelContext) throws -> BeatActivations {
        guard online else { return try BeatNet.activations(features: features, network: network) }
        let stream = BeatNetStream(network: network)
        let frames = features.shape[0], width = features.shape[1]
        var beat: [Float] = [], downbeat: [Float] = []
        beat.reserveCapacity(frames); downbeat.reserveCapacity(frames)
        let scalars = features.scalars
        for t in 0..<frames {
            if t % 256 == 0, context.shouldStop() { throw CancellationError() }
            let frame = Tensor(shape: [1, width], scalars: Array(scalars[(t * width)..<((t + 1) * width)]))
            let out = try stream.process(features: frame)
            beat.append(out.beat[0]); downbeat.append(out.downbeat[0])
        }
        return BeatActivations(fps: BeatActivations.beatNetFramesPerSecond, beat: beat, downbeat: downbeat)
    }

    public func run(_ input: ModelInput, parameters: ModelParameters, context: ModelContext) -> AsyncStream<ModelEvent> {
        AsyncStream { continuation in
            let task = Task.detached(priority: .userInitiated) {
                guard case .audio(let clip) = input else {
                    continuation.yield(.failed("BeatNet needs audio as input"))
                    continuation.finish()
                    return
                }
                do {
                    continuation.yield(.progress(fraction: 0, status: "BeatNet: features and network"))
                    let result = try BeatTracker.track(clip, parameters: parameters, context: context)
                    let bpm = TempoSegments.overall(result.beats.map(\.time))
                    continuation.yield(.log("\(result.beats.count) beats, \(result.beatsPerBar) per bar, \(HumanReadable.fixed(bpm, digits: 1)) BPM"))
                    continuation.yield(.progress(fraction: 1, status: "done"))
                    continuation.yield(.finished(.beats(result.beats, beatsPerBar: result.beatsPerBar)))
                } catch is CancellationError {
                } catch {
                    continuation.yield(.failed(String(describing: error)))
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}
