import Media
import Models

/// `mlwb eval-beats REF EST`: mir_eval's beat metrics and the downbeat F-measure.
enum EvalBeatsCommand: Command {
    static let minBeatTime = Option<Double>("min-beat-time", value: "S", default: 5, in: 0...100_000,
                                            help: "Ignore beats before this time, as mir_eval's trim_beats does (0 keeps every beat)")
    static let window = Option<Double>("window", value: "S", default: 0.07, in: 0.001...1, help: "F-measure window in seconds")

    static let spec = CommandSpec(
        name: "eval-beats",
        abstract: "Score beats and downbeats against a reference (mir_eval's beat metrics)",
        positionals: [.init("REF", "Reference beats: lines 'time_s<TAB>beat_in_bar' (1 = downbeat) or 'time_s'", optional: true),
                      .init("EST", "Estimated beats, the same format (what 'mlwb beats' writes)", optional: true)],
        options: [minBeatTime.spec, window.spec] + EvalOptions.specs,
        discussion: "F-measure (±70 ms), Cemgil (σ 40 ms, and at the best metrical level), Goto, P-score, continuity "
            + "(CMLc, CMLt, AMLc, AMLt: phase and period within 17.5 %) and information gain (41 bins), computed as "
            + "mir_eval 0.8.2's beat.evaluate does. When both files number their beats, the downbeat F-measure "
            + "scores the beats numbered 1. " + EvalOptions.discussion + " The table shows F-measure, CMLt, AMLt and the downbeat "
            + "F-measure; CSV and JSON have every score.",
        examples: ["mlwb eval-beats song.beats.txt song.estimated.txt", "mlwb eval-beats ref.txt est.txt --min-beat-time 0",
                   "mlwb eval-beats --ref ../shared/mir/beats --est beats/ --csv beats.csv"])

    static func run(_ arguments: ParsedArguments, in context: CommandContext) throws -> Int32 {
        let dataset = try EvalOptions.folders(arguments)
        let minimum = try arguments[minBeatTime]
        let w = try arguments[window]
        if let dataset {
            let pairs = try EvalOptions.pairs(dataset.reference, dataset.estimate, extensions: ["txt"], preference: [".beats.txt", ".txt"], context: context)
            let names = BeatEvaluation.names + ["Downbeat F-measure"]
            let report = EvalReport(pairs: pairs, countNames: ["ref_beats", "est_beats"], columns: names) { pair in
                let reference = try BeatTable.read(pair.reference), estimate = try BeatTable.read(pair.estimate)
                let (scores, downbeat) = Self.scores(reference, estimate, minimum: minimum, window: w)
                return ([reference.count, estimate.count], scores.named.map(\.value) + [downbeat ?? .nan])
            }
            return try EvalOptions.finish(report, csv: dataset.csv, json: dataset.json,
                                          shown: ["F-measure", "Correct Metric Level Total", "Any Metric Level Total", "Downbeat F-measure"],
                                          context: context)
        }
        let reference = try BeatTable.read(arguments.positionals[0])
        let estimate = try BeatTable.read(arguments.positionals[1])
        let (scores, downbeat) = Self.scores(reference, estimate, minimum: minimum, window: w)
        context.print("reference: \(reference.count) beats   estimate: \(estimate.count) beats   (beats before \(OptionValue.format(minimum)) s ignored)")
        for (name, value) in scores.named {
            context.print(TextTable.pad(name, 34) + HumanReadable.fixed(value, digits: 4))
        }
        if let downbeat {
            context.print(TextTable.pad("Downbeat F-measure", 34) + HumanReadable.fixed(downbeat, digits: 4))
        }
        return ExitStatus.success
    }

    /// mir_eval's beat scores with the F-measure at `window`, and the downbeat F-measure when both number their beats.
    static func scores(_ reference: [Beat], _ estimate: [Beat], minimum: Double, window w: Double) -> (BeatEvaluation, Double?) {
        var scores = BeatEvaluation.evaluate(reference: reference.map(\.time), estimate: estimate.map(\.time), minBeatTime: minimum)
        scores.fMeasure = BeatEvaluation.fMeasure(reference.map(\.time).filter { $0 >= minimum },
                                                  estimate.map(\.time).filter { $0 >= minimum }, window: w)
        guard reference.contains(where: { $0.position == 1 }), estimate.contains(where: { $0.position == 1 }) else { return (scores, nil) }
        let down = BeatEvaluation.fMeasure(reference.filter { $0.position == 1 && $0.time >= minimum }.map(\.time),
                                           estimate.filter { $0.position == 1 && $0.time >= minimum }.map(\.time), window: w)
        return (scores, down)
    }
}
