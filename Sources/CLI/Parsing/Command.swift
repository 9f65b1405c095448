/// A command of `mlwb`: a leaf that runs (`show`, `checkpoints get`) or a group of subcommands
/// (`checkpoints`), each with its own spec and options.
public protocol Command: SendableMetatype {
    /// Word, arguments, options and help text.
    static var spec: CommandSpec { get }
    /// For groups: the subcommands, in the order help lists them (empty for leaves).
    static var subcommands: [any Command.Type] { get }
    /// For groups: what runs when no subcommand is named (nil: naming one is required).
    static var defaultSubcommand: (any Command.Type)? { get }
    /// Runs the command; returns the process exit status.
    static func run(_ arguments: ParsedArguments, in context: CommandContext) throws -> Int32
}

extension Command {
    public static var subcommands: [any Command.Type] { [] }
    public static var defaultSubcommand: (any Command.Type)? { nil }
}

/// A group's body: groups never run themselves (the dispatcher always picks a subcommand).
public protocol CommandGroup: Command {}

extension CommandGroup {
    public static func run(_ arguments: ParsedArguments, in context: CommandContext) throws -> Int32 {
        throw UsageError("name a subcommand: " + subcommands.map { $0.spec.name }.joined(separator: ", "))
    }
}

/// Exit statuses shared by every subcommand.
public enum ExitStatus {
    public static let success: Int32 = 0
    /// A runtime failure: bad input file, failed write, download error.
    public static let failure: Int32 = 1
    /// A usage mistake: unknown option, missing argument, bad value.
    public static let usage: Int32 = 2
    /// Interrupted by Ctrl-C (128 + SIGINT).
    public static let interrupted: Int32 = 130
}
