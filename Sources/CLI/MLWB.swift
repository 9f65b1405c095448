import Media
import TUI

/// The `mlwb` command line: dispatches to subcommands, prints help and errors, returns exit codes.
public enum MLWB {
    /// Every subcommand, in the order `mlwb --help` lists them.
    public static let commands: [any Command.Type] = [
        HelpCommand.self,
        ShowCommand.self,
        MaskCommand.self,
        CanvasCommand.self,
        BenchCommand.self,
        CheckpointsCommand.self,
        ClassifyCommand.self,
        DreamCommand.self,
        DownloadCommand.self,
        DatasetsCommand.self,
        TranscribeCommand.self,
        PitchCommand.self,
        EvalNotesCommand.self,
        ChordsCommand.self,
        EvalChordsCommand.self,
        BeatsCommand.self,
        TempoCommand.self,
        EvalBeatsCommand.self,
        BatchCommand.self,
        ModelsCommand.self,
        InstallCommand.self,
    ]

    /// Runs `mlwb` with `arguments` (without the program name); returns the exit status.
    public static func main(_ arguments: [String], context: CommandContext = .current()) -> Int32 {
        defer { context.flush() }
        guard let first = arguments.first else {
            return runDefault(context)
        }
        if first == "--theme" || first.hasPrefix("--theme=") {
            // `mlwb --theme NAME` opens the workbench with that theme.
            let name = first == "--theme" ? (arguments.count > 1 ? arguments[1] : "") : String(first.dropFirst(8))
            let rest = Array(arguments.dropFirst(first == "--theme" ? 2 : 1))
            guard !name.isEmpty, rest.isEmpty else {
                context.printError("mlwb: usage: mlwb --theme NAME (themes: default, light, high-contrast, mono, or a file in themes/)")
                return ExitStatus.usage
            }
            return runDefault(context, theme: name)
        }
        if first == "--help" || first == "-h" {
            context.print(overview)
            return ExitStatus.success
        }
        if first == "--version" {
            context.print("mlwb \(version)")
            return ExitStatus.success
        }
        guard let top = command(named: first) else {
            context.printError("mlwb: unknown subcommand '\(first)'" + Suggestion.phrase(for: first, among: commands.map { $0.spec.name })
                + ". Run 'mlwb --help' for the list.")
            return ExitStatus.usage
        }
        var path = first
        var usage = top.spec.usageLine(path: first)
        do {
            let found = try CommandResolver.resolve(top, path: first, arguments: Array(arguments.dropFirst()))
            path = found.path
            usage = found.command.subcommands.isEmpty ? found.command.spec.usageLine(path: path) : "mlwb \(path) SUBCOMMAND [options]"
            if !found.command.subcommands.isEmpty {   // `mlwb GROUP --help`
                context.print(CommandResolver.helpText(found.command, path: path))
                return ExitStatus.success
            }
            let parsed = try ArgumentParser.parse(found.arguments, spec: found.command.spec, path: path,
                                                  elsewhere: CommandResolver.siblingOptions(of: found))
            if parsed.helpRequested {
                context.print(CommandResolver.helpText(found.command, path: path))
                return ExitStatus.success
            }
            return try found.command.run(parsed, in: context)
        } catch let error as UsageError {
            context.printError("mlwb \(path): \(error.message)\nUsage: \(usage)\nRun 'mlwb help \(path)' for details.")
            return ExitStatus.usage
        } catch {
            context.printError("mlwb \(path): error: \(error)")
            return ExitStatus.failure
        }
    }

    /// The version string.
    public static let version = "0.1.0"

    /// Looks a subcommand up by name.
    public static func command(named name: String) -> (any Command.Type)? {
        commands.first { $0.spec.name == name }
    }

    /// The page `mlwb --help` prints.
    public static var overview: String {
        var lines = [
            "mlwb — a terminal workbench for creative and music machine learning",
            "",
            "USAGE: mlwb [--theme NAME]  open the workbench (themes: default, light, high-contrast, mono)",
            "       mlwb SUBCOMMAND [options] [arguments]",
            "",
            "SUBCOMMANDS:",
        ]
        for command in commands {
            lines.append(CommandSpec.row(command.spec.name, command.spec.abstract))
        }
        lines += ["", "Run 'mlwb help SUBCOMMAND' (or 'mlwb SUBCOMMAND --help') for its options."]
        return lines.joined(separator: "\n")
    }

    /// No subcommand: the full-screen workbench (`--theme NAME` picks its colours).
    private static func runDefault(_ context: CommandContext, theme: String? = nil) -> Int32 {
        context.flush()
        let environment = context.environment
        // Commands from the ':' line run on threads of their own: their output goes to the workbench
        // (never to the terminal), and their Ctrl-C is the job being stopped, not a signal handler.
        InterruptFlag.hosted = true
        let services = WorkbenchServices.standard(environment: environment, commandRunner: hostedCommands(environment: environment))
        return Workbench.run(options: WorkbenchOptions(themeName: theme, environment: environment), services: services)
    }

    /// How the workbench runs `:` commands: in this process, on their own thread, output to the
    /// workbench (never the terminal), Ctrl-C meaning the job is stopped.
    static func hostedCommands(environment: [String: String]) -> CommandRunner {
        { invocation in
            let context = CommandContext(environment: environment, stdoutIsTTY: false, stderrIsTTY: false) { bytes, _ in invocation.output(bytes) }
            return InterruptFlag.whileRunning(cancelledBy: invocation.isCancelled) { MLWB.main(invocation.words, context: context) }
        }
    }
}
