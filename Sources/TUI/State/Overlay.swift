import Glibc

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
    /// The log of messages and errors; `selected` is the entry ↑/↓ move and `y` copies (past the
    /// end: the last, following new entries).
    case log(selected: Int)
    /// A y/n question.
    case confirm(Confirmation)
    /// A fixed listing (checkpoints, datasets, themes; scrollable).
    case output(title: String, lines: [String], scroll: Int)
    /// A command's live output (`scroll` nil follows the end while it runs).
    case command(id: Int, scroll: Int?)
    /// Past runs (`AppState.history`), newest first, with one selected.
    case history(selected: Int)
}

/// How serious a log line is.
public enum LogLevel: String, Equatable, Sendable {
    case info, warning, error
}

/// One line of the log overlay.
public struct LogEntry: Equatable, Sendable {
    public var level: LogLevel
    public var text: String
    /// When it was posted, on the wall clock (seconds since 1970; 0 when unknown).
    public var time: Double
    public init(level: LogLevel, text: String, time: Double = 0) { self.level = level; self.text = text; self.time = time }

    /// The local time of day it was posted, `HH:MM:SS`.
    public var timeOfDay: String {
        var seconds = time_t(time.rounded(.down))
        var parts = tm()
        guard time > 0, localtime_r(&seconds, &parts) != nil else { return "--:--:--" }
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))"
    }
}
