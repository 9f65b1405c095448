import Foundation
import Models

/// `mlwb eval-chords REF.lab EST.lab`: mir_eval's chord scores, duration-weighted.
enum EvalChordsCommand: Command {
    static let metrics = Option<String?>("metric", value: "NAMES",
                                         help: "Print only these scores, comma-separated (root, majmin, majmin_inv, sevenths, … seg)")

    static let spec = CommandSpec(
        name: "eval-chords",
        abstract: "Score estimated chords against reference chords (mir_eval.chord.evaluate)",
        positionals: [.init("REF", "Reference .lab file (start end label per line, Harte syntax)", optional: true),
                      .init("EST", "Estimated .lab file", optional: true)],
        options: [metrics.spec] + EvalOptions.specs,
        discussion: "As mir_eval 0.8.2 computes them: the estimate is cut or padded with N to the reference's span, both are "
            + "split at every boundary of either, and each rule scores the pieces weighted by duration; a piece whose "
            + "reference the rule leaves out weighs nothing: X everywhere; for majmin a chord whose triad is not major or "
            + "minor (sus4, dim, aug…; sevenths count by their triad); for sevenths anything but maj, min, 7, maj7, min7 "
            + "and N. The *_inv rules also compare the bass. mirex: at least 3 pitch classes shared. seg, overseg, "
            + "underseg: segment boundaries (directional Hamming distance). " + EvalOptions.discussion
            + " The table shows root, majmin, sevenths and seg unless --metric names others; CSV and JSON have the chosen scores (all by default).",
        examples: ["mlwb eval-chords song.chords.lab song.lab", "mlwb eval-chords ref.lab est.lab --metric majmin,sevenths",
                   "mlwb eval-chords --ref ../shared/mir/chords --est chords/ --json chords.json"])

    /// Every printable name: the comparison rules, then the segmentation scores.
    static let names = ChordEvaluation.Metric.allCases.map(\.rawValue) + ["overseg", "underseg", "seg"]

    static func run(_ arguments: ParsedArguments, in context: CommandContext) throws -> Int32 {
        var chosen = names
        if let list = try arguments[metrics] {
            chosen = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            for name in chosen where !names.contains(name) {
                throw UsageError("--metric: no score named '\(name)'; choose from \(names.joined(separator: ", "))"
                    + Suggestion.phrase(for: name, among: names))
            }
        }
        if let dataset = try EvalOptions.folders(arguments) {
            let pairs = try EvalOptions.pairs(dataset.reference, dataset.estimate, extensions: ["lab"], preference: [".chords.lab", ".lab"], context: context)
            let columns = chosen
            let report = EvalReport(pairs: pairs, countNames: ["ref_segments", "est_segments"], columns: columns) { pair in
                let reference = try LabeledIntervals.read(pair.reference), estimate = try LabeledIntervals.read(pair.estimate)
                let evaluation = try ChordEvaluation.evaluate(reference: reference, estimate: estimate)
                return ([reference.count, estimate.count], columns.map { Self.value($0, evaluation) })
            }
            let shown = try arguments[metrics] == nil ? ["root", "majmin", "sevenths", "seg"] : nil
            return try EvalOptions.finish(report, csv: dataset.csv, json: dataset.json, shown: shown, context: context)
        }
        let reference = try LabeledIntervals.read(arguments.positionals[0])
        let estimate = try LabeledIntervals.read(arguments.positionals[1])
        let evaluation = try ChordEvaluation.evaluate(reference: reference, estimate: estimate)
        if chosen.count > 1 {
            let span = (reference.intervals.map(\.start).min() ?? 0, reference.intervals.map(\.end).max() ?? 0)
            context.print("reference: \(reference.count) segments (\(String(format: "%.3f", span.0))–\(String(format: "%.3f", span.1)) s)"
                + "   estimate: \(estimate.count) segments")
        }
        for name in chosen {
            let value = Self.value(name, evaluation)
            context.print(chosen.count == 1 ? String(format: "%.4f", value) : name.padding(toLength: 14, withPad: " ", startingAt: 0) + String(format: "%.4f", value))
        }
        return ExitStatus.success
    }

    /// The score called `name` (one of `names`).
    static func value(_ name: String, _ evaluation: ChordEvaluation) -> Double {
        switch name {
        case "overseg": return evaluation.overSegmentation
        case "underseg": return evaluation.underSegmentation
        case "seg": return evaluation.segmentation
        default: return evaluation[ChordEvaluation.Metric(rawValue: name)!]
        }
    }
}
