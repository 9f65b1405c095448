/// `mlwb bench SUITE`: the performance benchmarks the README quotes, side by side with their references.
enum BenchCommand: Command {
    /// Benchmark suites by name; each prints its own table.
    static let suites: [(name: String, about: String, run: @Sendable (CommandContext, Bool) throws -> Void)] = [
        ("render", "terminal renderer in-process; `mlwb show` vs chafa end to end", RenderBenchmark.run),
        ("graphics", "`mlwb show` in kitty, sixel and iTerm2 modes vs chafa", GraphicsBenchmark.run),
        ("dream", "DeepDream step 512² and classification vs PyTorch", DreamBenchmark.run),
        ("tui", "workbench first frame and full-screen preview frame", WorkbenchBenchmark.run),
        ("download", "loopback download throughput vs curl -o, memory, sha256", DownloadBenchmark.run),
        ("transcribe", "Basic Pitch: mlwb transcribe end to end and the model part vs Basic Pitch + onnxruntime", TranscribeBenchmark.run),
        ("beats", "BeatNet + bar-pointer DBN on 30 s: features, network, decoder, mlwb beats as a process vs PyTorch's network", BeatsBenchmark.run),
        ("batch", "mlwb transcribe over ../shared/audio and ../shared/mir: one batch process vs one process per file; --jobs 2 vs 1", BatchBenchmark.run),
        ("chords", "NNLS chord recogniser on a 30 s file: in process, per stage, and mlwb chords as a process", ChordsBenchmark.run),
    ]

    static let quick = Option<Bool>(flag: "quick", help: "Fewer repetitions (a smoke run, numbers are noisier)")

    static let spec = CommandSpec(
        name: "bench",
        abstract: "Run performance benchmarks (use a release build: swift build -c release --static-swift-stdlib --product mlwb)",
        positionals: [.init("SUITE", "One of: " + suites.map(\.name).joined(separator: ", ") + ", or all", optional: true)],
        options: [quick.spec],
        examples: ["swift build -c release --static-swift-stdlib --product mlwb && .build/release/mlwb bench render"])

    static func run(_ arguments: ParsedArguments, in context: CommandContext) throws -> Int32 {
        let name = arguments.positionals.first ?? "all"
        let chosen = name == "all" ? suites : suites.filter { $0.name == name }
        guard !chosen.isEmpty else {
            throw UsageError("no benchmark suite '\(name)'; choose one of \(suites.map(\.name).joined(separator: ", ")), all")
        }
        #if DEBUG
        context.printError("note: this is a debug build; build with -c release for meaningful numbers")
        #endif
        for suite in chosen {
            context.print("== \(suite.name): \(suite.about)")
            try suite.run(context, try arguments[quick])
            context.print("")
            context.flush()
        }
        return ExitStatus.success
    }
}
