/// What help and the parser know of one `--long` option: names, value placeholder, help text, and
/// the default and range that help prints. Typed `Option`s and model parameters both produce one.
public struct OptionSpec: Sendable, Equatable {
    /// The long name, without the dashes (`onset-threshold`).
    public var long: String
    /// The one-letter short form (`-o`), if any.
    public var short: Character?
    /// The placeholder for the value (`OUT.png`); nil makes the option a flag.
    public var valueName: String?
    /// One line of help.
    public var help: String
    /// The default, as help prints it.
    public var defaultText: String?
    /// The allowed values, as help prints them (`0.01–0.99`, `a|b|c`).
    public var rangeText: String?
    /// Whether the option may be given several times (every value is kept).
    public var repeatable: Bool
    /// For flags: whether `--no-NAME` turns it off (flags that default to on).
    public var negatable: Bool

    /// An option; `value == nil` makes it a flag.
    public init(_ long: String, short: Character? = nil, value: String? = nil, help: String, defaultText: String? = nil,
                rangeText: String? = nil, repeatable: Bool = false, negatable: Bool = false) {
        self.long = long; self.short = short; self.valueName = value; self.help = help
        self.defaultText = defaultText; self.rangeText = rangeText; self.repeatable = repeatable; self.negatable = negatable
    }

    /// Whether the option is a flag (takes no value).
    public var isFlag: Bool { valueName == nil }

    // MARK: Help

    /// The left column of help: `-o, --output OUT.png` or `--[no-]melodia`.
    public var synopsis: String {
        var text = short.map { "-\($0), " } ?? ""
        text += negatable ? "--[no-]\(long)" : "--\(long)"
        if let valueName { text += " \(valueName)" }
        return text
    }

    /// The right column of help: the text, then the allowed values and the default.
    public var helpLine: String {
        var notes: [String] = []
        if let rangeText { notes.append(rangeText) }
        if let defaultText { notes.append("default: \(defaultText)") }
        return notes.isEmpty ? help : help + " (" + notes.joined(separator: "; ") + ")"
    }
}
