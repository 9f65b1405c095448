/// What a command accepts and how help describes it: its word, positional arguments, options,
/// and (for groups such as `checkpoints`) the subcommands listed in its help.
public struct CommandSpec: Sendable {
    /// One positional argument.
    public struct Positional: Sendable {
        public var name: String
        public var help: String
        public var optional: Bool
        public var variadic: Bool
        public init(_ name: String, _ help: String, optional: Bool = false, variadic: Bool = false) {
            self.name = name; self.help = help; self.optional = optional; self.variadic = variadic
        }
    }

    /// The word that names the command (`get` in `mlwb checkpoints get`).
    public var name: String
    /// Other words that run it (`ls` for `list`).
    public var aliases: [String]
    /// One line for lists of commands.
    public var abstract: String
    public var positionals: [Positional]
    public var options: [OptionSpec]
    /// Paragraphs printed after the options.
    public var discussion: String
    public var examples: [String]

    public init(name: String, aliases: [String] = [], abstract: String, positionals: [Positional] = [],
                options: [OptionSpec] = [], discussion: String = "", examples: [String] = []) {
        self.name = name; self.aliases = aliases; self.abstract = abstract; self.positionals = positionals
        self.options = options; self.discussion = discussion; self.examples = examples
    }

    /// Whether `word` names this command.
    public func answers(to word: String) -> Bool { word == name || aliases.contains(word) }

    // MARK: Help

    /// One-line usage: `mlwb PATH [options] ARG...`, where `path` is the full command (`checkpoints get`).
    public func usageLine(path: String) -> String {
        var parts = ["mlwb", path]
        if !options.isEmpty { parts.append("[options]") }
        for p in positionals {
            let word = p.variadic ? "\(p.name)..." : p.name
            parts.append(p.optional ? "[\(word)]" : word)
        }
        return parts.joined(separator: " ")
    }

    /// The full help page of a command with no subcommands.
    public func helpText(path: String) -> String {
        var lines = ["\(path) — \(abstract)", "", "USAGE: \(usageLine(path: path))"]
        if !aliases.isEmpty { lines.append("       (also: " + aliases.map { "mlwb " + path.replacingLast(with: $0) }.joined(separator: ", ") + ")") }
        if !positionals.isEmpty {
            lines += ["", "ARGUMENTS:"]
            for p in positionals { lines.append(Self.row(p.name, p.help)) }
        }
        lines += ["", "OPTIONS:"]
        for o in options { lines.append(Self.row(o.synopsis, o.helpLine)) }
        lines.append(Self.row("-h, --help", "Show this help."))
        appendDiscussion(to: &lines)
        return lines.joined(separator: "\n")
    }

    /// The help page of a group: its subcommands with their abstracts.
    public func groupHelpText(path: String, subcommands: [CommandSpec], defaultSubcommand: String?) -> String {
        var lines = ["\(path) — \(abstract)", "", "USAGE: mlwb \(path) SUBCOMMAND [options] [arguments]"]
        if let defaultSubcommand { lines.append("       mlwb \(path)   (same as 'mlwb \(path) \(defaultSubcommand)')") }
        lines += ["", "SUBCOMMANDS:"]
        for sub in subcommands {
            let name = sub.aliases.isEmpty ? sub.name : sub.name + " (" + sub.aliases.joined(separator: ", ") + ")"
            lines.append(Self.row(name, sub.abstract))
        }
        appendDiscussion(to: &lines)
        lines += ["", "Run 'mlwb help \(path) SUBCOMMAND' for its arguments and options."]
        return lines.joined(separator: "\n")
    }

    private func appendDiscussion(to lines: inout [String]) {
        if !discussion.isEmpty { lines += ["", discussion] }
        if !examples.isEmpty { lines += ["", "EXAMPLES:"] + examples.map { "  \($0)" } }
    }

    /// A help row: the left column padded to 30 characters (longer ones push the text along).
    static func row(_ left: String, _ right: String) -> String {
        let pad = max(2, 30 - left.count)
        return "  " + left + String(repeating: " ", count: pad) + right
    }
}

private extension String {
    /// The path with its last word replaced (`checkpoints list` → `checkpoints ls`).
    func replacingLast(with word: String) -> String {
        guard let space = lastIndex(of: " ") else { return word }
        return String(self[...space]) + word
    }
}
