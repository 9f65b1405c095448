/// A question the workbench waits for y/n on.
public enum Confirmation: Equatable, Sendable {
    /// Quit although work is running (`reason` says what).
    case quit(reason: String)
    /// Download missing checkpoints, then run the model.
    case downloadCheckpoints(ids: [String], modelID: String, message: String)
    /// Download (and unpack) a dataset: its size and licence come first.
    case downloadDataset(id: String, message: String)
}

/// A window drawn over the panes; while one is open it takes every key.
public enum Overlay: Equatable, Sendable {
    /// Every key binding (scrollable).
    case help(scroll: Int)
    /// The log of messages and errors (scrollable).
    case log(scroll: Int)
    /// A y/n question.
    case confirm(Confirmation)
    /// A fixed listing (checkpoints, datasets, themes; scrollable).
    case output(title: String, lines: [String], scroll: Int)
    /// A command's live output (`scroll` nil follows the end while it runs).
    case command(id: Int, scroll: Int?)
}

/// How serious a log line is.
public enum LogLevel: String, Equatable, Sendable {
    case info, warning, error
}

/// One line of the log overlay.
public struct LogEntry: Equatable, Sendable {
    public var level: LogLevel
    public var text: String
    public init(level: LogLevel, text: String) { self.level = level; self.text = text }
}
