import Foundation

/// A typed command-line option, declared once: its `spec` is what help prints and the parser accepts,
/// and `ParsedArguments[option]` reads its value, checked against its type and range.
///
/// ```swift
/// static let top = Option<Int>("top", short: "k", default: 5, in: 1...1000, help: "How many classes to print")
/// let k = try arguments[top]
/// ```
public struct Option<Value: Sendable>: Sendable {
    /// The option as help and the parser see it.
    public let spec: OptionSpec
    private let read: @Sendable (_ given: [String]) throws -> Value

    /// An option read by `read` from every value given on the command line (empty when absent).
    public init(spec: OptionSpec, read: @escaping @Sendable (_ given: [String]) throws -> Value) {
        self.spec = spec
        self.read = read
    }

    /// The option's value from the texts given for it.
    func value(from given: [String]) throws -> Value { try read(given) }

    /// The long name with dashes, for messages.
    public var flagName: String { "--" + spec.long }
}

// MARK: - Building blocks

extension Option {
    /// A single-valued option: `parse` turns the text into a value (throwing a `UsageError`), `fallback`
    /// is used when the option is absent.
    public static func single(_ spec: OptionSpec, fallback: Value,
                              parse: @escaping @Sendable (String) throws -> Value) -> Option<Value> {
        Option(spec: spec) { given in
            guard let text = given.last else { return fallback }
            return try parse(text)
        }
    }
}

/// Parses and range-checks numbers for options and inline `key=value` lists.
enum OptionValue {
    static func integer(_ text: String, name: String, in range: ClosedRange<Int>?) throws -> Int {
        guard let v = Int(text.trimmingCharacters(in: .whitespaces)) else { throw UsageError("\(name) expects a whole number, got '\(text)'") }
        if let range, !range.contains(v) { throw UsageError("\(name) must be in \(rangeText(range)), got \(v)") }
        return v
    }

    static func number(_ text: String, name: String, in range: ClosedRange<Double>?) throws -> Double {
        guard let v = Double(text.trimmingCharacters(in: .whitespaces)), v.isFinite else {
            throw UsageError("\(name) expects a number, got '\(text)'")
        }
        if let range, !range.contains(v) { throw UsageError("\(name) must be in \(rangeText(range)), got \(format(v))") }
        return v
    }

    static func rangeText(_ range: ClosedRange<Int>) -> String { "\(range.lowerBound)–\(range.upperBound)" }
    static func rangeText(_ range: ClosedRange<Double>) -> String { "\(format(range.lowerBound))–\(format(range.upperBound))" }

    /// A number as help prints it: `0.5`, `3`, `127.7`.
    static func format(_ v: Double) -> String {
        if v != 0, abs(v) >= 1e6 || abs(v) < 1e-4 { return String(format: "%g", v) }
        return v == v.rounded() ? String(Int64(v)) : String(v)
    }
}

// MARK: - Common kinds

extension Option where Value == String? {
    /// An optional text value (a path, a URL, a name).
    public init(_ long: String, short: Character? = nil, value: String, help: String) {
        self = .single(OptionSpec(long, short: short, value: value, help: help), fallback: nil) { $0 }
    }
}

extension Option where Value == String? {
    /// One of `choices`, or nil when absent.
    public init(_ long: String, short: Character? = nil, choices: [String], help: String) {
        let name = "--" + long
        self = .single(OptionSpec(long, short: short, value: choices.joined(separator: "|"), help: help), fallback: nil) { text in
            guard choices.contains(text) else {
                throw UsageError("\(name) must be one of \(choices.joined(separator: ", ")), got '\(text)'" + Suggestion.phrase(for: text, among: choices))
            }
            return text
        }
    }
}

extension Option where Value == String {
    /// A text value with a default.
    public init(_ long: String, short: Character? = nil, value: String, default fallback: String, help: String) {
        self = .single(OptionSpec(long, short: short, value: value, help: help, defaultText: fallback), fallback: fallback) { $0 }
    }

    /// One of `choices`, with a default.
    public init(_ long: String, short: Character? = nil, choices: [String], default fallback: String, help: String) {
        let name = "--" + long
        let spec = OptionSpec(long, short: short, value: choices.count <= 4 ? choices.joined(separator: "|") : "NAME", help: help,
                              defaultText: fallback, rangeText: choices.count <= 4 ? nil : choices.joined(separator: ", "))
        self = .single(spec, fallback: fallback) { text in
            guard choices.contains(text) else {
                throw UsageError("\(name) must be one of \(choices.joined(separator: ", ")), got '\(text)'" + Suggestion.phrase(for: text, among: choices))
            }
            return text
        }
    }
}

extension Option where Value == [String] {
    /// A repeatable text value; every occurrence is kept, in order.
    public init(_ long: String, short: Character? = nil, repeating value: String, help: String) {
        self.init(spec: OptionSpec(long, short: short, value: value, help: help, repeatable: true)) { $0 }
    }
}

extension Option where Value == Bool {
    /// A flag: false unless given.
    public init(flag long: String, short: Character? = nil, help: String) {
        self.init(spec: OptionSpec(long, short: short, help: help)) { given in given.last.map { $0 == "true" } ?? false }
    }
}

extension Option where Value == Int {
    /// A whole number in `range`, with a default.
    public init(_ long: String, short: Character? = nil, value: String = "N", default fallback: Int, in range: ClosedRange<Int>,
                help: String) {
        let name = "--" + long
        let spec = OptionSpec(long, short: short, value: value, help: help, defaultText: String(fallback), rangeText: OptionValue.rangeText(range))
        self = .single(spec, fallback: fallback) { try OptionValue.integer($0, name: name, in: range) }
    }
}

extension Option where Value == Int? {
    /// An optional whole number in `range`.
    public init(_ long: String, short: Character? = nil, value: String = "N", in range: ClosedRange<Int>, help: String) {
        let name = "--" + long
        let spec = OptionSpec(long, short: short, value: value, help: help, rangeText: OptionValue.rangeText(range))
        self = .single(spec, fallback: nil) { try OptionValue.integer($0, name: name, in: range) }
    }
}

extension Option where Value == Double {
    /// A number in `range`, with a default.
    public init(_ long: String, short: Character? = nil, value: String = "X", default fallback: Double, in range: ClosedRange<Double>,
                help: String) {
        let name = "--" + long
        let spec = OptionSpec(long, short: short, value: value, help: help, defaultText: OptionValue.format(fallback),
                              rangeText: OptionValue.rangeText(range))
        self = .single(spec, fallback: fallback) { try OptionValue.number($0, name: name, in: range) }
    }
}

extension Option where Value == Double? {
    /// An optional number in `range`.
    public init(_ long: String, short: Character? = nil, value: String = "X", in range: ClosedRange<Double>, help: String) {
        let name = "--" + long
        let spec = OptionSpec(long, short: short, value: value, help: help, rangeText: OptionValue.rangeText(range))
        self = .single(spec, fallback: nil) { try OptionValue.number($0, name: name, in: range) }
    }
}
