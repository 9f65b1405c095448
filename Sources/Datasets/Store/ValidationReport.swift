/// The result of comparing a dataset on disk with its catalog entry.
public struct ValidationReport: Sendable, Equatable {
    /// Files or folders fewer than expected.
    public struct Missing: Sendable, Equatable, CustomStringConvertible {
        /// The pattern, path or folder (folders end in `/`).
        public var pattern: String
        /// How many were expected (the minimum when the exact count is unknown).
        public var expected: Int
        /// How many were found.
        public var found: Int

        /// A missing item from its parts.
        public init(pattern: String, expected: Int, found: Int) { self.pattern = pattern; self.expected = expected; self.found = found }

        public var description: String {
            if pattern.hasSuffix("/") { return "\(pattern) (folder missing)" }
            if expected == 1 && found == 0 { return pattern }
            return "\(pattern): found \(found) of \(expected)"
        }
    }

    /// A file whose digest differs from the published or recorded one.
    public struct Corrupt: Sendable, Equatable, CustomStringConvertible {
        /// The path relative to the dataset folder (`downloads/x.zip`, `data/…`).
        public var path: String
        /// What was expected (`sha256:…` or `size 123`).
        public var expected: String
        /// What was found.
        public var actual: String

        /// A corrupt file from its parts.
        public init(path: String, expected: String, actual: String) { self.path = path; self.expected = expected; self.actual = actual }

        public var description: String { "\(path): expected \(expected), found \(actual)" }
    }

    // MARK: Stored properties

    /// The dataset id.
    public var id: String
    /// Expected files and folders that are absent or too few.
    public var missing: [Missing] = []
    /// Files failing their checksum or size.
    public var corrupt: [Corrupt] = []
    /// Files that match no layout rule (relative to `data/`).
    public var unexpected: [String] = []
    /// Patterns with more files than the exact count (`found` > `expected`).
    public var surplus: [Missing] = []
    /// Remarks that are not problems (checksums recorded now, archives deleted after extraction).
    public var notes: [String] = []
    /// How many files were looked at.
    public var filesChecked = 0
    /// How many files were hashed.
    public var filesHashed = 0

    /// An empty report for `id`.
    public init(id: String) { self.id = id }

    /// Whether nothing is missing, corrupt, unexpected or surplus.
    public var isClean: Bool { missing.isEmpty && corrupt.isEmpty && unexpected.isEmpty && surplus.isEmpty }

    /// A one-line summary (`ok: 2368 files` or `3 missing, 1 corrupt, …`).
    public var summary: String {
        if isClean { return "ok: \(filesChecked) files checked, \(filesHashed) hashed" }
        var parts: [String] = []
        if !missing.isEmpty { parts.append("\(missing.count) missing") }
        if !corrupt.isEmpty { parts.append("\(corrupt.count) corrupt") }
        if !unexpected.isEmpty { parts.append("\(unexpected.count) unexpected") }
        if !surplus.isEmpty { parts.append("\(surplus.count) with too many files") }
        return parts.joined(separator: ", ")
    }
}
