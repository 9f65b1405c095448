import Audio
import Engine
import Foundation
import MIDI
import ONNX

/// Runs the Basic Pitch ONNX network on audio: mono, 22,050 Hz, Basic Pitch's windows in batches through
/// one `ONNXSession`, outputs unwrapped into `Posteriorgrams`; then note creation.
public final class BasicPitchTranscriber: Sendable {
    /// The session running the network.
    public let session: ONNXSession
    /// Windows per session run.
    public let batchSize: Int
    let inputName: String
    let noteName: String
    let onsetName: String
    let contourName: String

    /// Default windows per run. One window per run (as Basic Pitch runs onnxruntime) measured as fast as
    /// batches of 3–18 on the engine, needs the least memory and only one graph specialisation.
    public static let defaultBatchSize = 1

    /// Loads the network from an `.onnx` file.
    public convenience init(modelPath: String, batchSize: Int = BasicPitchTranscriber.defaultBatchSize) throws {
        try self.init(model: try ONNXModel.load(path: modelPath), batchSize: batchSize)
    }

    /// Wraps a loaded model; checks that it has Basic Pitch's input and outputs.
    public init(model: ONNXModel, batchSize: Int = BasicPitchTranscriber.defaultBatchSize) throws {
        guard model.inputs.count == 1, let input = model.inputs.first else {
            throw ModelError.invalidInput("not a Basic Pitch model: expected one input, found \(model.inputs.map(\.name))")
        }
        if let dims = input.shape?.map(\.value), dims.count == 3,
           dims[1] != BasicPitchConstants.windowSamples || dims[2] != 1 {
            throw ModelError.invalidInput("not a Basic Pitch model: input '\(input.name)' has shape \(dims.map { $0.map(String.init) ?? "?" }), expected [N, 43844, 1]")
        }
        let names = model.outputs.map(\.name)
        func pick(_ keyword: String, _ fallback: String) throws -> String {
            if let hit = names.first(where: { $0.lowercased().contains(keyword) }) { return hit }
            if names.contains(fallback) { return fallback }
            throw ModelError.invalidInput("not a Basic Pitch model: no '\(keyword)' output among \(names)")
        }
        // Basic Pitch's TF-exported names: :0 contour, :1 note, :2 onset.
        self.noteName = try pick("note", "StatefulPartitionedCall:1")
        self.onsetName = try pick("onset", "StatefulPartitionedCall:2")
        self.contourName = try pick("contour", "StatefulPartitionedCall:0")
        self.inputName = input.name
        self.batchSize = max(1, batchSize)
        self.session = try ONNXSession(model)
    }

    // MARK: Audio

    /// Mono audio at 22,050 Hz, as the network expects it.
    public static func prepare(_ clip: AudioClip) -> [Float] {
        clip.mono().resampled(to: BasicPitchConstants.sampleRate).samples
    }

    // MARK: Network

    /// The unwrapped network outputs for mono 22,050 Hz samples. `progress(done, total)` is called after each
    /// batch of windows; returning false stops early with `CancellationError`.
    public func posteriorgrams(samples: [Float], progress: ((Int, Int) -> Bool)? = nil) throws -> Posteriorgrams {
        let total = BasicPitchWindowing.windowCount(sampleCount: samples.count)
        let frames = BasicPitchWindowing.frameCount(sampleCount: samples.count)
        let keptPerWindow = BasicPitchConstants.framesPerWindow - BasicPitchConstants.overlapFrames
        var note: [Float] = [], onset: [Float] = [], contour: [Float] = []
        note.reserveCapacity(total * keptPerWindow * BasicPitchConstants.pitchCount)
        onset.reserveCapacity(total * keptPerWindow * BasicPitchConstants.pitchCount)
        contour.reserveCapacity(total * keptPerWindow * BasicPitchConstants.contourBins)
        var first = 0
        while first < total {
            let count = min(batchSize, total - first)
            var scalars = [Float](repeating: 0, count: count * BasicPitchConstants.windowSamples)
            scalars.withUnsafeMutableBufferPointer { BasicPitchWindowing.fillWindows(samples, first: first, count: count, into: $0) }
            let input = Tensor(shape: [count, BasicPitchConstants.windowSamples, 1], scalars: scalars)
            let out = try session.run([inputName: input])
            for (name, bins) in [(noteName, BasicPitchConstants.pitchCount), (onsetName, BasicPitchConstants.pitchCount),
                                 (contourName, BasicPitchConstants.contourBins)] {
                guard let t = out[name], t.shape == [count, BasicPitchConstants.framesPerWindow, bins] else {
                    throw ModelError.invalidInput("Basic Pitch output '\(name)' has shape \(out[name]?.shape ?? []), expected [\(count), 172, \(bins)]")
                }
                t.withUnsafeBufferPointer { buf in
                    if name == noteName { BasicPitchWindowing.appendUnwrapped(buf, windows: count, bins: bins, to: &note) }
                    else if name == onsetName { BasicPitchWindowing.appendUnwrapped(buf, windows: count, bins: bins, to: &onset) }
                    else { BasicPitchWindowing.appendUnwrapped(buf, windows: count, bins: bins, to: &contour) }
                }
            }
            first += count
            if let progress, !progress(first, total) { throw CancellationError() }
        }
        let kept = min(frames, note.count / BasicPitchConstants.pitchCount)
        note.removeLast(note.count - kept * BasicPitchConstants.pitchCount)
        onset.removeLast(onset.count - kept * BasicPitchConstants.pitchCount)
        contour.removeLast(contour.count - kept * BasicPitchConstants.contourBins)
        return try Posteriorgrams(frameCount: kept, note: note, onset: onset, contour: contour)
    }

    /// The unwrapped network outputs for any clip (mixed to mono and resampled first).
    public func posteriorgrams(_ clip: AudioClip, progress: ((Int, Int) -> Bool)? = nil) throws -> Posteriorgrams {
        try posteriorgrams(samples: Self.prepare(clip), progress: progress)
    }

    /// Notes (frame units, with amplitudes and optional bends) for a clip.
    public func transcribe(_ clip: AudioClip, settings: NoteCreationSettings = NoteCreationSettings()) throws -> [FrameNote] {
        NoteCreation.frameNotes(try posteriorgrams(clip), settings: settings)
    }
}
