import Audio
import Foundation
import Media
import MIDI
import Models
import Render

/// `mlwb transcribe IN -o OUT.mid [--csv OUT.csv] …`: audio to notes with Basic Pitch.
enum TranscribeCommand: Command {
    static let spec = CommandSpec(
        name: "transcribe",
        abstract: "Transcribe audio to MIDI notes (Spotify's Basic Pitch, run natively)",
        positionals: [.init("AUDIO", "WAV, FLAC or OGG file (any rate, mixed to mono, resampled to 22,050 Hz)")],
        options: [
            .init("output", short: "o", value: "OUT.mid", "Write the notes as a MIDI file"),
            .init("csv", value: "OUT.csv", "Write the notes as CSV (onset_s,offset_s,midi_pitch,velocity)"),
            .init("onset-threshold", value: "X", default: "0.5", "Onset activation needed to start a note (lower: more notes)"),
            .init("frame-threshold", value: "X", default: "0.3", "Note activation needed to keep a note sounding"),
            .init("min-note-ms", value: "X", default: "127.70", "Shortest note kept, in milliseconds"),
            .init("min-freq", value: "HZ", "Drop notes below this frequency"),
            .init("max-freq", value: "HZ", "Drop notes above this frequency"),
            .init("no-melodia", "Turn off the melodia trick (notes grown from activations without an onset)"),
            .init("no-inferred-onsets", "Only start notes at predicted onsets, not at jumps of the note activation"),
            .init("pitch-bends", "Estimate pitch bends from the contour and write them to the MIDI file"),
            .init("show", "Draw the notes as a piano roll in the terminal"),
            .init("verbose", short: "v", "Print the time each stage took (to stderr)"),
        ] + DisplayOptions.specOptions,
        discussion: "Uses the checkpoint 'basic_pitch_icassp2022' from the store ($MLWB_HOME): get it with "
            + "'mlwb checkpoints get basic_pitch_icassp2022' or 'mlwb checkpoints import basic-pitch-icassp2022-nmp.onnx'. "
            + "Notes are created as Basic Pitch does (inferred onsets, melodia trick, energy tolerance 11 frames); "
            + "velocity = round(127 × mean note activation). Times in the CSV are printed in full precision.",
        examples: ["mlwb transcribe piano.wav -o piano.mid", "mlwb transcribe song.flac -o song.mid --csv song.csv --show",
                   "mlwb transcribe take.wav -o take.mid --onset-threshold 0.6 --pitch-bends"])

    static func run(_ arguments: ParsedArguments, in context: CommandContext) throws -> Int32 {
        let input = arguments.positionals[0]
        let midiPath = arguments.value("output")
        let csvPath = arguments.value("csv")
        let show = arguments.flag("show")
        guard midiPath != nil || csvPath != nil || show else {
            throw UsageError("say where the notes go: -o OUT.mid, --csv OUT.csv and/or --show")
        }
        var settings = NoteCreationSettings()
        settings.onsetThreshold = try arguments.double("onset-threshold", default: settings.onsetThreshold, in: 0.001...0.999)
        settings.frameThreshold = try arguments.double("frame-threshold", default: settings.frameThreshold, in: 0.001...0.999)
        settings.minimumNoteMilliseconds = try arguments.double("min-note-ms", default: settings.minimumNoteMilliseconds, in: 0...60_000)
        if arguments.value("min-freq") != nil { settings.minimumFrequency = try arguments.double("min-freq", default: 0, in: 1...30_000) }
        if arguments.value("max-freq") != nil { settings.maximumFrequency = try arguments.double("max-freq", default: 0, in: 1...30_000) }
        settings.melodiaTrick = !arguments.flag("no-melodia")
        settings.inferOnsets = !arguments.flag("no-inferred-onsets")
        settings.pitchBends = arguments.flag("pitch-bends")
        let display = show ? try DisplayOptions(arguments, context: context) : nil

        var stages: [(String, Double)] = []
        var mark = now()
        func stage(_ name: String) { let t = now(); stages.append((name, t - mark)); mark = t }
        let transcriber = try loadTranscriber(context)
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

        if let midiPath {
            if settings.pitchBends {
                try AtomicFile.write(BasicPitchMIDI.encode(frameNotes), to: midiPath)
            } else {
                try MIDIFile(notes: notes).write(to: midiPath)
            }
        }
        if let csvPath { try AtomicFile.write(Array(csv(notes).utf8), to: csvPath) }
        stage("write")
        if arguments.flag("verbose") {
            for (name, seconds) in stages { context.printError(String(format: "%9.1f ms  %@", seconds * 1000, name)) }
        }
        let written = [midiPath, csvPath].compactMap { $0 }
        context.print("\(notes.count) notes from \(String(format: "%.2f", clip.duration)) s of audio"
            + (written.isEmpty ? "" : " → " + written.joined(separator: ", ")))
        if let display {
            let rows = min(display.rows, 24)
            let picture = PianoRollPlot.render(notes, width: display.columns, height: rows * 2, duration: clip.duration)
            let grid = display.rasterizer.grid(for: picture, width: picture.width, height: picture.height)
            context.write(bytes: display.encoder.encodeLines(grid))
        }
        return ExitStatus.success
    }

    /// Monotonic seconds.
    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// The Basic Pitch transcriber from the store, or an error saying how to put the model there.
    static func loadTranscriber(_ context: CommandContext) throws -> BasicPitchTranscriber {
        do {
            return try BasicPitch.transcriber(context: try CheckpointsSupport.modelContext(context))
        } catch ModelError.missingCheckpoint(let id, let file, _) {
            throw ModelError.invalidInput("the Basic Pitch model is not in the checkpoint store: run 'mlwb checkpoints import /path/\(file)' "
                + "if you have the file, or 'mlwb checkpoints get \(id)' to download it")
        }
    }

    /// Note CSV as ../shared/audio writes it: header, rows by onset then pitch, times in full (round-trip) precision.
    static func csv(_ notes: [NoteEvent]) -> String {
        var out = "onset_s,offset_s,midi_pitch,velocity\n"
        for n in notes.sorted(by: NoteEvent.onsetOrder) { out += "\(n.start),\(n.end),\(n.pitch),\(n.velocity)\n" }
        return out
    }
}
