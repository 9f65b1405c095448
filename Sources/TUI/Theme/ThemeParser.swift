/// Reads the `key = value` theme format (documented at the top of `themes/default.theme`).
///
/// ```
/// # comment
/// summary = dark background, blue focus
/// background = #1b1d23          # a role's colour (foreground; for `background` the screen colour)
/// selection.fg = 0              # .fg / .bg / .attrs suffixes
/// selection.bg = bright-blue
/// focus.attrs = bold, underline # bold dim underline reverse none
/// ```
/// Colours: `#rrggbb`, an xterm index `0`–`255`, a name (`black` … `white`, `bright-black` …
/// `bright-white`, `grey`) or `default` (the terminal's own). Unset roles inherit the `text`
/// foreground and the `background` colour, with no attributes.
public enum ThemeParser {
    /// A theme file that cannot be used: where and why.
    public struct Failure: Error, Equatable, CustomStringConvertible {
        public var source: String
        public var line: Int
        public var message: String
        public var description: String { "\(source) line \(line): \(message)" }
    }

    /// Parses `text` as the theme `name`; `source` names the file in errors.
    public static func parse(_ text: String, name: String, source: String) throws -> Theme {
        var roles: [StyleRole: Theme.RoleStyle] = [:]
        var summary = ""
        var lineNumber = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            var line = String(rawLine)
            if let hash = commentStart(line) { line = String(line[..<hash]) }
            line = line.trimmingCharacters(in: .whitespaces)
            if line.isEmpty { continue }
            guard let eq = line.firstIndex(of: "=") else {
                throw Failure(source: source, line: lineNumber, message: "expected 'key = value', got '\(line)'")
            }
            let key = line[..<eq].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            if key == "summary" || key == "name" {
                if key == "summary" { summary = value }
                continue
            }
            guard !key.isEmpty else {
                throw Failure(source: source, line: lineNumber, message: "'= \(value)' has no key before the '=' (write 'role = colour')")
            }
            if value.isEmpty { throw Failure(source: source, line: lineNumber, message: "'\(key)' has no value") }
            let parts = key.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            guard let role = StyleRole(rawValue: parts[0]) else {
                let known = StyleRole.allCases.map(\.rawValue).joined(separator: ", ")
                throw Failure(source: source, line: lineNumber, message: "unknown key '\(parts[0])' (known: \(known))")
            }
            let part = parts.count > 1 ? parts[1] : "fg"  // `text.` gives an empty suffix, refused below
            var style = roles[role] ?? Theme.RoleStyle()
            switch part {
            case "fg", "bg":
                guard let color = ThemeColor(parsing: value) else {
                    throw Failure(source: source, line: lineNumber,
                                  message: "'\(value)' is not a colour (use #rrggbb, 0–255, a name like bright-blue, or default)")
                }
                if part == "fg" && role != .background { style.foreground = color } else { style.background = color }
            case "attrs", "attr", "style":
                style.attributes = try attributes(value, source: source, line: lineNumber)
            default:
                throw Failure(source: source, line: lineNumber, message: "unknown suffix '.\(part)' (use .fg, .bg or .attrs)")
            }
            roles[role] = style
        }
        return Theme(name: name, summary: summary, roles: roles)
    }

    private static func attributes(_ value: String, source: String, line: Int) throws -> TextAttributes {
        var result: TextAttributes = []
        for word in value.split(whereSeparator: { $0 == "," || $0 == " " }).map({ $0.lowercased() }) {
            switch word {
            case "bold": result.insert(.bold)
            case "dim": result.insert(.dim)
            case "underline": result.insert(.underline)
            case "reverse": result.insert(.reverse)
            case "none": break
            default:
                throw Failure(source: source, line: line, message: "unknown attribute '\(word)' (use bold, dim, underline, reverse or none)")
            }
        }
        return result
    }

    /// The start of a `#` comment that is not a colour (a `#` at the line start or after a space).
    private static func commentStart(_ line: String) -> String.Index? {
        var previous: Character = " "
        var index = line.startIndex
        while index < line.endIndex {
            let ch = line[index]
            if ch == "#" && (previous == " " || previous == "\t") {
                // `= #rrggbb` is a colour: a comment only if what follows is not six hex digits.
                let rest = line[line.index(after: index)...]
                let hex = rest.prefix(6)
                let isColor = hex.count == 6 && hex.allSatisfy(\.isHexDigit)
                    && (rest.count == 6 || !(rest.dropFirst(6).first?.isLetter ?? false) && !(rest.dropFirst(6).first?.isNumber ?? false))
                let beforeIsEquals = line[..<index].trimmingCharacters(in: .whitespaces).hasSuffix("=")
                if !(isColor && beforeIsEquals) { return index }
            }
            previous = ch
            index = line.index(after: index)
        }
        return nil
    }
}
