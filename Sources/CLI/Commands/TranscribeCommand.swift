import Audio
import Foundation
import Media
import MIDI
import Models
import Render

/// `mlwb transcribe IN -o OUT.mid [--csv OUT.csv] …`: audio to notes with Basic Pitch; with several inputs,
/// folders or `dataset:ID` and `--out DIR`, a resumable batch run.
enum TranscribeCommand: Command {
    static let output = Option<String?>("output", short: "o", value: "OUT.mid", output: .file, help: "Write the notes as a MIDI file")
    static let csvOutput = Option<String?>("csv", value: "OUT.csv", output: .file, help: "Write the notes as CSV (onset_s,offset_s,midi_pitch,velocity)")
    static let show = Option<Bool>(flag: "show", help: "Draw the notes as a piano roll in the terminal")
    static let verbose = Option<Bool>(flag: "verbose", short: "v", help: "Print the time each stage took (to stderr)")
    static let formats = [BatchFormat("mid", suffix: ".mid"), BatchFormat("csv", suffix: ".notes.csv")]
    static let format = BatchOptions.format(formats)

    static let spec = CommandSpec(
        name: "transcribe",
        abstract: "Transcribe audio to MIDI notes (Spotify's Basic Pitch, run natively)",
        positionals: [.init("AUDIO", "WAV, FLAC or OGG file (any rate, mixed to mono, resampled to 22,050 Hz); in batch mode "
                            + "files, folders (searched recursively) or dataset:ID[:train|test]", variadic: true)],
        options: [output.spec, csvOutput.spec] + ParameterOptions.specs(BasicPitch.parameterSpecs, valueNames: ["min-freq": "HZ", "max-freq": "HZ", "min-note-ms": "MS"])
            + [show.spec, verbose.spec] + BatchOptions.specs(format: format) + DisplayOptions.specs(),
        discussion: "Uses the checkpoint 'basic_pitch_icassp2022' from the store ($MLWB_HOME): get it with "
            + "'mlwb checkpoints get basic_pitch_icassp2022' or 'mlwb checkpoints import basic-pitch-icassp2022-nmp.onnx'. "
            + "Notes are created as Basic Pitch does (inferred onsets, melodia trick, energy tolerance 11 frames); "
            + "velocity = round(127 × mean note activation). Times in the CSV are printed in full precision. "
            + "The options are the model's parameters, the same the workbench's form edits. " + BatchOptions.discussion,
        examples: ["mlwb transcribe piano.wav -o piano.mid", "mlwb transcribe song.flac -o song.mid --csv song.csv --show",
                   "mlwb transcribe take.wav -o take.mid --onset-threshold 0.6 --pitch-bends",
                   "mlwb transcribe recordings/ dataset:maestro-v2:test --out notes/ --format mid,csv --jobs 2"])

    static func run(_ arguments: ParsedArguments, in context: CommandContext) throws -> Int32 {
        if let batch = try BatchOptions.request(arguments, command: spec.name, formats: formats, formatOption: format,
                                                singleOnly: [output, csvOutput].map(\.spec.long) + [show.spec.long, verbose.spec.long]) {
            return try runBatch(batch, arguments, context)
        }
        let input = arguments.positionals[0]
        let midiPath = try arguments[output]
        let csvPath = try arguments[csvOutput]
        let showing = try arguments[show]
        guard midiPath != nil || csvPath != nil || showing else {
            throw UsageError("say where the notes go: -o OUT.mid, --csv OUT.csv and/or --show")
        }
        let settings = BasicPitch.settings(try ParameterOptions.read(BasicPitch.parameterSpecs, from: arguments))
        let display = showing ? try DisplayOptions(arguments, context: context) : nil

        var stages: [(String, Double)] = []
        var mark = MonotonicClock.seconds()
        func stage(_ name: String) { let t = MonotonicClock.seconds(); stages.append((name, t - mark)); mark = t }
        let transcriber = try BasicPitch.transcriber(context: try CheckpointsSupport.modelContext(context))
        stage("load model")
        let clip = try AudioFile.load(input)
        stage("decode audio")
        let samples = BasicPitchTranscriber.prepare(clip)
        stage("mono + resample")
        InterruptFlag.install()
        defer { InterruptFlag.uninstall() }
        let grams: Posteriorgrams
        do {
            grams = try transcriber.posteriorgrams(samples: samples) { _, _ in !InterruptFlag.isRaised }
        } catch is CancellationError {
            context.printError("mlwb transcribe: interrupted")
            return ExitStatus.interrupted
        }
        stage("network (\(BasicPitchWindowing.windowCount(sampleCount: samples.count)) windows)")
        let frameNotes = NoteCreation.frameNotes(grams, settings: settings)
        let notes = frameNotes.map { $0.noteEvent() }.sorted(by: NoteEvent.onsetOrder)
        stage("note creation")

        if let midiPath { try BasicPitchMIDI.file(frameNotes).write(to: midiPath) }
        if let csvPath { try AtomicFile.write(Array(ResultFile.notesCSV(notes).utf8), to: csvPath) }
        stage("write")
        if try arguments[verbose] {
            for (name, seconds) in stages { context.printError(String(format: "%9.1f ms  %@", seconds * 1000, name)) }
        }
        let written = [midiPath, csvPath].compactMap { $0 }
        context.print("\(notes.count) notes from \(String(format: "%.2f", clip.duration)) s of audio"
            + (written.isEmpty ? "" : " → " + written.joined(separator: ", ")))
        if let display {
            let rows = min(display.rows, 24)
            let picture = PianoRollPlot.render(notes, width: display.columns, height: rows * 2, duration: clip.duration)
            context.write(bytes: try display.plot(picture, columns: picture.width, rows: picture.height / 2))
        }
        return ExitStatus.success
    }

    // MARK: Batch

    /// Many inputs with the network loaded once.
    static func runBatch(_ batch: BatchOptions.Request, _ arguments: ParsedArguments, _ context: CommandContext) throws -> Int32 {
        let parameters = try ParameterOptions.read(BasicPitch.parameterSpecs, from: arguments)
        let settings = BasicPitch.settings(parameters)
        let modelContext = try CheckpointsSupport.modelContext(context)
        let recorded = BatchManifest.Settings(parameters: BatchOptions.recorded(parameters, formats: batch.formats),
                                              checkpoints: try CheckpointsSupport.sha256s([BasicPitch.checkpointID], context))
        return try BatchRunner.run(batch, extensions: AudioFormat.readableExtensions, settings: recorded, context: context) {
            let transcriber = try BasicPitch.transcriber(context: modelContext)
            let formats = batch.formats
            return { input, outputs in
                let clip = try AudioFile.load(input)
                let frameNotes = NoteCreation.frameNotes(try transcriber.posteriorgrams(samples: BasicPitchTranscriber.prepare(clip)),
                                                         settings: settings)
                let notes = frameNotes.map { $0.noteEvent() }.sorted(by: NoteEvent.onsetOrder)
                for (format, path) in zip(formats, outputs) {
                    if format.name == "mid" { try BasicPitchMIDI.file(frameNotes).write(to: path) }
                    else { try AtomicFile.write(Array(ResultFile.notesCSV(notes).utf8), to: path) }
                }
                return "\(notes.count) notes, \(String(format: "%.2f", clip.duration)) s"
            }
        }
    }
}
