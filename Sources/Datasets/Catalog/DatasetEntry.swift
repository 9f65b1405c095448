/// One dataset in the catalog: what it is, where its files come from, what it looks like
/// after extraction and how omnizart splits it.
public struct DatasetEntry: Sendable, Codable, Equatable {
    /// Whether mlwb can fetch the dataset itself.
    public enum Availability: String, Sendable, Codable, Equatable {
        /// Downloadable from the listed files.
        case download
        /// Must be obtained by hand (licence agreement, registration); see `manual`.
        case manual
    }

    // MARK: Stored properties

    /// A short, stable identifier used on the command line (`maestro-v2`).
    public var id: String
    /// The display name.
    public var name: String
    /// What the dataset contains and what it is used for.
    public var description: String
    /// The project page.
    public var homepage: String
    /// The licence as published (SPDX-like where possible).
    public var licence: String
    /// Which ancestor project uses it (`omnizart`, `ml4a`).
    public var origin: String
    /// Whether it can be downloaded automatically.
    public var availability: Availability
    /// The files to download (empty for manual datasets).
    public var files: [DatasetFile]
    /// Where to get a manual dataset and how to place it.
    public var manual: ManualInstructions?
    /// The expected tree after extraction.
    public var layout: DatasetLayout
    /// omnizart's train/test split rules.
    public var splits: [SplitRule]
    /// A publisher-stated approximate size when exact byte counts are unknown (free text), or nil.
    public var approximateSize: String?
    /// A cap on extracted bytes for this dataset (archive-bomb limit), overriding the default.
    public var maxExtractedBytes: Int64?
    /// Remarks shown by `datasets info` (caveats, unknowns).
    public var notes: [String]

    /// An entry from its parts.
    public init(id: String, name: String, description: String = "", homepage: String = "", licence: String = "unknown",
                origin: String = "mlwb", availability: Availability = .download, files: [DatasetFile] = [],
                manual: ManualInstructions? = nil, layout: DatasetLayout = DatasetLayout(), splits: [SplitRule] = [],
                approximateSize: String? = nil, maxExtractedBytes: Int64? = nil, notes: [String] = []) {
        self.id = id; self.name = name; self.description = description; self.homepage = homepage
        self.licence = licence; self.origin = origin; self.availability = availability; self.files = files
        self.manual = manual; self.layout = layout; self.splits = splits; self.approximateSize = approximateSize
        self.maxExtractedBytes = maxExtractedBytes; self.notes = notes
    }

    private enum CodingKeys: String, CodingKey {
        case id, name, description, homepage, licence, origin, availability, files, manual, layout, splits
        case approximateSize, maxExtractedBytes, notes
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        name = try c.decode(String.self, forKey: .name)
        description = try c.decodeIfPresent(String.self, forKey: .description) ?? ""
        homepage = try c.decodeIfPresent(String.self, forKey: .homepage) ?? ""
        licence = try c.decodeIfPresent(String.self, forKey: .licence) ?? "unknown"
        origin = try c.decodeIfPresent(String.self, forKey: .origin) ?? "mlwb"
        availability = try c.decodeIfPresent(Availability.self, forKey: .availability) ?? .download
        files = try c.decodeIfPresent([DatasetFile].self, forKey: .files) ?? []
        manual = try c.decodeIfPresent(ManualInstructions.self, forKey: .manual)
        layout = try c.decodeIfPresent(DatasetLayout.self, forKey: .layout) ?? DatasetLayout()
        splits = try c.decodeIfPresent([SplitRule].self, forKey: .splits) ?? []
        approximateSize = try c.decodeIfPresent(String.self, forKey: .approximateSize)
        maxExtractedBytes = try c.decodeIfPresent(Int64.self, forKey: .maxExtractedBytes)
        notes = try c.decodeIfPresent([String].self, forKey: .notes) ?? []
    }

    // MARK: Derived

    /// The total download size when every file's size is known.
    public var knownTotalSize: Int64? {
        guard !files.isEmpty else { return nil }
        var total: Int64 = 0
        for file in files {
            guard let size = file.size else { return nil }
            total += size
        }
        return total
    }

    /// A description of what is wrong with the entry, or nil when it is well-formed.
    public var problem: String? {
        guard !id.isEmpty, id.utf8.allSatisfy({ (48...57).contains($0) || (97...122).contains($0) || $0 == 45 || $0 == 95 || $0 == 46 }),
              !id.hasPrefix(".") else {
            return "id '\(id)' must be lowercase letters, digits, '-', '_' or '.'"
        }
        if name.isEmpty { return "entry \(id) has no name" }
        switch availability {
        case .download:
            if files.isEmpty { return "entry \(id) is downloadable but lists no files" }
        case .manual:
            if manual == nil { return "entry \(id) is manual but has no instructions" }
        }
        var names = Set<String>()
        for file in files {
            if let problem = file.problem { return "entry \(id): \(problem)" }
            if !names.insert(file.filename).inserted { return "entry \(id): file name \(file.filename) appears twice" }
        }
        if let problem = layout.problem { return "entry \(id): \(problem)" }
        for rule in splits {
            if let problem = rule.problem { return "entry \(id): \(problem)" }
        }
        if let max = maxExtractedBytes, max <= 0 { return "entry \(id): maxExtractedBytes must be positive" }
        return nil
    }
}
