import Remote

/// The download options every fetching command takes (`download`, `checkpoints get`, `datasets get`),
/// on top of `MLWB_MIRROR`, `MLWB_OFFLINE` and `MLWB_SYNC_DOWNLOADS` from the environment.
enum DownloadOptionSet {
    private static let defaults = DownloadOptions()

    static let sync = Option<Bool>(flag: "sync",
                                   help: "Flush the file to disk (fsync) before renaming it into place (slower; also MLWB_SYNC_DOWNLOADS=1)")
    static let retries = Option<Int>("retries", default: defaults.retry.retries, in: 0...100,
                                     help: "Retries after a failed attempt, with backoff (counted again from 0 after one that made progress)")
    static let timeout: Option<Double?> = .single(
        OptionSpec("timeout", value: "SECONDS", help: "Retry an attempt that takes this long to connect, or then this long without a byte",
                   defaultText: "\(OptionValue.format(defaults.connectTimeout)) s to connect, \(OptionValue.format(defaults.stallTimeout)) s without data",
                   rangeText: OptionValue.rangeText(timeoutRange)), fallback: nil) { try OptionValue.number($0, name: "--timeout", in: timeoutRange) }
    private static let timeoutRange: ClosedRange<Double> = 1...86_400
    static let quiet = Option<Bool>(flag: "quiet", short: "q", help: "No progress bar or notes; only the result line and errors")

    /// The options' specs, in help order.
    static let specs: [OptionSpec] = [sync.spec, retries.spec, timeout.spec, quiet.spec]

    /// The environment's download options with the command line's on top.
    static func options(_ arguments: ParsedArguments, environment: [String: String]) throws -> DownloadOptions {
        var options = DownloadOptions.from(environment: environment)
        if try arguments[sync] { options.syncToDisk = true }
        options.retry.retries = try arguments[retries]
        if let seconds = try arguments[timeout] {
            options.connectTimeout = seconds
            options.stallTimeout = seconds
        }
        return options
    }

    /// A progress display on standard error (bars on a terminal, lines in a log; nothing with `--quiet`).
    static func display(_ arguments: ParsedArguments, context: CommandContext) throws -> ProgressDisplay? {
        try arguments[quiet] ? nil : ProgressDisplay(interactive: context.stderrIsTTY, columns: context.terminalSize.columns)
    }
}
