import Audio
import Engine
import Foundation
import ONNX

/// Runs the SwiftF0 ONNX network (STFT front end + 2-D CNN) on 16 kHz mono audio: one pitch estimate
/// and one confidence per 256-sample hop, frame `i` at `256·i / 16000` s, as the `swift-f0` 0.3.0
/// package stamps its frames (measured against it: same times, same silence rule, same threshold).
public final class SwiftF0Tracker: Sendable {
    /// The model's sample rate.
    public static let sampleRate = 16_000
    /// Samples between frames.
    public static let hop = 256
    /// Frames whose hop of audio peaks below this are digital silence: confidence 0 (the network
    /// answers the spectrogram's log floor with spurious voiced frames, up to 0.79 at ~2 kHz).
    public static let silencePeak: Float = 1e-3
    /// Lowest frequency the model reports (G1).
    public static let modelMinimumFrequency = 46.875
    /// Highest frequency the model reports (C7).
    public static let modelMaximumFrequency = 2093.75
    /// SwiftF0's confidence threshold for a voiced frame: its scores are calibrated so that a frame
    /// is voiced at 0.5 and above (the package's `voicing` rule).
    public static let defaultConfidenceThreshold = 0.5
    /// Shortest input the network accepts (shorter audio is zero-padded to it).
    public static let minimumSamples = 256

    /// The session running the network.
    public let session: ONNXSession

    public convenience init(modelPath: String) throws {
        try self.init(model: try ONNXModel.load(path: modelPath))
    }

    public init(model: ONNXModel) throws {
        let names = Set(model.inputs.map(\.name))
        guard names == ["audio", "fmin", "fmax"], Set(model.outputs.map(\.name)).isSuperset(of: ["pitch", "confidence"]) else {
            throw ModelError.invalidInput("not a SwiftF0 0.3 model: inputs \(model.inputs.map(\.name).sorted()), outputs \(model.outputs.map(\.name).sorted()) (expected audio, fmin, fmax → pitch, confidence)")
        }
        session = try ONNXSession(model)
    }

    /// Time in seconds of frame `index`.
    public static func frameTime(_ index: Int) -> Double {
        Double(index * hop) / Double(sampleRate)
    }

    /// Mono 16 kHz samples of a clip.
    public static func prepare(_ clip: AudioClip) -> [Float] {
        clip.mono().resampled(to: sampleRate).samples
    }

    /// Pitch frames for mono 16 kHz samples. Frequencies outside `fmin…fmax` get zero confidence from the
    /// network; a frame is voiced when its confidence reaches `threshold` and its pitch lies in `fmin…fmax`.
    public func track(samples: [Float], fmin: Double = SwiftF0Tracker.modelMinimumFrequency,
                      fmax: Double = SwiftF0Tracker.modelMaximumFrequency,
                      threshold: Double = SwiftF0Tracker.defaultConfidenceThreshold) throws -> [PitchFrame] {
        guard !samples.isEmpty else { return [] }
        guard fmin <= fmax else { throw ModelError.invalidInput("fmin (\(fmin) Hz) is above fmax (\(fmax) Hz)") }
        var audio = samples
        if audio.count < Self.minimumSamples { audio += [Float](repeating: 0, count: Self.minimumSamples - audio.count) }
        let out = try session.run([
            "audio": Tensor(shape: [1, audio.count], scalars: audio),
            "fmin": .scalar(Float(fmin)),
            "fmax": .scalar(Float(fmax)),
        ])
        guard let pitch = out["pitch"]?.scalars, let confidence = out["confidence"]?.scalars, pitch.count == confidence.count else {
            throw ModelError.invalidInput("SwiftF0 returned no pitch/confidence of equal length")
        }
        // One frame per whole hop (at least one), as the package reports them.
        let count = min(pitch.count, max(1, samples.count / Self.hop))
        return (0..<count).map { i in
            let hop = samples[min(samples.count, i * Self.hop)..<min(samples.count, (i + 1) * Self.hop)]
            let silent = (hop.lazy.map { abs($0) }.max() ?? 0) < Self.silencePeak
            let f = Double(pitch[i]), c = silent ? 0 : Double(confidence[i])
            return PitchFrame(time: Self.frameTime(i), frequency: f, confidence: c,
                              voiced: c >= threshold && f >= fmin && f <= fmax)
        }
    }

    /// Pitch frames for any clip (mixed to mono, resampled to 16 kHz).
    public func track(_ clip: AudioClip, fmin: Double = SwiftF0Tracker.modelMinimumFrequency,
                      fmax: Double = SwiftF0Tracker.modelMaximumFrequency,
                      threshold: Double = SwiftF0Tracker.defaultConfidenceThreshold) throws -> [PitchFrame] {
        try track(samples: Self.prepare(clip), fmin: fmin, fmax: fmax, threshold: threshold)
    }
}

/// SwiftF0 (lars76, MIT): a fast monophonic pitch tracker (task `pitch`).
public struct SwiftF0: Model {
    public let id = "swift-f0"
    public let name = "SwiftF0 pitch tracker"
    public let task = ModelTask.pitch
    public let summary = "Tracks the pitch of a monophonic voice or instrument (46.875–2093.75 Hz) with the small SwiftF0 "
        + "network: 16 kHz mono, an STFT and a 2-D CNN give a frequency and a confidence every 16 ms; frames at or above "
        + "the confidence threshold are voiced."
    public static let checkpointID = "swift_f0"
    public let checkpointIDs = [SwiftF0.checkpointID]

    public init() {}

    public var parameters: [ModelParameter] { Self.parameterSpecs }

    public static let parameterSpecs: [ModelParameter] = [
        ModelParameter("fmin", label: "Lowest frequency (Hz)",
                       kind: .double(SwiftF0Tracker.modelMinimumFrequency...SwiftF0Tracker.modelMaximumFrequency),
                       default: .double(SwiftF0Tracker.modelMinimumFrequency), help: "Frames below this frequency are unvoiced"),
        ModelParameter("fmax", label: "Highest frequency (Hz)",
                       kind: .double(SwiftF0Tracker.modelMinimumFrequency...SwiftF0Tracker.modelMaximumFrequency),
                       default: .double(SwiftF0Tracker.modelMaximumFrequency), help: "Frames above this frequency are unvoiced"),
        ModelParameter("threshold", label: "Confidence threshold", kind: .double(0...1),
                       default: .double(SwiftF0Tracker.defaultConfidenceThreshold), help: "Confidence a frame needs to count as voiced"),
    ]

    /// The tracking settings from parameter values; the range must not be empty.
    public static func settings(_ p: ModelParameters) throws -> (fmin: Double, fmax: Double, threshold: Double) {
        let fmin = p.double("fmin") ?? SwiftF0Tracker.modelMinimumFrequency
        let fmax = p.double("fmax") ?? SwiftF0Tracker.modelMaximumFrequency
        guard fmin <= fmax else { throw ParameterError("fmin (\(fmin) Hz) must not exceed fmax (\(fmax) Hz)") }
        return (fmin, fmax, p.double("threshold") ?? SwiftF0Tracker.defaultConfidenceThreshold)
    }

    /// A tracker for the checkpoint in the context's store (an error saying how to get it if missing).
    public static func tracker(context: ModelContext) throws -> SwiftF0Tracker {
        try SwiftF0Tracker(modelPath: try context.checkpointPath(checkpointID))
    }

    public func run(_ input: ModelInput, parameters: ModelParameters, context: ModelContext) -> AsyncStream<ModelEvent> {
        AsyncStream { continuation in
            let task = Task.detached(priority: .userInitiated) {
                guard case .audio(let clip) = input else {
                    continuation.yield(.failed("SwiftF0 needs audio as input"))
                    continuation.finish()
                    return
                }
                do {
                    continuation.yield(.progress(fraction: 0, status: "loading SwiftF0"))
                    let tracker = try SwiftF0.tracker(context: context)
                    if Task.isCancelled { continuation.finish(); return }
                    continuation.yield(.progress(fraction: 0.2, status: "tracking pitch"))
                    let settings = try SwiftF0.settings(parameters)
                    let frames = try tracker.track(clip, fmin: settings.fmin, fmax: settings.fmax, threshold: settings.threshold)
                    let voiced = frames.filter(\.voiced).count
                    continuation.yield(.log("\(frames.count) frames, \(voiced) voiced"))
                    continuation.yield(.progress(fraction: 1, status: "done"))
                    continuation.yield(.finished(.pitch(frames)))
                } catch {
                    continuation.yield(.failed(String(describing: error)))
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}
