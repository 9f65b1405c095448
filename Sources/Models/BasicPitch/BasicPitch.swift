import Audio
import Foundation
import MIDI

/// Spotify's Basic Pitch (ICASSP 2022): polyphonic audio → note events (task `audio-to-notes`).
public struct BasicPitch: Model {
    public let id = "basic-pitch"
    public let name = "Basic Pitch (Spotify, ICASSP 2022)"
    public let task = ModelTask.audioToNotes
    public let summary = "Transcribes polyphonic audio (any instrument) to MIDI notes with Spotify's lightweight Basic Pitch "
        + "network, run natively: 22,050 Hz mono, 2 s windows, note/onset/contour posteriorgrams, then Basic Pitch's "
        + "note creation (onset and frame thresholds, inferred onsets, melodia trick, optional pitch bends)."
    public static let checkpointID = "basic_pitch_icassp2022"
    public let checkpointIDs = [BasicPitch.checkpointID]

    public init() {}

    public var parameters: [ModelParameter] { Self.parameterSpecs }

    public static let parameterSpecs: [ModelParameter] = [
        ModelParameter("onset-threshold", label: "Onset threshold", kind: .double(0.01...0.99), default: .double(BasicPitchConstants.defaultOnsetThreshold),
                       help: "Onset activation needed to start a note (lower: more notes)"),
        ModelParameter("frame-threshold", label: "Frame threshold", kind: .double(0.01...0.99), default: .double(BasicPitchConstants.defaultFrameThreshold),
                       help: "Note activation needed to keep a note sounding (lower: longer notes)"),
        ModelParameter("min-note-ms", label: "Minimum note (ms)", kind: .double(0...5000), default: .double(BasicPitchConstants.defaultMinimumNoteMilliseconds),
                       help: "Shortest note kept, in milliseconds"),
        ModelParameter("min-freq", label: "Lowest frequency (Hz)", kind: .double(0...20000), default: .double(0),
                       help: "Drop notes below this frequency (0: no limit)"),
        ModelParameter("max-freq", label: "Highest frequency (Hz)", kind: .double(0...20000), default: .double(0),
                       help: "Drop notes above this frequency (0: no limit)"),
        ModelParameter("infer-onsets", label: "Infer onsets", kind: .bool, default: .bool(true),
                       help: "Also start notes where the note activation jumps"),
        ModelParameter("melodia-trick", label: "Melodia trick", kind: .bool, default: .bool(true),
                       help: "Also keep notes grown from strong activations without an onset"),
        ModelParameter("pitch-bends", label: "Pitch bends", kind: .bool, default: .bool(false),
                       help: "Estimate per-frame pitch bends from the contour"),
    ]

    /// Note-creation settings from parameter values.
    public static func settings(_ p: ModelParameters) -> NoteCreationSettings {
        var s = NoteCreationSettings()
        s.onsetThreshold = p.double("onset-threshold") ?? s.onsetThreshold
        s.frameThreshold = p.double("frame-threshold") ?? s.frameThreshold
        s.minimumNoteMilliseconds = p.double("min-note-ms") ?? s.minimumNoteMilliseconds
        if let f = p.double("min-freq"), f > 0 { s.minimumFrequency = f }
        if let f = p.double("max-freq"), f > 0 { s.maximumFrequency = f }
        s.inferOnsets = p.bool("infer-onsets") ?? true
        s.melodiaTrick = p.bool("melodia-trick") ?? true
        s.pitchBends = p.bool("pitch-bends") ?? false
        return s
    }

    /// A transcriber for the checkpoint in the context's store (an error saying how to get it if missing).
    /// Windows per network run come from `MLWB_BASIC_PITCH_BATCH` when set (default 1).
    public static func transcriber(context: ModelContext) throws -> BasicPitchTranscriber {
        let batch = context.environment["MLWB_BASIC_PITCH_BATCH"].flatMap(Int.init) ?? BasicPitchTranscriber.defaultBatchSize
        return try BasicPitchTranscriber(modelPath: try context.checkpointPath(checkpointID), batchSize: min(max(batch, 1), 64))
    }

    public func run(_ input: ModelInput, parameters: ModelParameters, context: ModelContext) -> AsyncStream<ModelEvent> {
        AsyncStream { continuation in
            let task = Task.detached(priority: .userInitiated) {
                guard case .audio(let clip) = input else {
                    continuation.yield(.failed("Basic Pitch needs audio as input"))
                    continuation.finish()
                    return
                }
                do {
                    continuation.yield(.progress(fraction: 0, status: "loading Basic Pitch"))
                    let transcriber = try BasicPitch.transcriber(context: context)
                    let samples = BasicPitchTranscriber.prepare(clip)
                    let grams = try transcriber.posteriorgrams(samples: samples) { done, total in
                        continuation.yield(.progress(fraction: 0.95 * Double(done) / Double(total), status: "window \(done)/\(total)"))
                        return !context.shouldStop()
                    }
                    continuation.yield(.progress(fraction: 0.95, status: "creating notes"))
                    let notes = NoteCreation.notes(grams, settings: BasicPitch.settings(parameters))
                    continuation.yield(.log("\(notes.count) notes in \(String(format: "%.2f", clip.duration)) s of audio"))
                    continuation.yield(.progress(fraction: 1, status: "done"))
                    continuation.yield(.finished(.notes(notes)))
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
