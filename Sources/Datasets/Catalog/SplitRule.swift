/// A train/test split rule as data, reproducing how omnizart divides a dataset.
///
/// Kinds:
/// - `folders`: files matching `files` directly inside each `train` folder go to train, inside each
///   `test` folder to test (Maestro by year, MusicNet by folder, Ext-Su all test, CMedia all train);
/// - `fraction`: the files matching `files` inside `folder`, sorted by path, are cut after
///   `round(n × trainFraction)`; files named in `pairs` follow their partner (MIR-1K: 88/12 of `Wavfile`,
///   the `PitchLabel/<stem>.pv` of each wav goes with it);
/// - `numericFolders`: inside each folder of `within`, sub-folders named by a number go to train when
///   the number is at most `threshold`, otherwise to test (McGill Billboard: id 1000).
///
/// All paths are relative to the layout root.
public struct SplitRule: Sendable, Codable, Equatable {
    /// The kinds of split rule.
    public enum Kind: String, Sendable, Codable, Equatable { case folders, fraction, numericFolders }

    /// A partner file that follows a split file: `<folder>/<stem><fileExtension>`.
    public struct Pair: Sendable, Codable, Equatable {
        /// The folder holding partner files.
        public var folder: String
        /// The partner's extension including the dot (e.g. `.pv`).
        public var fileExtension: String

        /// A pairing from its parts.
        public init(folder: String, fileExtension: String) { self.folder = folder; self.fileExtension = fileExtension }

        private enum CodingKeys: String, CodingKey { case folder, fileExtension = "extension" }
    }

    // MARK: Stored properties

    /// The rule's name (e.g. `omnizart`).
    public var name: String
    /// How files are assigned.
    public var kind: Kind
    /// Which files take part, relative to each folder (e.g. `*.wav`, `*.{wav,midi}`).
    public var files: [FilePattern]
    /// Training folders (`folders`).
    public var train: [String]
    /// Test folders (`folders`).
    public var test: [String]
    /// The folder to cut (`fraction`).
    public var folder: String?
    /// The share of files that go to train (`fraction`).
    public var trainFraction: Double?
    /// Partner files that follow their split file (`fraction`).
    public var pairs: [Pair]
    /// Folders holding numbered sub-folders (`numericFolders`).
    public var within: [String]
    /// The largest number that goes to train (`numericFolders`).
    public var threshold: Int?
    /// A remark shown by `datasets info` (where the rule comes from, caveats).
    public var note: String?

    /// A rule from its parts.
    public init(name: String = "omnizart", kind: Kind, files: [FilePattern], train: [String] = [], test: [String] = [],
                folder: String? = nil, trainFraction: Double? = nil, pairs: [Pair] = [],
                within: [String] = [], threshold: Int? = nil, note: String? = nil) {
        self.name = name; self.kind = kind; self.files = files; self.train = train; self.test = test
        self.folder = folder; self.trainFraction = trainFraction; self.pairs = pairs
        self.within = within; self.threshold = threshold; self.note = note
    }

    private enum CodingKeys: String, CodingKey {
        case name, kind, files, train, test, folder, trainFraction, pairs, within, threshold, note
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decodeIfPresent(String.self, forKey: .name) ?? "omnizart"
        kind = try c.decode(Kind.self, forKey: .kind)
        files = try c.decode([FilePattern].self, forKey: .files)
        train = try c.decodeIfPresent([String].self, forKey: .train) ?? []
        test = try c.decodeIfPresent([String].self, forKey: .test) ?? []
        folder = try c.decodeIfPresent(String.self, forKey: .folder)
        trainFraction = try c.decodeIfPresent(Double.self, forKey: .trainFraction)
        pairs = try c.decodeIfPresent([Pair].self, forKey: .pairs) ?? []
        within = try c.decodeIfPresent([String].self, forKey: .within) ?? []
        threshold = try c.decodeIfPresent(Int.self, forKey: .threshold)
        note = try c.decodeIfPresent(String.self, forKey: .note)
    }

    // MARK: Checks

    /// A description of what is wrong with the rule, or nil when it is well-formed.
    public var problem: String? {
        if files.isEmpty { return "split rule '\(name)' names no file patterns" }
        let paths = train + test + within + [folder].compactMap { $0 } + pairs.map(\.folder)
        for path in paths where !DatasetLayout.isSafeRelativePath(path) {
            return "split rule '\(name)': folder '\(path)' must be a relative path without '..'"
        }
        switch kind {
        case .folders:
            if train.isEmpty && test.isEmpty { return "split rule '\(name)' names no train or test folders" }
            if !Set(train).isDisjoint(with: test) { return "split rule '\(name)' puts a folder in both train and test" }
        case .fraction:
            guard folder != nil else { return "split rule '\(name)' (fraction) needs 'folder'" }
            guard let f = trainFraction, f > 0, f < 1 else { return "split rule '\(name)' needs 0 < trainFraction < 1" }
        case .numericFolders:
            if within.isEmpty || threshold == nil { return "split rule '\(name)' (numericFolders) needs 'within' and 'threshold'" }
        }
        return nil
    }

    /// A one-line summary for `datasets info`.
    public var summary: String {
        let patterns = files.map(\.text).joined(separator: ", ")
        switch kind {
        case .folders:
            let tr = train.isEmpty ? "none" : train.joined(separator: ", ")
            let te = test.isEmpty ? "none" : test.joined(separator: ", ")
            return "\(patterns) — train: \(tr); test: \(te)"
        case .fraction:
            let pct = Int(((trainFraction ?? 0) * 100).rounded())
            let paired = pairs.isEmpty ? "" : "; partners " + pairs.map { "\($0.folder)/<stem>\($0.fileExtension)" }.joined(separator: ", ")
            return "\(patterns) in \(folder ?? "?") sorted by name — first \(pct)% train, rest test\(paired)"
        case .numericFolders:
            return "\(patterns) in \(within.joined(separator: ", "))/<id>/ — id ≤ \(threshold ?? 0) train, above test"
        }
    }

    // MARK: Applying

    /// Splits `paths` (relative to the layout root) into train and test lists, each sorted.
    /// Paths the rule does not mention are in neither list.
    public func apply(to paths: [String]) -> DatasetSplit {
        var trainSet: [String] = [], testSet: [String] = []
        switch kind {
        case .folders:
            for path in paths {
                let (dir, file) = Self.split(path)
                guard files.contains(where: { $0.matches(file) }) else { continue }
                if train.contains(dir) { trainSet.append(path) } else if test.contains(dir) { testSet.append(path) }
            }
        case .fraction:
            guard let folder, let fraction = trainFraction else { break }
            let present = Set(paths)
            let candidates = paths.filter { path in
                let (dir, file) = Self.split(path)
                return dir == folder && files.contains(where: { $0.matches(file) })
            }.sorted()
            let trainCount = Int((Double(candidates.count) * fraction).rounded(.toNearestOrEven))
            for (index, path) in candidates.enumerated() {
                var group = [path]
                let stem = Self.stem(Self.split(path).file)
                for pair in pairs {
                    let partner = pair.folder + "/" + stem + pair.fileExtension
                    if present.contains(partner) { group.append(partner) }
                }
                if index < trainCount { trainSet += group } else { testSet += group }
            }
        case .numericFolders:
            guard let threshold else { break }
            for path in paths {
                let parts = path.split(separator: "/").map(String.init)
                guard parts.count >= 3 else { continue }
                let base = parts[0..<(parts.count - 2)].joined(separator: "/")
                guard within.contains(base), let number = Int(parts[parts.count - 2]),
                      files.contains(where: { $0.matches(parts[parts.count - 1]) }) else { continue }
                if number <= threshold { trainSet.append(path) } else { testSet.append(path) }
            }
        }
        return DatasetSplit(train: trainSet.sorted(), test: testSet.sorted())
    }

    /// Splits the files under `directory` (the layout root on disk); paths in the result are relative to it.
    public func apply(toDirectory directory: String) -> DatasetSplit {
        apply(to: FileTree.files(under: directory).filter { !$0.isSymlink }.map(\.path))
    }

    private static func split(_ path: String) -> (dir: String, file: String) {
        guard let slash = path.lastIndex(of: "/") else { return ("", path) }
        return (String(path[..<slash]), String(path[path.index(after: slash)...]))
    }

    private static func stem(_ file: String) -> String {
        guard let dot = file.lastIndex(of: "."), dot != file.startIndex else { return file }
        return String(file[..<dot])
    }
}

/// The outcome of a split rule: file paths relative to the layout root.
public struct DatasetSplit: Sendable, Equatable {
    /// Training files, sorted.
    public var train: [String]
    /// Test files, sorted.
    public var test: [String]

    /// A split from its lists.
    public init(train: [String], test: [String]) { self.train = train; self.test = test }
}
