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
        positionals: [.init("REF", "Reference beats: lines 'time_s<TAB>beat_in_bar' (1 = downbeat) or 'time_s'"),
                      .init("EST", "Estimated beats, the same format (what 'mlwb beats' writes)")],
        options: [minBeatTime.spec, window.spec],
        discussion: "F-measure (±70 ms), Cemgil (σ 40 ms, and at the best metrical level), Goto, P-score, continuity "
            + "(CMLc, CMLt, AMLc, AMLt: phase and period within 17.5 %) and information gain (41 bins), computed as "
            + "mir_eval 0.8.2's beat.evaluate does. When both files number their beats, the downbeat F-measure "
            + "scores the beats numbered 1.",
        examples: ["mlwb eval-beats song.beats.txt song.estimated.txt", "mlwb eval-beats ref.txt est.txt --min-beat-time 0"])

    static func run(_ arguments: ParsedArguments, in context: CommandContext) throws -> Int32 {
        let reference = try BeatTable.read(arguments.positionals[0])
        let estimate = try BeatTable.read(arguments.positionals[1])
        let minimum = try arguments[minBeatTime]
        var scores = BeatEvaluation.evaluate(reference: reference.map(\.time), estimate: estimate.map(\.time), minBeatTime: minimum)
        let w = try arguments[window]
        scores.fMeasure = BeatEvaluation.fMeasure(reference.map(\.time).filter { $0 >= minimum },
                                                  estimate.map(\.time).filter { $0 >= minimum }, window: w)
        context.print("reference: \(reference.count) beats   estimate: \(estimate.count) beats   (beats before \(OptionValue.format(minimum)) s ignored)")
        for (name, value) in scores.named {
            context.print(TextTable.pad(name, 34) + HumanReadable.fixed(value, digits: 4))
        }
        if reference.contains(where: { $0.position == 1 }), estimate.contains(where: { $0.position == 1 }) {
            let down = BeatEvaluation.fMeasure(reference.filter { $0.position == 1 && $0.time >= minimum }.map(\.time),
                                               estimate.filter { $0.position == 1 && $0.time >= minimum }.map(\.time), window: w)
            context.print(TextTable.pad("Downbeat F-measure", 34) + HumanReadable.fixed(down, digits: 4))
        }
        return ExitStatus.success
    }
}
