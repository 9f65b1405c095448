import Foundation
import MIDI
import Models

/// `mlwb eval-notes REF EST`: note-level precision, recall and F1 as mir_eval computes them.
enum EvalNotesCommand: Command {
    static let onsetTolerance = Option<Double>("onset-tolerance", value: "S", default: 0.05, in: 0...10,
                                               help: "Largest onset difference of a match, in seconds")
    static let pitchTolerance = Option<Double>("pitch-tolerance", value: "CENTS", default: 50, in: 0...2400,
                                               help: "Largest pitch difference of a match, in cents")
    static let offsetRatio = Option<Double?>("offset-ratio", value: "R", in: 0...100,
                                             help: "Also score offsets: tolerance R × reference duration (mir_eval uses 0.2)")
    static let offsetMinimum = Option<Double>("offset-min-tolerance", value: "S", default: 0.05, in: 0...10,
                                              help: "Smallest offset tolerance, in seconds")

    static let spec = CommandSpec(
        name: "eval-notes",
        abstract: "Score transcribed notes against reference notes (mir_eval's note precision/recall/F1)",
        positionals: [.init("REF", "Reference notes: note CSV (onset_s,offset_s,midi_pitch,velocity) or MIDI file", optional: true),
                      .init("EST", "Estimated notes: note CSV or MIDI file", optional: true)],
        options: [onsetTolerance.spec, pitchTolerance.spec, offsetRatio.spec, offsetMinimum.spec] + EvalOptions.specs,
        discussion: "A match needs the onset within the onset tolerance and the pitch within the pitch tolerance "
            + "(and with --offset-ratio the offset within max(R × duration, minimum)); every note matches at most once "
            + "and the number of matches is maximised (bipartite matching), as mir_eval.transcription does. " + EvalOptions.discussion,
        examples: ["mlwb eval-notes piece.notes.csv piece.transcribed.mid",
                   "mlwb eval-notes truth.mid estimate.csv --offset-ratio 0.2",
                   "mlwb eval-notes --ref ../shared/audio --est notes/ --csv scores.csv --json scores.json"])

    static func run(_ arguments: ParsedArguments, in context: CommandContext) throws -> Int32 {
        let onsetTolerance = try arguments[onsetTolerance]
        let pitchTolerance = try arguments[pitchTolerance]
        let offsetMin = try arguments[offsetMinimum]
        let offsetRatio = try arguments[offsetRatio]
        if let dataset = try EvalOptions.folders(arguments) {
            let pairs = try EvalOptions.pairs(dataset.reference, dataset.estimate, extensions: ["csv", "mid", "midi"],
                                              preference: [".notes.csv", ".csv", ".mid", ".midi"], context: context)
            var columns = ["precision", "recall", "f1"]
            if offsetRatio != nil { columns += ["offset_precision", "offset_recall", "offset_f1"] }
            let report = EvalReport(pairs: pairs, countNames: ["ref_notes", "est_notes"], columns: columns) { pair in
                let reference = try NoteTable.readNotes(pair.reference), estimate = try NoteTable.readNotes(pair.estimate)
                let onset = NoteEvaluation.evaluate(reference: reference, estimate: estimate,
                                                    settings: .init(onsetTolerance: onsetTolerance, pitchTolerance: pitchTolerance))
                var scores = [onset.precision, onset.recall, onset.f1]
                if let offsetRatio {
                    let both = NoteEvaluation.evaluate(reference: reference, estimate: estimate,
                                                       settings: .init(onsetTolerance: onsetTolerance, pitchTolerance: pitchTolerance,
                                                                       offsetRatio: offsetRatio, offsetMinTolerance: offsetMin))
                    scores += [both.precision, both.recall, both.f1]
                }
                return ([reference.count, estimate.count], scores)
            }
            return try EvalOptions.finish(report, csv: dataset.csv, json: dataset.json, context: context)
        }
        let reference = try NoteTable.readNotes(arguments.positionals[0])
        let estimate = try NoteTable.readNotes(arguments.positionals[1])
        let onset = NoteEvaluation.evaluate(reference: reference, estimate: estimate,
                                            settings: .init(onsetTolerance: onsetTolerance, pitchTolerance: pitchTolerance))
        context.print("reference: \(reference.count) notes   estimate: \(estimate.count) notes")
        context.print("                      matched  precision  recall     F1")
        func row(_ label: String, _ e: NoteEvaluation) -> String {
            label.padding(toLength: 22, withPad: " ", startingAt: 0)
                + String(format: "%7d  %9.4f  %6.4f  %6.4f", e.matching.count, e.precision, e.recall, e.f1)
        }
        context.print(row(String(format: "onset (±%g ms)", onsetTolerance * 1000), onset))
        if let offsetRatio {
            let both = NoteEvaluation.evaluate(reference: reference, estimate: estimate,
                                               settings: .init(onsetTolerance: onsetTolerance, pitchTolerance: pitchTolerance,
                                                               offsetRatio: offsetRatio, offsetMinTolerance: offsetMin))
            context.print(row(String(format: "onset+offset (%g)", offsetRatio), both))
        }
        return ExitStatus.success
    }
}
