/// The safety rules for names inside an archive: entries are relative, never climb out with
/// `..`, never absolute, and come out as clean `a/b/c` paths.
public enum ArchiveEntryPath {
    /// The normalised relative path for `name`, or the reason it is refused.
    /// Leading `./` and repeated or trailing `/` are dropped; `\` counts as a separator for the checks.
    public static func sanitise(_ name: String) -> Result<String, Refusal> {
        if name.isEmpty { return .failure(.empty) }
        if name.hasPrefix("/") || name.hasPrefix("\\") { return .failure(.absolute) }
        if name.count >= 2, name.dropFirst().first == ":", name.first?.isLetter == true { return .failure(.absolute) }
        let components = name.split(whereSeparator: { $0 == "/" || $0 == "\\" })
        if components.contains("..") { return .failure(.parentReference) }
        let clean = name.split(separator: "/").filter { $0 != "." }
        if clean.isEmpty { return .failure(.empty) }
        if clean.contains(where: { $0.utf8.contains(0) }) { return .failure(.empty) }
        return .success(clean.joined(separator: "/"))
    }

    /// Whether `name` names the destination itself (`.`, `./`, `././`): the first entry of
    /// `tar cf x.tar -C dir .`. Such a folder entry is skipped; any other kind is refused.
    public static func isDestinationItself(_ name: String) -> Bool {
        let components = name.split(whereSeparator: { $0 == "/" || $0 == "\\" })
        return !components.isEmpty && !name.hasPrefix("/") && components.allSatisfy { $0 == "." }
    }

    /// Resolves a symlink's `target` written at entry `linkPath` (both relative to the destination)
    /// lexically; returns the resulting relative path, or nil when it is absolute or leaves the destination.
    public static func resolveLinkTarget(_ target: String, from linkPath: String) -> String? {
        guard !target.isEmpty, !target.hasPrefix("/"), !target.hasPrefix("\\") else { return nil }
        var stack = linkPath.split(separator: "/").dropLast().map(String.init)
        for part in target.split(whereSeparator: { $0 == "/" || $0 == "\\" }) {
            switch part {
            case ".": continue
            case "..":
                if stack.isEmpty { return nil }
                stack.removeLast()
            default: stack.append(String(part))
            }
        }
        return stack.joined(separator: "/")
    }

    /// Why an entry name is refused.
    public enum Refusal: Error, Sendable, Equatable, CustomStringConvertible {
        case empty, absolute, parentReference

        public var description: String {
            switch self {
            case .empty: return "empty or unreadable name"
            case .absolute: return "absolute path (entries must be relative)"
            case .parentReference: return "'..' component (would write outside the destination)"
            }
        }
    }
}
