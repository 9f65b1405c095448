import TUI

/// `mlwb bench tui`: the workbench's first full frame and a full-screen preview frame, in-process.
enum WorkbenchBenchmark {
    static func run(_ context: CommandContext, quick: Bool) throws {
        let report = TUIBenchmark.run(environment: context.environment, repeats: quick ? 5 : 30)
        context.print(report.description)
        context.print("targets: first full frame < 150 ms; full-screen 200×60 preview frame < 5 ms;")
        context.print("keystroke-to-screen < 50 ms while a dream runs (run the workbench with MLWB_TUI_STATS=FILE to record it)")
    }
}
