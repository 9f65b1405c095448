import Foundation

/// A usage mistake on the command line; the CLI prints it with the usage line and exits with status 2.
public struct UsageError: Error, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// The parsed command line of one command: positionals in order and the texts given for each option.
/// Values are read through typed `Option`s (`try arguments[Self.top]`), never by name.
public struct ParsedArguments: Sendable {
    /// Positional arguments in order.
    public var positionals: [String] = []
    /// Texts given per option long name, in command-line order (flags hold "true" or "false").
    private(set) var given: [String: [String]] = [:]
    /// Whether `-h`/`--help` was given.
    public var helpRequested = false

    public init() {}

    /// Records a text given for the option `long`.
    mutating func append(_ text: String, for long: String) { given[long, default: []].append(text) }

    /// The texts given for the option `long` (empty when absent).
    func texts(_ long: String) -> [String] { given[long] ?? [] }

    /// Whether the option `long` was given at all.
    public func contains(_ long: String) -> Bool { given[long] != nil }

    /// The value of `option`, checked against its type and range (its default when absent).
    public subscript<Value: Sendable>(_ option: Option<Value>) -> Value {
        get throws { try option.value(from: texts(option.spec.long)) }
    }

    /// The same arguments with the texts of option `from` read as option `to` (e.g. `--show-size` as `--size`).
    public func renaming(_ from: String, to: String) -> ParsedArguments {
        var copy = self
        copy.given[to] = given[from]
        return copy
    }

    // MARK: Inline key=value lists

    /// Arguments from an inline list such as `arcs:period=30,blend=0.2` (already split into `pairs`),
    /// accepting only the keys of `options`; `owner` names the list in errors. A key without a value is
    /// a flag that is on.
    public init(pairs: [(key: String, value: String?)], accepting options: [OptionSpec], owner: String) throws {
        for (key, value) in pairs {
            guard let option = options.first(where: { $0.long == key }) else {
                throw UsageError("\(owner) has no setting '\(key)'" + Suggestion.phrase(for: key, among: options.map(\.long))
                    + "; it takes " + options.map(\.long).joined(separator: ", "))
            }
            if option.isFlag {
                switch value?.lowercased() {
                case nil, "", "1", "true", "yes", "on": append("true", for: key)
                case "0", "false", "no", "off": append("false", for: key)
                default: throw UsageError("\(owner): \(key) is on or off (key alone, or key=yes|no), got '\(value!)'")
                }
            } else {
                guard let value, !value.isEmpty else { throw UsageError("\(owner): \(key) needs a value (\(key)=\(option.valueName ?? "VALUE"))") }
                append(value, for: key)
            }
        }
    }

    /// Splits `k=v,k=x,y,flag` into pairs, keeping commas inside values such as `0.5,0.5` (a bare number
    /// continues the value before it; a bare word is a flag).
    public static func splitPairs(_ text: String) -> [(key: String, value: String?)] {
        var pieces: [String] = []
        for piece in text.split(separator: ",", omittingEmptySubsequences: true).map(String.init) {
            let continuesValue = !piece.contains("=") && Double(piece.trimmingCharacters(in: .whitespaces)) != nil
                && pieces.last?.contains("=") == true
            if continuesValue { pieces[pieces.count - 1] += "," + piece } else { pieces.append(piece) }
        }
        return pieces.map { piece in
            guard let eq = piece.firstIndex(of: "=") else { return (piece, nil) }
            return (String(piece[..<eq]), String(piece[piece.index(after: eq)...]))
        }
    }
}
