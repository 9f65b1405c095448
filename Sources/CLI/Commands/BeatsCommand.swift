import Audio
import Media
import Models
import Render

/// `mlwb beats IN -o OUT.txt`: beats and downbeats with BeatNet and the bar-pointer DBN; a batch run with `--out DIR`.
enum BeatsCommand: Command {
    static let output = Option<String?>("output", short: "o", value: "OUT.txt", output: .file,
                                        help: "Write the beats as 'time_s<TAB>beat_in_bar' lines (1 = downbeat), as madmom and BeatNet do")
    static let csvOutput = Option<String?>("csv", value: "OUT.csv", output: .file, help: "Write the beats as CSV (time_s,beat_in_bar,bar)")
    static let click = Option<String?>("click", value: "OUT.wav", output: .file,
                                       help: "Write the input with a click on every beat (a higher, louder one on downbeats)")
    static let show = Option<Bool>(flag: "show", help: "Draw the waveform with beat ticks and bar numbers in the terminal")
    static let formats = [BatchFormat("txt", suffix: ".beats.txt"), BatchFormat("csv", suffix: ".beats.csv"),
                          BatchFormat("click", suffix: ".click.wav")]
    static let format = BatchOptions.format(formats)

    static let spec = CommandSpec(
        name: "beats",
        abstract: "Find beats, downbeats and the meter in audio (BeatNet + bar-pointer DBN, run natively)",
        positionals: [.init("AUDIO", "WAV, FLAC or OGG file (any rate, mixed to mono, resampled to 22,050 Hz); in batch mode "
                            + "files, folders (searched recursively) or dataset:ID[:train|test]", variadic: true)],
        options: [output.spec, csvOutput.spec, click.spec]
            + ParameterOptions.specs(BeatTracker.parameterSpecs, valueNames: ["min-bpm": "BPM", "max-bpm": "BPM", "meters": "LIST"])
            + [show.spec] + BatchOptions.specs(format: format) + DisplayOptions.specs(),
        discussion: "Uses the checkpoints beatnet_1, beatnet_2 and beatnet_3 (one with --network N): get them with 'mlwb checkpoints get beatnet_1' (and _2, _3). "
            + "BeatNet (Heydari, Cwitkowitz and Duan, ISMIR 2021, CC BY 4.0) gives beat and downbeat activations at 50 "
            + "frames per second; the bar-pointer model (Krebs, Böck and Widmer 2015) decodes the most likely beats, bars "
            + "and tempo path for each meter and keeps the best. 'mlwb eval-beats' scores the result against a reference. "
            + BatchOptions.discussion,
        examples: ["mlwb beats song.wav -o song.beats.txt", "mlwb beats song.flac --click check.wav --show",
                   "mlwb beats waltz.wav -o w.txt --meters 3 --min-bpm 100 --max-bpm 200",
                   "mlwb beats music/ --out beats/ --format txt,csv --jobs 2"])

    static func run(_ arguments: ParsedArguments, in context: CommandContext) throws -> Int32 {
        if let batch = try BatchOptions.request(arguments, command: spec.name, formats: formats, formatOption: format,
                                                singleOnly: [output, csvOutput, click].map(\.spec.long) + [show.spec.long]) {
            return try runBatch(batch, arguments, context)
        }
        let (text, csv, clickPath, showing) = (try arguments[output], try arguments[csvOutput], try arguments[click], try arguments[show])
        guard text != nil || csv != nil || clickPath != nil || showing else {
            throw UsageError("say where the beats go: -o OUT.txt, --csv OUT.csv, --click OUT.wav and/or --show")
        }
        let parameters = try ParameterOptions.read(BeatTracker.parameterSpecs, from: arguments)
        do { _ = try BeatTracker.decoderSettings(parameters) } catch let error as ParameterError { throw UsageError("--" + error.message) }
        let display = showing ? try DisplayOptions(arguments, context: context) : nil

        let clip = try AudioFile.load(arguments.positionals[0])
        let result = try BeatTracker.track(clip, parameters: parameters, context: try CheckpointsSupport.modelContext(context))
        if let text { try AtomicFile.write(Array(BeatTable.text(result.beats).utf8), to: text) }
        if let csv { try AtomicFile.write(Array(BeatTable.csv(result.beats).utf8), to: csv) }
        if let clickPath { try AudioFile.save(ClickTrack.mix(clip, beats: result.beats), to: clickPath) }
        let bpm = TempoSegments.overall(result.beats.map(\.time))
        let written = [text, csv, clickPath].compactMap { $0 }
        context.print("\(result.beats.count) beats, \(result.beats.filter { $0.position == 1 }.count) bars of \(result.beatsPerBar), "
            + "\(HumanReadable.fixed(bpm, digits: 1)) BPM" + (written.isEmpty ? "" : " → " + written.joined(separator: ", ")))
        if let display {
            let rows = min(display.rows, 12)
            let beats = result.beats.map { (time: $0.time, downbeat: $0.position == 1) }
            let picture = BeatPlot.render(clip, beats: beats, width: display.columns, height: rows * 2)
            context.write(bytes: try display.plot(picture, columns: picture.width, rows: picture.height / 2))
            context.print(BeatPlot.barNumbers(result.beats.filter { $0.position == 1 }.map(\.time), columns: display.columns,
                                              duration: clip.duration))
        }
        return ExitStatus.success
    }

    // MARK: Batch

    /// Many inputs with the chosen networks loaded once.
    static func runBatch(_ batch: BatchOptions.Request, _ arguments: ParsedArguments, _ context: CommandContext) throws -> Int32 {
        let parameters = try ParameterOptions.read(BeatTracker.parameterSpecs, from: arguments)
        do { _ = try BeatTracker.decoderSettings(parameters) } catch let error as ParameterError { throw UsageError("--" + error.message) }
        let modelContext = try CheckpointsSupport.modelContext(context)
        let ids = BeatTracker.models(parameters).map(BeatNet.checkpointID(model:))
        let recorded = BatchManifest.Settings(parameters: BatchOptions.recorded(parameters, formats: batch.formats),
                                              checkpoints: try CheckpointsSupport.sha256s(ids, context))
        return try BatchRunner.run(batch, extensions: AudioFormat.readableExtensions, settings: recorded, context: context) {
            let networks = try BeatTracker.networks(parameters, context: modelContext)
            let formats = batch.formats
            return { input, outputs in
                let clip = try AudioFile.load(input)
                let result = try BeatTracker.track(clip, parameters: parameters, networks: networks, context: modelContext)
                for (format, path) in zip(formats, outputs) {
                    switch format.name {
                    case "txt": try AtomicFile.write(Array(BeatTable.text(result.beats).utf8), to: path)
                    case "csv": try AtomicFile.write(Array(BeatTable.csv(result.beats).utf8), to: path)
                    default: try AudioFile.save(ClickTrack.mix(clip, beats: result.beats), to: path)
                    }
                }
                return "\(result.beats.count) beats, \(result.beatsPerBar) per bar, "
                    + HumanReadable.fixed(TempoSegments.overall(result.beats.map(\.time)), digits: 1) + " BPM"
            }
        }
    }
}

/// `mlwb tempo IN`: the tempo, and where it changes.
enum TempoCommand: Command {
    static let output = Option<String?>("output", short: "o", value: "OUT.txt", output: .file, help: "Write the segments as 'start_s<TAB>end_s<TAB>bpm' lines")

    static let spec = CommandSpec(
        name: "tempo",
        abstract: "Print the tempo of audio, and its segments when it changes (from BeatNet's beats)",
        positionals: [.init("AUDIO", "WAV, FLAC or OGG file")],
        options: [output.spec] + ParameterOptions.specs(BeatTracker.parameterSpecs, valueNames: ["min-bpm": "BPM", "max-bpm": "BPM", "meters": "LIST"]),
        discussion: "The beats come from the same tracker as 'mlwb beats'; a new segment starts where the median interval "
            + "of the next beats differs from the current segment's by more than 8 %.",
        examples: ["mlwb tempo song.wav", "mlwb tempo set.flac -o set.tempo.txt"])

    static func run(_ arguments: ParsedArguments, in context: CommandContext) throws -> Int32 {
        let parameters = try ParameterOptions.read(BeatTracker.parameterSpecs, from: arguments)
        do { _ = try BeatTracker.decoderSettings(parameters) } catch let error as ParameterError { throw UsageError("--" + error.message) }
        let path = try arguments[output]
        let clip = try AudioFile.load(arguments.positionals[0])
        let result = try BeatTracker.track(clip, parameters: parameters, context: try CheckpointsSupport.modelContext(context))
        let times = result.beats.map(\.time)
        let segments = TempoSegments.segments(times)
        context.print("\(HumanReadable.fixed(TempoSegments.overall(times), digits: 1)) BPM (\(result.beats.count) beats, \(result.beatsPerBar) per bar)")
        if segments.count > 1 {
            for s in segments {
                context.print("  \(HumanReadable.fixed(s.start, digits: 2))–\(HumanReadable.fixed(s.end, digits: 2)) s  \(HumanReadable.fixed(s.bpm, digits: 1)) BPM")
            }
        }
        if let path {
            let text = segments.map { HumanReadable.fixed($0.start, digits: 3) + "\t" + HumanReadable.fixed($0.end, digits: 3) + "\t"
                + HumanReadable.fixed($0.bpm, digits: 3) + "\n" }.joined()
            try AtomicFile.write(Array(text.utf8), to: path)
        }
        return ExitStatus.success
    }
}
