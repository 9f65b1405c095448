/// A usage mistake on the command line; the CLI prints it with the usage line and exits with status 2.
public struct UsageError: Error, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// The parsed command line of one subcommand.
public struct ParsedArguments: Sendable {
    /// Positional arguments in order.
    public var positionals: [String] = []
    /// Option values by long name, in command-line order (flags hold "true").
    public var values: [String: [String]] = [:]
    /// Whether `-h`/`--help` was given.
    public var helpRequested = false

    /// The last value given for `--name`, or nil.
    public func value(_ name: String) -> String? { values[name]?.last }
    /// Every value given for a repeatable `--name`.
    public func all(_ name: String) -> [String] { values[name] ?? [] }
    /// Whether the flag `--name` was given.
    public func flag(_ name: String) -> Bool { values[name] != nil }

    /// The value of `--name` as an integer in `range`, or `fallback` when absent.
    public func int(_ name: String, default fallback: Int, in range: ClosedRange<Int> = Int.min...Int.max) throws -> Int {
        guard let text = value(name) else { return fallback }
        guard let v = Int(text) else { throw UsageError("--\(name) expects an integer, got '\(text)'") }
        guard range.contains(v) else { throw UsageError("--\(name) must be in \(range.lowerBound)...\(range.upperBound), got \(v)") }
        return v
    }

    /// The value of `--name` as a number in `range`, or `fallback` when absent.
    public func double(_ name: String, default fallback: Double,
                       in range: ClosedRange<Double> = -Double.greatestFiniteMagnitude...Double.greatestFiniteMagnitude) throws -> Double {
        guard let text = value(name) else { return fallback }
        guard let v = Double(text), v.isFinite else { throw UsageError("--\(name) expects a number, got '\(text)'") }
        guard range.contains(v) else { throw UsageError("--\(name) must be in \(range.lowerBound)...\(range.upperBound), got \(v)") }
        return v
    }

    /// The value of `--name` parsed as `A,B` numbers (e.g. a point or a size), or `fallback`.
    public func pair(_ name: String, default fallback: (Double, Double), separators: Set<Character> = [",", "x"]) throws -> (Double, Double) {
        guard let text = value(name) else { return fallback }
        let parts = text.split(whereSeparator: { separators.contains($0) }).map(String.init)
        guard parts.count == 2, let a = Double(parts[0]), let b = Double(parts[1]) else {
            throw UsageError("--\(name) expects two numbers like 0.5,0.5, got '\(text)'")
        }
        return (a, b)
    }
}

/// A small, strict command-line parser: `--long value`, `--long=value`, `-s value`, flags,
/// repeatable options, `--` to end options; negative numbers are values, not options.
public enum ArgumentParser {
    /// Parses `arguments` (without the program and subcommand names) against `spec`.
    public static func parse(_ arguments: [String], spec: CommandSpec) throws -> ParsedArguments {
        var result = ParsedArguments()
        var index = 0
        var optionsEnded = false
        while index < arguments.count {
            let word = arguments[index]
            index += 1
            if optionsEnded || !looksLikeOption(word) {
                result.positionals.append(word)
                continue
            }
            if word == "--" { optionsEnded = true; continue }
            if word == "-h" || word == "--help" { result.helpRequested = true; continue }

            var name: String
            var inlineValue: String?
            let option: CommandSpec.Option
            if word.hasPrefix("--") {
                let body = word.dropFirst(2)
                if let eq = body.firstIndex(of: "=") {
                    name = String(body[..<eq]); inlineValue = String(body[body.index(after: eq)...])
                } else {
                    name = String(body)
                }
                guard let found = spec.options.first(where: { $0.long == name }) else {
                    throw UsageError("unknown option '--\(name)' for '\(spec.name)'" + suggestion(for: name, in: spec))
                }
                option = found
            } else {
                let letter = word.dropFirst()
                guard letter.count == 1, let found = spec.options.first(where: { $0.short == letter.first }) else {
                    throw UsageError("unknown option '\(word)' for '\(spec.name)'")
                }
                option = found
                name = found.long
            }

            let value: String
            if option.isFlag {
                guard inlineValue == nil else { throw UsageError("--\(name) is a flag and takes no value") }
                value = "true"
            } else if let inline = inlineValue {
                value = inline
            } else {
                guard index < arguments.count else {
                    throw UsageError("option '--\(name)' needs a value (\(option.valueName ?? "VALUE"))")
                }
                value = arguments[index]
                index += 1
            }
            if !option.repeatable, result.values[name] != nil, !option.isFlag {
                throw UsageError("option '--\(name)' given more than once")
            }
            result.values[name, default: []].append(value)
        }
        if result.helpRequested { return result }
        try checkPositionals(result.positionals, spec: spec)
        return result
    }

    private static func looksLikeOption(_ word: String) -> Bool {
        guard word.hasPrefix("-"), word.count > 1 else { return false }
        // "-0.5" and "-3" are numbers, not options.
        let rest = word.dropFirst()
        if let first = rest.first, first.isNumber || first == "." { return false }
        return true
    }

    private static func checkPositionals(_ given: [String], spec: CommandSpec) throws {
        let required = spec.positionals.filter { !$0.optional }.count
        let variadic = spec.positionals.contains { $0.variadic }
        if given.count < required {
            let missing = spec.positionals.filter { !$0.optional }[given.count]
            throw UsageError("missing argument \(missing.name) (\(missing.help))")
        }
        if !variadic, given.count > spec.positionals.count {
            throw UsageError("unexpected argument '\(given[spec.positionals.count])'")
        }
    }

    private static func suggestion(for name: String, in spec: CommandSpec) -> String {
        let close = spec.options.map(\.long).filter { $0.hasPrefix(String(name.prefix(2))) }
        return close.isEmpty ? "" : " (did you mean --\(close[0])?)"
    }
}
