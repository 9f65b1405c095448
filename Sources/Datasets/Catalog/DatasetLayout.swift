import Remote

/// What a dataset looks like on disk after extraction, relative to `datasets/<id>/data/`.
///
/// `root` is the folder the archive unpacks into (e.g. `maestro-v2.0.0`); folders, file rules,
/// checksums and split rules are all relative to it. A file that matches no rule and no `ignore`
/// pattern is reported as unexpected unless `allowUnexpected` is set.
public struct DatasetLayout: Sendable, Codable, Equatable {
    /// The folder inside `data/` that holds the dataset, nil for `data/` itself, or `*` for
    /// "the single top-level folder, whatever its name" (see `DatasetStore.resolvedRoot`).
    public var root: String?

    /// The `root` value meaning "the single top-level folder, whatever its name".
    public static let anyRoot = "*"
    /// Folders that must exist (relative to `root`).
    public var folders: [String]
    /// File patterns with their expected counts.
    public var files: [LayoutRule]
    /// Patterns of files that are tolerated and never reported (e.g. `**/.DS_Store`).
    public var ignore: [FilePattern]
    /// Whether files that match no rule are acceptable (used where the full layout is unknown).
    public var allowUnexpected: Bool
    /// Known SHA-256 digests of extracted files, by path relative to `root` (rarely published).
    public var checksums: [String: String]

    /// A layout from its parts.
    public init(root: String? = nil, folders: [String] = [], files: [LayoutRule] = [], ignore: [FilePattern] = [],
                allowUnexpected: Bool = false, checksums: [String: String] = [:]) {
        self.root = root; self.folders = folders; self.files = files; self.ignore = ignore
        self.allowUnexpected = allowUnexpected; self.checksums = checksums
    }

    private enum CodingKeys: String, CodingKey { case root, folders, files, ignore, allowUnexpected, checksums }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        root = try c.decodeIfPresent(String.self, forKey: .root)
        folders = try c.decodeIfPresent([String].self, forKey: .folders) ?? []
        files = try c.decodeIfPresent([LayoutRule].self, forKey: .files) ?? []
        ignore = try c.decodeIfPresent([FilePattern].self, forKey: .ignore) ?? []
        allowUnexpected = try c.decodeIfPresent(Bool.self, forKey: .allowUnexpected) ?? false
        checksums = try c.decodeIfPresent([String: String].self, forKey: .checksums) ?? [:]
    }

    // MARK: Checks

    /// A description of what is wrong with the layout, or nil when it is well-formed.
    public var problem: String? {
        if let root, !Self.isSafeRelativePath(root) { return "layout root '\(root)' must be a relative path without '..'" }
        for folder in folders where !Self.isSafeRelativePath(folder) { return "layout folder '\(folder)' must be a relative path without '..'" }
        for rule in files {
            if let count = rule.count, count < 0 { return "negative count for '\(rule.pattern)'" }
            if let minimum = rule.minimum, minimum < 0 { return "negative minimum for '\(rule.pattern)'" }
            if rule.count != nil && rule.minimum != nil { return "give either count or minimum for '\(rule.pattern)', not both" }
        }
        for (path, digest) in checksums {
            if !Self.isSafeRelativePath(path) { return "checksum path '\(path)' must be relative" }
            if !StreamingDigest.isValidHex(digest, for: .sha256) { return "checksum for '\(path)' is not a sha256 hex digest" }
        }
        return nil
    }

    /// Whether `path` is non-empty, relative and free of `.`/`..` components.
    public static func isSafeRelativePath(_ path: String) -> Bool {
        guard !path.isEmpty, !path.hasPrefix("/") else { return false }
        return path.split(separator: "/", omittingEmptySubsequences: false).allSatisfy { !$0.isEmpty && $0 != ".." && $0 != "." }
    }
}

/// One file pattern in a layout with how many files should match it.
public struct LayoutRule: Sendable, Codable, Equatable {
    /// The pattern, relative to the layout root.
    public var pattern: FilePattern
    /// The exact number of files expected, when known.
    public var count: Int?
    /// The least number of files expected when the exact count is unknown (default 1; 0 = optional).
    public var minimum: Int?
    /// A remark shown by `datasets info` (e.g. where the count comes from).
    public var note: String?

    /// A rule from its parts.
    public init(_ pattern: FilePattern, count: Int? = nil, minimum: Int? = nil, note: String? = nil) {
        self.pattern = pattern; self.count = count; self.minimum = minimum; self.note = note
    }

    /// The least number of matching files that satisfies the rule.
    public var required: Int { count ?? minimum ?? 1 }

    /// A short text: `1184` for exact counts, `≥1 (count unknown)` otherwise.
    public var countText: String {
        if let count { return "\(count)" }
        return "≥\(minimum ?? 1) (count unknown)"
    }
}
