/// What a subcommand accepts: its positional arguments and options, with help text.
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

    /// One `--long` option (with an optional `-s` short form); `valueName == nil` makes it a flag.
    public struct Option: Sendable {
        public var long: String
        public var short: Character?
        public var valueName: String?
        public var help: String
        public var defaultValue: String?
        public var repeatable: Bool
        public init(_ long: String, short: Character? = nil, value: String? = nil, default defaultValue: String? = nil,
                    repeatable: Bool = false, _ help: String) {
            self.long = long; self.short = short; self.valueName = value; self.help = help
            self.defaultValue = defaultValue; self.repeatable = repeatable
        }
        /// Whether the option is a flag (takes no value).
        public var isFlag: Bool { valueName == nil }
    }

    public var name: String
    public var abstract: String
    public var positionals: [Positional]
    public var options: [Option]
    public var discussion: String
    /// Subcommand words for commands like `checkpoints list` (shown in help only).
    public var examples: [String]

    public init(name: String, abstract: String, positionals: [Positional] = [], options: [Option] = [],
                discussion: String = "", examples: [String] = []) {
        self.name = name; self.abstract = abstract; self.positionals = positionals
        self.options = options; self.discussion = discussion; self.examples = examples
    }

    // MARK: Help

    /// One-line usage: `mlwb NAME [options] ARG...`.
    public var usageLine: String {
        var parts = ["mlwb", name]
        if !options.isEmpty { parts.append("[options]") }
        for p in positionals {
            let word = p.variadic ? "\(p.name)..." : p.name
            parts.append(p.optional ? "[\(word)]" : word)
        }
        return parts.joined(separator: " ")
    }

    /// The full help page for `mlwb help NAME`.
    public var helpText: String {
        var lines = ["\(name) — \(abstract)", "", "USAGE: \(usageLine)"]
        if !positionals.isEmpty {
            lines += ["", "ARGUMENTS:"]
            for p in positionals { lines.append(Self.row(p.name, p.help)) }
        }
        if !options.isEmpty {
            lines += ["", "OPTIONS:"]
            for o in options {
                var left = o.short.map { "-\($0), " } ?? ""
                left += "--\(o.long)"
                if let v = o.valueName { left += " \(v)" }
                var help = o.help
                if let d = o.defaultValue { help += " (default: \(d))" }
                lines.append(Self.row(left, help))
            }
        }
        lines.append(Self.row("-h, --help", "Show this help."))
        if !discussion.isEmpty { lines += ["", discussion] }
        if !examples.isEmpty { lines += ["", "EXAMPLES:"] + examples.map { "  \($0)" } }
        return lines.joined(separator: "\n")
    }

    private static func row(_ left: String, _ right: String) -> String {
        let pad = max(2, 26 - left.count)
        return "  " + left + String(repeating: " ", count: pad) + right
    }
}
