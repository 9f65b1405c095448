import Audio
import Foundation
import Media
import Models
import Render

/// `mlwb pitch IN -o OUT.csv`: a pitch contour with SwiftF0; a batch run over many inputs with `--out DIR`.
enum PitchCommand: Command {
    static let output = Option<String?>("output", short: "o", value: "OUT.csv", output: .file, help: "Write the contour as CSV (time_s,f0_hz,confidence,voiced)")
    static let show = Option<Bool>(flag: "show", help: "Draw the contour in the terminal (voiced frames bright, unvoiced dim)")
    static let formats = [BatchFormat("csv", suffix: ".f0.csv")]
    static let format = BatchOptions.format(formats)

    static let spec = CommandSpec(
        name: "pitch",
        abstract: "Track the pitch of monophonic audio (SwiftF0, run natively)",
        positionals: [.init("AUDIO", "WAV, FLAC or OGG file (any rate, mixed to mono, resampled to 16 kHz); in batch mode "
                            + "files, folders (searched recursively) or dataset:ID[:train|test]", variadic: true)],
        options: [output.spec] + ParameterOptions.specs(SwiftF0.parameterSpecs, valueNames: ["fmin": "HZ", "fmax": "HZ"])
            + [show.spec] + BatchOptions.specs(format: format) + DisplayOptions.specs(),
        discussion: "Uses the checkpoint 'swift_f0' from the store ($MLWB_HOME): get it with 'mlwb checkpoints get swift_f0' "
            + "or 'mlwb checkpoints import swift-f0-0.3.0.onnx'. One frame every 256 samples at 16 kHz (16 ms), "
            + "frame i centred at (256·i + 127.5) / 16000 s. " + BatchOptions.discussion,
        examples: ["mlwb pitch voice.wav -o voice.f0.csv", "mlwb pitch flute.flac --show --fmin 200 --fmax 2000",
                   "mlwb pitch dataset:mir-1k:test --out f0/ --jobs 2"])

    static func run(_ arguments: ParsedArguments, in context: CommandContext) throws -> Int32 {
        let batch = try BatchOptions.request(arguments, command: spec.name, formats: formats, formatOption: format,
                                             singleOnly: [output.spec.long, show.spec.long])
        let settings: (fmin: Double, fmax: Double, threshold: Double)
        do {
            settings = try SwiftF0.settings(try ParameterOptions.read(SwiftF0.parameterSpecs, from: arguments))
        } catch let error as ParameterError {
            throw UsageError("--" + error.message)
        }
        let (fmin, fmax, threshold) = settings
        if let batch { return try runBatch(batch, arguments, (fmin, fmax, threshold), context) }
        let output = try arguments[output]
        let showing = try arguments[show]
        guard output != nil || showing else { throw UsageError("say where the contour goes: -o OUT.csv and/or --show") }
        let display = showing ? try DisplayOptions(arguments, context: context) : nil

        let tracker = try SwiftF0.tracker(context: try CheckpointsSupport.modelContext(context))
        let clip = try AudioFile.load(arguments.positionals[0])
        let frames = try tracker.track(clip, fmin: fmin, fmax: fmax, threshold: threshold)
        if let output { try AtomicFile.write(Array(ResultFile.pitchCSV(frames).utf8), to: output) }
        let voiced = frames.filter(\.voiced)
        var summary = "\(frames.count) frames, \(voiced.count) voiced"
        if !voiced.isEmpty {
            let f = voiced.map(\.frequency).sorted()
            summary += String(format: " (%.1f–%.1f Hz, median %.1f Hz)", f.first!, f.last!, f[f.count / 2])
        }
        if let output { summary += " → \(output)" }
        context.print(summary)
        if let display {
            let rows = min(display.rows, 20)
            let points = frames.map { PitchContourPlot.Point(time: $0.time, frequency: $0.frequency, confidence: $0.confidence, voiced: $0.voiced) }
            let picture = PitchContourPlot.render(points, width: display.columns, height: rows * 2, fmin: fmin, fmax: fmax, duration: clip.duration)
            context.write(bytes: try display.plot(picture, columns: picture.width, rows: picture.height / 2))
        }
        return ExitStatus.success
    }

    // MARK: Batch

    /// Many inputs with the network loaded once.
    static func runBatch(_ batch: BatchOptions.Request, _ arguments: ParsedArguments,
                         _ settings: (fmin: Double, fmax: Double, threshold: Double), _ context: CommandContext) throws -> Int32 {
        let parameters = try ParameterOptions.read(SwiftF0.parameterSpecs, from: arguments)
        let modelContext = try CheckpointsSupport.modelContext(context)
        let recorded = BatchManifest.Settings(parameters: BatchOptions.recorded(parameters, formats: batch.formats),
                                              checkpoints: try CheckpointsSupport.sha256s(SwiftF0().checkpointIDs, context))
        return try BatchRunner.run(batch, extensions: AudioFormat.readableExtensions, settings: recorded, context: context) {
            let tracker = try SwiftF0.tracker(context: modelContext)
            return { input, outputs in
                let frames = try tracker.track(try AudioFile.load(input), fmin: settings.fmin, fmax: settings.fmax, threshold: settings.threshold)
                for path in outputs { try AtomicFile.write(Array(ResultFile.pitchCSV(frames).utf8), to: path) }
                return "\(frames.count) frames, \(frames.filter(\.voiced).count) voiced"
            }
        }
    }
}
