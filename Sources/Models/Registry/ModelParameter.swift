/// One typed, user-editable parameter of a model, described well enough for a UI to render a form
/// and for the CLI to parse an option.
public struct ModelParameter: Sendable, Equatable {
    /// The kind of value and its allowed range or choices.
    public enum Kind: Sendable, Equatable {
        case int(ClosedRange<Int>)
        case double(ClosedRange<Double>)
        case bool
        case choice([String])
        case text
        /// A file path of the given media kind ("image", "audio", "mask", "midi").
        case path(String)
    }

    /// The key used by the CLI (`--name`) and in `ModelParameters` (e.g. "octave-scale").
    public var name: String
    /// The label a form shows.
    public var label: String
    /// One line of help.
    public var help: String
    public var kind: Kind
    public var defaultValue: ParameterValue

    public init(_ name: String, label: String? = nil, kind: Kind, default defaultValue: ParameterValue, help: String) {
        self.name = name
        self.label = label ?? name
        self.kind = kind
        self.defaultValue = defaultValue
        self.help = help
    }

    /// Parses and checks a value typed by a user; the error says what is allowed.
    public func parse(_ text: String) throws -> ParameterValue {
        let value: ParameterValue
        switch kind {
        case .int:
            guard let v = Int(text.trimmingCharacters(in: .whitespaces)) else { throw ParameterError("\(name) expects a whole number, got '\(text)'") }
            value = .int(v)
        case .double:
            guard let v = Double(text.trimmingCharacters(in: .whitespaces)), v.isFinite else { throw ParameterError("\(name) expects a number, got '\(text)'") }
            value = .double(v)
        case .bool:
            switch text.lowercased() {
            case "1", "true", "yes", "on": value = .bool(true)
            case "0", "false", "no", "off": value = .bool(false)
            default: throw ParameterError("\(name) expects yes or no, got '\(text)'")
            }
        case .choice, .text, .path:
            value = .string(text)
        }
        try validate(value)
        return value
    }

    /// Checks a value against the kind's range or choices.
    public func validate(_ value: ParameterValue) throws {
        switch (kind, value) {
        case (.int(let range), .int(let v)):
            guard range.contains(v) else { throw ParameterError("\(name) must be in \(range.lowerBound)…\(range.upperBound), got \(v)") }
        case (.double(let range), .double(let v)):
            guard range.contains(v) else { throw ParameterError("\(name) must be in \(range.lowerBound)…\(range.upperBound), got \(v)") }
        case (.double(let range), .int(let v)):
            guard range.contains(Double(v)) else { throw ParameterError("\(name) must be in \(range.lowerBound)…\(range.upperBound), got \(v)") }
        case (.choice(let choices), .string(let v)):
            guard choices.contains(v) else { throw ParameterError("\(name) must be one of \(choices.joined(separator: ", ")), got '\(v)'") }
        case (.bool, .bool), (.text, .string), (.path, .string):
            break
        default:
            throw ParameterError("\(name): a \(value) value does not fit this parameter")
        }
    }
}

/// A parameter value.
public enum ParameterValue: Sendable, Hashable, CustomStringConvertible {
    case int(Int)
    case double(Double)
    case bool(Bool)
    case string(String)

    public var description: String {
        switch self {
        case .int(let v): return String(v)
        case .double(let v): return String(v)
        case .bool(let v): return v ? "yes" : "no"
        case .string(let v): return v
        }
    }
}

/// A parameter value that does not fit its parameter.
public struct ParameterError: Error, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Values for a model's parameters, defaulted from its specs.
public struct ModelParameters: Sendable, Equatable {
    public private(set) var values: [String: ParameterValue]

    /// The defaults of `specs`.
    public init(defaults specs: [ModelParameter]) {
        values = Dictionary(uniqueKeysWithValues: specs.map { ($0.name, $0.defaultValue) })
    }

    /// Sets a value (already validated by `ModelParameter.parse`/`validate`).
    public mutating func set(_ name: String, _ value: ParameterValue) { values[name] = value }

    public func int(_ name: String) -> Int? {
        switch values[name] { case .int(let v)?: return v; case .double(let v)?: return Int(v); default: return nil }
    }
    public func double(_ name: String) -> Double? {
        switch values[name] { case .double(let v)?: return v; case .int(let v)?: return Double(v); default: return nil }
    }
    public func bool(_ name: String) -> Bool? {
        if case .bool(let v)? = values[name] { return v }
        return nil
    }
    public func string(_ name: String) -> String? {
        if case .string(let v)? = values[name] { return v.isEmpty ? nil : v }
        return nil
    }
}

import Foundation
