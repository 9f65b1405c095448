import Audio
import Foundation
import Media
import Models
import Render

/// `mlwb chords IN [-o OUT.lab] …`: chord recognition with the NNLS chord recogniser; a batch run with `--out DIR`.
enum ChordsCommand: Command {
    static let output = Option<String?>("output", short: "o", value: "OUT.lab", output: .file, help: "Write the chords as a .lab file (start<TAB>end<TAB>label)")
    static let csvOutput = Option<String?>("csv", value: "OUT.csv", output: .file, help: "Write the chords as CSV (start_s,end_s,label)")
    static let show = Option<Bool>(flag: "show", help: "Draw the waveform, the chromagram and a chord lane in the terminal")
    static let verbose = Option<Bool>(flag: "verbose", short: "v", help: "Print the tuning and the time each stage took (to stderr)")
    static let formats = [BatchFormat("lab", suffix: ".chords.lab"), BatchFormat("csv", suffix: ".chords.csv")]
    static let format = BatchOptions.format(formats)

    static let spec = CommandSpec(
        name: "chords",
        abstract: "Recognise chords in audio (NNLS chroma + HMM, no learned weights)",
        positionals: [.init("AUDIO", "WAV, FLAC or OGG file (any rate, mixed to mono, resampled to 11,025 Hz); in batch mode "
                            + "files, folders (searched recursively) or dataset:ID[:train|test]", variadic: true)],
        options: [output.spec, csvOutput.spec]
            + ParameterOptions.specs(ChordRecognizerModel.parameterSpecs, valueNames: ["no-chord-db": "DB", "beats": "BEATS.txt"])
            + [show.spec, verbose.spec] + BatchOptions.specs(format: format) + DisplayOptions.specs(),
        discussion: "Labels are Harte syntax as mir_eval reads them (C:maj, A:min7, G:7/3, B:hdim7, N). Without -o or --csv "
            + "the .lab lines are printed. Frames are 372 ms long, 46 ms apart; with --beats the chord changes only on the "
            + "given beats. The options are the model's parameters, the same the workbench's form edits "
            + "(model 'chords-nnls'). Score a result with 'mlwb eval-chords REF.lab OUT.lab'. " + BatchOptions.discussion
            + " (--beats names one file, so it is for single runs.)",
        examples: ["mlwb chords song.wav -o song.lab", "mlwb chords song.flac --vocabulary majmin --show",
                   "mlwb chords take.wav -o take.lab --beats take.beats.txt --self-transition 0.9",
                   "mlwb chords dataset:mcgill-billboard:test --out chords/ --jobs 2"])

    static func run(_ arguments: ParsedArguments, in context: CommandContext) throws -> Int32 {
        if let batch = try BatchOptions.request(arguments, command: spec.name, formats: formats, formatOption: format,
                                                singleOnly: [output, csvOutput].map(\.spec.long) + [show.spec.long, verbose.spec.long, "beats"]) {
            return try runBatch(batch, arguments, context)
        }
        let parameters = try ParameterOptions.read(ChordRecognizerModel.parameterSpecs, from: arguments)
        let labPath = try arguments[output], csvPath = try arguments[csvOutput]
        let showing = try arguments[show]
        let display = showing ? try DisplayOptions(arguments, context: context) : nil
        let beats = try ChordRecognizerModel.beats(parameters)

        var stages: [(String, Double)] = []
        var mark = MonotonicClock.seconds()
        func stage(_ name: String) { let t = MonotonicClock.seconds(); stages.append((name, t - mark)); mark = t }
        let clip = try AudioFile.load(arguments.positionals[0])
        stage("decode audio")
        let recognizer = ChordRecognizer(settings: ChordRecognizerModel.settings(parameters))
        let frames = NNLSChroma.analyse(clip, settings: recognizer.settings.chroma)
        stage("NNLS chroma (\(frames.frameCount) frames)")
        let result = recognizer.decode(frames, beats: beats)
        stage("HMM decoding")
        if let labPath { try AtomicFile.write(Array(ResultFile.chordsLab(result.segments).utf8), to: labPath) }
        if let csvPath { try AtomicFile.write(Array(ResultFile.chordsCSV(result.segments).utf8), to: csvPath) }
        if try arguments[verbose] {
            context.printError(String(format: "tuning %+.1f cents (A = %.2f Hz)", frames.tuning * 100, 440 * pow(2, frames.tuning / 12)))
            for (name, seconds) in stages { context.printError(String(format: "%9.1f ms  %@", seconds * 1000, name)) }
        }
        let written = [labPath, csvPath].compactMap { $0 }
        if written.isEmpty && !showing {
            context.write(ResultFile.chordsLab(result.segments))
        } else {
            let chords = result.segments.filter { $0.label != "N" }.count
            context.print("\(ChordsSummary.count(result.segments.count, "segment")) (\(ChordsSummary.count(chords, "chord"))) in "
                + "\(String(format: "%.2f", clip.duration)) s of audio"
                + (beats.map { ", \($0.count) beats" } ?? "") + (written.isEmpty ? "" : " → " + written.joined(separator: ", ")))
        }
        if let display {
            let spans = result.segments.map { ChordLanePlot.Span(start: $0.start, end: $0.end, label: $0.label) }
            let rows = min(display.rows - 1, 20)
            let picture = ChordLanePlot.overview(clip, chroma: frames.treble, frameCount: frames.frameCount, frameRate: frames.frameRate,
                                                 spans: spans, width: display.columns, height: max(4, rows) * 2)
            context.write(bytes: try display.plot(picture, columns: picture.width, rows: picture.height / 2))
            context.print(ChordLanePlot.labelLine(spans, duration: clip.duration, columns: display.columns))
        }
        return ExitStatus.success
    }

    // MARK: Formats

    /// One segment for a listing: `  12.333–13.500  G:7/3`.
    static func describe(_ segment: ChordSegment) -> String {
        String(format: "  %8.3f–%8.3f  ", segment.start, segment.end) + segment.label
    }

    // MARK: Batch

    /// Many inputs (no learned weights: the manifest records no checkpoint).
    static func runBatch(_ batch: BatchOptions.Request, _ arguments: ParsedArguments, _ context: CommandContext) throws -> Int32 {
        let parameters = try ParameterOptions.read(ChordRecognizerModel.parameterSpecs, from: arguments)
        let recorded = BatchManifest.Settings(parameters: BatchOptions.recorded(parameters, formats: batch.formats), checkpoints: [:])
        return try BatchRunner.run(batch, extensions: AudioFormat.readableExtensions, settings: recorded, context: context) {
            let recognizer = ChordRecognizer(settings: ChordRecognizerModel.settings(parameters))
            let formats = batch.formats
            return { input, outputs in
                let clip = try AudioFile.load(input)
                let result = recognizer.decode(NNLSChroma.analyse(clip, settings: recognizer.settings.chroma), beats: nil)
                for (format, path) in zip(formats, outputs) {
                    let text = format.name == "lab" ? ResultFile.chordsLab(result.segments) : ResultFile.chordsCSV(result.segments)
                    try AtomicFile.write(Array(text.utf8), to: path)
                }
                return ChordsSummary.count(result.segments.filter { $0.label != "N" }.count, "chord") + String(format: ", %.2f s", clip.duration)
            }
        }
    }
}
