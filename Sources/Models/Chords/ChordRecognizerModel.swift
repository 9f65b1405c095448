import Audio
import Foundation

/// The NNLS chord recogniser as a registry model (task `audio-to-chords`, no checkpoints).
public struct ChordRecognizerModel: Model {
    public let id = "chords-nnls"
    public let name = "NNLS chord recogniser"
    public let task = ModelTask.audioToChords
    public let summary = "Recognises chords with no learned weights (Mauch and Dixon 2010): a log-frequency spectrum with 3 bins "
        + "per semitone, tuned and whitened, an approximate note transcription by non-negative least squares, bass and "
        + "treble chroma, templates for maj, min, 7, maj7, min7, dim, aug, sus4 and hdim7 with inversions, and N, smoothed "
        + "by an HMM. Optionally one chord per beat from a file of beat times."
    public let checkpointIDs: [String] = []

    /// The model (it needs no checkpoint).
    public init() {}

    public var parameters: [ModelParameter] { Self.parameterSpecs }

    // MARK: Parameters

    /// The typed parameters; the CLI's `mlwb chords` options are derived from them.
    public static let parameterSpecs: [ModelParameter] = [
        ModelParameter("vocabulary", label: "Vocabulary", kind: .choice(ChordVocabulary.Preset.allCases.map(\.rawValue)),
                       default: .string(ChordVocabulary.Preset.full.rawValue),
                       help: "Chord qualities: majmin (maj, min), sevenths (+7, maj7, min7), full (+dim, aug, sus4, hdim7)"),
        ModelParameter("inversions", label: "Inversions", kind: .bool, default: .bool(true),
                       help: "Name the bass note when it is not the root (C:maj/3)"),
        ModelParameter("self-transition", label: "Self-transition", kind: .double(0.5...0.9999),
                       default: .double(ChordDecoder.Settings().selfTransition),
                       help: "Probability of keeping the chord from one 46 ms frame to the next (higher: fewer changes)"),
        ModelParameter("no-chord-db", label: "No-chord depth (dB)", kind: .double(6...120),
                       default: .double(ChordDecoder.Settings().noChordDepth),
                       help: "Frames this many dB below the loud part of the piece are N"),
        ModelParameter("spectral-shape", label: "Spectral shape", kind: .double(0.5...0.95),
                       default: .double(NNLSChroma.Settings().spectralShape),
                       help: "Decay of the partials in the note profiles (partial h has shape^(h-1))"),
        ModelParameter("whitening", label: "Whitening", kind: .double(0...1), default: .double(NNLSChroma.Settings().whitening),
                       help: "Spectral whitening: 0 subtracts the running mean, 1 also divides by the running deviation"),
        ModelParameter("tuning", label: "Estimate tuning", kind: .bool, default: .bool(true),
                       help: "Estimate the tuning from the audio (otherwise A = 440 Hz)"),
        ModelParameter("beats", label: "Beat times", kind: .path("beats"), default: .string(""),
                       help: "A file of beat times (first column, e.g. from mlwb beats): chords change only on beats"),
    ]

    /// The recogniser settings from parameter values.
    public static func settings(_ p: ModelParameters) -> ChordRecognizer.Settings {
        var chroma = NNLSChroma.Settings()
        chroma.spectralShape = p.double("spectral-shape") ?? chroma.spectralShape
        chroma.whitening = p.double("whitening") ?? chroma.whitening
        chroma.estimateTuning = p.bool("tuning") ?? true
        var decoder = ChordDecoder.Settings()
        decoder.selfTransition = p.double("self-transition") ?? decoder.selfTransition
        decoder.noChordDepth = p.double("no-chord-db") ?? decoder.noChordDepth
        let vocabulary = p.string("vocabulary").flatMap(ChordVocabulary.Preset.init(rawValue:)) ?? .full
        return ChordRecognizer.Settings(vocabulary: vocabulary, inversions: p.bool("inversions") ?? true, chroma: chroma, decoder: decoder)
    }

    /// The beat times named by the `beats` parameter, or nil when it is empty.
    public static func beats(_ p: ModelParameters) throws -> [Double]? {
        guard let path = p.string("beats") else { return nil }
        return try BeatTimes.read(path)
    }

    // MARK: Running

    public func run(_ input: ModelInput, parameters: ModelParameters, context: ModelContext) -> AsyncStream<ModelEvent> {
        AsyncStream { continuation in
            let task = Task.detached(priority: .userInitiated) {
                guard case .audio(let clip) = input else {
                    continuation.yield(.failed("the chord recogniser needs audio as input: pick a WAV, FLAC or OGG file"))
                    continuation.finish()
                    return
                }
                do {
                    let beats = try ChordRecognizerModel.beats(parameters)
                    continuation.yield(.progress(fraction: 0.05, status: "analysing \(String(format: "%.1f", clip.duration)) s"))
                    let recognizer = ChordRecognizer(settings: ChordRecognizerModel.settings(parameters))
                    // The analysis polls from its worker threads, where Task.isCancelled is not visible:
                    // the run's cancellation is forwarded through a flag.
                    let cancelled = NNLSChroma.StopFlag()
                    let result = await withTaskCancellationHandler {
                        recognizer.recognize(clip, beats: beats, shouldStop: { _ = context.shouldStop(); return cancelled.isSet })
                    } onCancel: { cancelled.set() }
                    if Task.isCancelled { continuation.finish(); return }
                    let chords = result.segments.filter { $0.label != "N" }
                    let cents = Int((result.frames.tuning * 100).rounded())
                    continuation.yield(.log("tuning \(cents > 0 ? "+" : "")\(cents) cents, \(result.frames.frameCount) frames"
                        + (beats.map { ", \($0.count) beats" } ?? "")
                        + ", \(ChordsSummary.count(result.segments.count, "segment")) (\(ChordsSummary.count(chords.count, "chord")))"))
                    continuation.yield(.progress(fraction: 1, status: "done"))
                    continuation.yield(.finished(.chords(result.segments)))
                } catch {
                    continuation.yield(.failed(String(describing: error)))
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}
