/// `mlwb help [SUBCOMMAND]`: the overview or one subcommand's full help.
enum HelpCommand: Command {
    static let spec = CommandSpec(
        name: "help",
        abstract: "Show help for mlwb or for one subcommand",
        positionals: [.init("SUBCOMMAND", "The subcommand to describe", optional: true)])

    static func run(_ arguments: ParsedArguments, in context: CommandContext) throws -> Int32 {
        guard let name = arguments.positionals.first else {
            context.print(MLWB.overview)
            return ExitStatus.success
        }
        guard let command = MLWB.command(named: name) else {
            throw UsageError("no subcommand named '\(name)'; run 'mlwb --help' for the list")
        }
        context.print(command.spec.helpText)
        return ExitStatus.success
    }
}
