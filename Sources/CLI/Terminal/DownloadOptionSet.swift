import Remote

/// The download options every fetching command takes (`download`, `checkpoints get`, `datasets get`),
/// on top of `MLWB_MIRROR`, `MLWB_OFFLINE` and `MLWB_SYNC_DOWNLOADS` from the environment.
enum DownloadOptionSet {
    static let sync = Option<Bool>(flag: "sync",
                                   help: "Flush the file to disk (fsync) before renaming it into place (slower; also MLWB_SYNC_DOWNLOADS=1)")
    static let retries = Option<Int?>("retries", in: 1...100, help: "Attempts in a row without progress before giving up (default: 6)")
    static let timeout = Option<Double?>("timeout", value: "SECONDS", in: 1...86_400,
                                         help: "Give up an attempt after this long without a byte, then retry (default: 60)")
    static let quiet = Option<Bool>(flag: "quiet", short: "q", help: "No progress bar; only the result and errors")

    /// The options' specs, in help order.
    static let specs: [OptionSpec] = [sync.spec, retries.spec, timeout.spec, quiet.spec]

    /// The environment's download options with the command line's on top.
    static func options(_ arguments: ParsedArguments, environment: [String: String]) throws -> DownloadOptions {
        var options = DownloadOptions.from(environment: environment)
        if try arguments[sync] { options.syncToDisk = true }
        if let attempts = try arguments[retries] { options.retry.maxAttempts = attempts }
        if let seconds = try arguments[timeout] { options.stallTimeout = seconds; options.connectTimeout = min(options.connectTimeout, seconds) }
        return options
    }

    /// A progress display on standard error (bars on a terminal, lines in a log; nothing with `--quiet`).
    static func display(_ arguments: ParsedArguments, context: CommandContext) throws -> ProgressDisplay? {
        try arguments[quiet] ? nil : ProgressDisplay(interactive: context.stderrIsTTY, columns: context.terminalSize.columns)
    }
}
