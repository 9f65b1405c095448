/// `mlwb help [COMMAND [SUBCOMMAND]]`: the overview or one command's full help.
enum HelpCommand: Command {
    static let spec = CommandSpec(
        name: "help",
        abstract: "Show help for mlwb or for one subcommand",
        positionals: [.init("COMMAND", "The command to describe, e.g. 'show' or 'checkpoints get'", optional: true, variadic: true)])

    static func run(_ arguments: ParsedArguments, in context: CommandContext) throws -> Int32 {
        guard let first = arguments.positionals.first else {
            context.print(MLWB.overview)
            return ExitStatus.success
        }
        guard let top = MLWB.command(named: first) else {
            throw UsageError("no subcommand named '\(first)'" + Suggestion.phrase(for: first, among: MLWB.commands.map { $0.spec.name })
                + "; run 'mlwb --help' for the list")
        }
        let found = try CommandResolver.resolve(top, path: first, arguments: Array(arguments.positionals.dropFirst()), useDefaults: false)
        guard found.arguments.isEmpty else { throw UsageError("'\(found.path)' has no subcommand '\(found.arguments[0])'") }
        context.print(CommandResolver.helpText(found.command, path: found.path))
        return ExitStatus.success
    }
}
