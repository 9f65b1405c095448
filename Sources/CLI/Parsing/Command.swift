/// A subcommand of `mlwb`: its spec and what it does with parsed arguments.
public protocol Command {
    /// Name, arguments, options and help text.
    static var spec: CommandSpec { get }
    /// Runs the command; returns the process exit status.
    static func run(_ arguments: ParsedArguments, in context: CommandContext) throws -> Int32
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
