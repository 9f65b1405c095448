/// A glob-like pattern over relative paths with `/` separators, as used in dataset layouts:
/// `*` (any characters within one path component), `?` (one character), `**` (a whole component
/// standing for zero or more components) and `{a,b,c}` (alternatives, not nested).
///
/// Examples: `maestro-v2.0.0/*/*.wav`, `train_labels/*.csv`, `**/*.{jpg,png}`, `README`.
public struct FilePattern: Sendable, Hashable, CustomStringConvertible {
    /// The pattern text as written in the catalog.
    public let text: String
    private let alternatives: [[Component]]

    private enum Component: Sendable, Hashable {
        case anyDepth
        case segment([Token])
    }

    private enum Token: Sendable, Hashable {
        case literal(Character)
        case anyChar
        case anyRun
    }

    // MARK: Creating

    /// Compiles `text`; throws `DatasetError.catalogInvalid` with a reason when it is malformed.
    public init(_ text: String) throws {
        func invalid(_ why: String) -> DatasetError { .catalogInvalid(path: "pattern '\(text)'", detail: why) }
        guard !text.isEmpty else { throw invalid("empty pattern") }
        guard !text.hasPrefix("/") else { throw invalid("patterns are relative; remove the leading '/'") }
        let expanded = try Self.expandBraces(text, invalid: invalid)
        var compiled: [[Component]] = []
        for variant in expanded {
            var components: [Component] = []
            for part in variant.split(separator: "/", omittingEmptySubsequences: false) {
                if part.isEmpty { throw invalid("empty path component ('//' or a trailing '/')") }
                if part == ".." || part == "." { throw invalid("'\(part)' components are not allowed") }
                if part == "**" { components.append(.anyDepth); continue }
                if part.contains("**") { throw invalid("'**' must be a whole path component") }
                var tokens: [Token] = []
                for ch in part {
                    switch ch {
                    case "*": tokens.append(.anyRun)
                    case "?": tokens.append(.anyChar)
                    case "[", "]": throw invalid("character classes '[...]' are not supported")
                    default: tokens.append(.literal(ch))
                    }
                }
                components.append(.segment(tokens))
            }
            compiled.append(components)
        }
        self.text = text
        self.alternatives = compiled
    }

    public var description: String { text }

    /// Whether the pattern has no wildcards (it names exactly one path).
    public var isLiteral: Bool { !text.contains(where: { "*?{".contains($0) }) }

    // MARK: Matching

    /// Whether the relative `path` matches the pattern.
    public func matches(_ path: String) -> Bool {
        let parts = path.split(separator: "/").map { Array($0) }
        return alternatives.contains { Self.match($0[...], parts[...]) }
    }

    private static func match(_ pattern: ArraySlice<Component>, _ parts: ArraySlice<[Character]>) -> Bool {
        guard let first = pattern.first else { return parts.isEmpty }
        switch first {
        case .anyDepth:
            var rest = parts
            while true {
                if match(pattern.dropFirst(), rest) { return true }
                if rest.isEmpty { return false }
                rest = rest.dropFirst()
            }
        case .segment(let tokens):
            guard let part = parts.first, matchSegment(tokens[...], part[...]) else { return false }
            return match(pattern.dropFirst(), parts.dropFirst())
        }
    }

    private static func matchSegment(_ tokens: ArraySlice<Token>, _ chars: ArraySlice<Character>) -> Bool {
        guard let token = tokens.first else { return chars.isEmpty }
        switch token {
        case .literal(let c):
            guard chars.first == c else { return false }
            return matchSegment(tokens.dropFirst(), chars.dropFirst())
        case .anyChar:
            guard !chars.isEmpty else { return false }
            return matchSegment(tokens.dropFirst(), chars.dropFirst())
        case .anyRun:
            var rest = chars
            while true {
                if matchSegment(tokens.dropFirst(), rest) { return true }
                if rest.isEmpty { return false }
                rest = rest.dropFirst()
            }
        }
    }

    // MARK: Braces

    private static func expandBraces(_ text: String, invalid: (String) -> DatasetError) throws -> [String] {
        guard let open = text.firstIndex(of: "{") else {
            if text.contains("}") { throw invalid("unbalanced '}'") }
            return [text]
        }
        guard let close = text[open...].firstIndex(of: "}") else { throw invalid("unbalanced '{'") }
        let inner = text[text.index(after: open)..<close]
        if inner.contains("{") { throw invalid("nested '{...}' is not supported") }
        let options = inner.split(separator: ",", omittingEmptySubsequences: false)
        guard options.count >= 2 else { throw invalid("'{...}' needs at least two alternatives separated by ','") }
        let head = text[..<open], tail = String(text[text.index(after: close)...])
        var result: [String] = []
        for option in options {
            for rest in try expandBraces(tail, invalid: invalid) { result.append(head + option + rest) }
        }
        return result
    }
}

// MARK: - Codable

extension FilePattern: Codable {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        try self.init(text)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }
}
