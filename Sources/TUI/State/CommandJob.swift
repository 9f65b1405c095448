/// A CLI command run from the `:` line: it runs on its own thread while the workbench stays live,
/// its output streaming in here (and into the command overlay while that is open).
public struct CommandJob: Equatable, Sendable {
    /// Lines kept per command (the oldest go first).
    public static let lineLimit = 5000

    public var id: Int
    /// The words after `mlwb`.
    public var words: [String]
    /// Complete lines so far.
    public private(set) var lines: [String] = []
    /// The line being written (a progress bar rewrites it with `\r`).
    public private(set) var partial = ""
    /// The exit status once finished; nil while running.
    public var status: Int32?
    /// Whether the user asked it to stop.
    public var cancelling = false
    public var startedAt: Double

    public init(id: Int, words: [String], startedAt: Double) {
        self.id = id; self.words = words; self.startedAt = startedAt
    }

    /// `mlwb WORDS…`.
    public var title: String { (["mlwb"] + words).joined(separator: " ") }

    public var isRunning: Bool { status == nil }

    /// Every line including the one being written.
    public var allLines: [String] { partial.isEmpty ? lines : lines + [partial] }

    /// Adds output: `\n` ends a line, `\r` starts the current one again (progress bars overwrite themselves).
    public mutating func append(_ text: String) {
        for ch in text {
            switch ch {
            case "\n", "\r\n":
                lines.append(partial)
                partial = ""
            case "\r":
                partial = ""
            default:
                partial.append(ch)
            }
        }
        if lines.count > Self.lineLimit { lines.removeFirst(lines.count - Self.lineLimit) }
    }

    /// The first non-empty line, without a leading `mlwb CMD:` (the title already names the command).
    public var reason: String? {
        guard var text = allLines.first(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) else { return nil }
        if text.hasPrefix("mlwb"), let colon = text.range(of: ": ") { text = String(text[colon.upperBound...]) }
        return text
    }
}
