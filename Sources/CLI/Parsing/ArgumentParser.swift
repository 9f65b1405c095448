/// A small, strict command-line parser: `--long value`, `--long=value`, `-s value`, flags and their
/// `--no-` forms, repeatable options, `--` to end options; negative numbers are values, not options.
/// An option the command does not have is a usage error with a did-you-mean.
public enum ArgumentParser {
    /// Parses `arguments` (after the command's words) against `spec`; `path` names the command in errors,
    /// `elsewhere` maps options of related commands (siblings) to the command that has them.
    public static func parse(_ arguments: [String], spec: CommandSpec, path: String? = nil,
                             elsewhere: [String: String] = [:]) throws -> ParsedArguments {
        let path = path ?? spec.name
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
            var negated = false
            let option: OptionSpec
            if word.hasPrefix("--") {
                let body = word.dropFirst(2)
                if let eq = body.firstIndex(of: "=") {
                    name = String(body[..<eq]); inlineValue = String(body[body.index(after: eq)...])
                } else {
                    name = String(body)
                }
                if let found = spec.options.first(where: { $0.long == name }) {
                    option = found
                } else if name.hasPrefix("no-"), let found = spec.options.first(where: { $0.negatable && $0.long == String(name.dropFirst(3)) }) {
                    option = found
                    negated = true
                    name = found.long
                } else {
                    throw unknownOption("--" + name, spec: spec, path: path, elsewhere: elsewhere[name])
                }
            } else {
                let letter = word.dropFirst()
                guard letter.count == 1, let found = spec.options.first(where: { $0.short == letter.first }) else {
                    throw unknownOption(word, spec: spec, path: path, elsewhere: nil)
                }
                option = found
                name = found.long
            }

            let value: String
            if option.isFlag {
                guard inlineValue == nil else { throw UsageError("--\(name) is a flag and takes no value") }
                value = negated ? "false" : "true"
            } else if let inline = inlineValue {
                value = inline
            } else {
                guard index < arguments.count else {
                    throw UsageError("option '--\(name)' needs a value (\(option.valueName ?? "VALUE"))")
                }
                value = arguments[index]
                index += 1
            }
            if !option.repeatable, !option.isFlag, result.contains(name) {
                throw UsageError("option '--\(name)' given more than once")
            }
            result.append(value, for: name)
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
        let required = spec.positionals.filter { !$0.optional }
        let variadic = spec.positionals.contains { $0.variadic }
        if given.count < required.count {
            let missing = required[given.count]
            throw UsageError("missing argument \(missing.name) (\(missing.help))")
        }
        if !variadic, given.count > spec.positionals.count {
            throw UsageError("unexpected argument '\(given[spec.positionals.count])'")
        }
    }

    private static func unknownOption(_ word: String, spec: CommandSpec, path: String, elsewhere owner: String?) -> UsageError {
        var message = "unknown option '\(word)' for '\(path)'"
        if let owner {
            message += " (it is an option of '\(owner)')"
        } else if word.hasPrefix("--") {
            var names = spec.options.map(\.long)
            names += spec.options.filter(\.negatable).map { "no-" + $0.long }
            message += Suggestion.phrase(for: String(word.dropFirst(2)), among: names, prefix: "--")
        }
        return UsageError(message)
    }
}
