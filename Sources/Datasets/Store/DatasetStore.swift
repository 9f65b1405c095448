import Glibc
import Foundation
import Media

/// The local dataset store: `<root>/datasets/<id>/` with archives in `downloads/`, the extracted tree
/// in `data/`, recorded digests in `checksums.json` and the `.extracted`/`.verified` markers, where
/// `root = ${MLWB_HOME:-${XDG_CACHE_HOME:-~/.cache}/mlwb}`.
public struct DatasetStore: Sendable {
    // MARK: Stored properties

    /// The mlwb data root.
    public let root: String
    /// The catalog naming and describing the datasets.
    public let catalog: DatasetCatalog

    /// The folder holding one folder per dataset.
    public var directory: String { root + "/datasets" }

    // MARK: Creating

    /// A store rooted at `root`.
    public init(root: String, catalog: DatasetCatalog) {
        self.root = DataHome.trimmed(root)
        self.catalog = catalog
    }

    /// A store at the default root for `environment`.
    public init(catalog: DatasetCatalog, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.init(root: Self.defaultRoot(environment: environment), catalog: catalog)
    }

    /// `${MLWB_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/mlwb}` (see `DataHome`).
    public static func defaultRoot(environment: [String: String]) -> String {
        DataHome.root(environment: environment)
    }

    // MARK: Paths

    /// `datasets/<id>`.
    public func folder(_ id: String) -> String { directory + "/" + id }
    /// `datasets/<id>/downloads`.
    public func downloadsFolder(_ id: String) -> String { folder(id) + "/downloads" }
    /// `datasets/<id>/data`.
    public func dataFolder(_ id: String) -> String { folder(id) + "/data" }
    /// `datasets/<id>/checksums.json`.
    public func checksumsPath(_ id: String) -> String { folder(id) + "/checksums.json" }
    /// `datasets/<id>/.extracted`, written after a complete extraction.
    public func extractedMarkerPath(_ id: String) -> String { folder(id) + "/.extracted" }
    /// `datasets/<id>/.verified`, written after a clean validation.
    public func verifiedMarkerPath(_ id: String) -> String { folder(id) + "/.verified" }

    /// The folder the layout describes: `data/<layout.root>` (or `data/`).
    public func layoutRoot(_ id: String) throws -> String {
        let entry = try catalog.entry(id)
        return resolvedRoot(entry).map { dataFolder(id) + "/" + $0 } ?? dataFolder(id)
    }

    /// The layout root relative to `data/` (nil for `data/` itself). A root of `*` means "the single
    /// top-level folder the archive unpacked into, if there is exactly one", for archives whose
    /// top-level folder name is not known in advance.
    public func resolvedRoot(_ entry: DatasetEntry) -> String? {
        guard entry.layout.root == DatasetLayout.anyRoot else { return entry.layout.root }
        let data = dataFolder(entry.id)
        let top = FileTree.entries(of: data).filter { $0 != "__MACOSX" && !$0.hasPrefix(".") }
        guard top.count == 1, FileTree.kind(data + "/" + top[0]) == .directory else { return nil }
        let known = Set(entry.layout.folders.compactMap { $0.split(separator: "/").first.map(String.init) })
        return known.contains(top[0]) ? nil : top[0]
    }

    /// The digests recorded for `id`'s downloads.
    public func recordedChecksums(_ id: String) -> ChecksumRecord { ChecksumRecord.read(checksumsPath(id)) }

    // MARK: Status

    /// The state of `id` on disk, without hashing.
    public func status(_ id: String) throws -> DatasetStatus {
        let entry = try catalog.entry(id)
        let dataKind = FileTree.kind(dataFolder(id))
        let hasData = dataKind == .directory && !FileTree.entries(of: dataFolder(id)).isEmpty
        let extracted = FileTree.kind(extractedMarkerPath(id)) == .file
        if (extracted || entry.availability == .manual) && hasData {
            if let marker = StoreMarker.read(verifiedMarkerPath(id)),
               marker.sameTree(as: StoreMarker.fingerprint(of: dataFolder(id))) {
                return .verified
            }
            return .extracted
        }
        let downloads = downloadsFolder(id)
        let present = entry.files.filter { FileTree.kind(downloads + "/" + $0.filename) == .file }
        let parts = FileTree.entries(of: downloads).filter { $0.hasSuffix(".part") }
        let staging = FileTree.entries(of: folder(id)).contains { $0.hasPrefix(".data.staging") }
        if !entry.files.isEmpty && present.count == entry.files.count && parts.isEmpty {
            return hasData ? .partial(detail: "downloaded; extraction incomplete") : .downloaded
        }
        var details: [String] = []
        if !present.isEmpty { details.append("\(present.count) of \(entry.files.count) files downloaded") }
        if !parts.isEmpty { details.append("\(parts.count) download(s) in progress (.part; run get again to resume)") }
        if hasData { details.append("data/ present but not fully extracted") }
        if staging { details.append("interrupted extraction") }
        return details.isEmpty ? .absent : .partial(detail: details.joined(separator: "; "))
    }

    // MARK: Removing

    /// Deletes everything stored for `id` (downloads, data, records). Returns whether anything was there.
    @discardableResult
    public func remove(_ id: String) throws -> Bool {
        _ = try catalog.entry(id)
        let path = folder(id)
        guard FileTree.kind(path) != .none else { return false }
        try FileTree.remove(path)
        return true
    }

    // MARK: Splits

    /// Applies the split rule named `rule` (or the first one) to the files on disk.
    public func split(_ id: String, rule name: String? = nil) throws -> DatasetSplit {
        let entry = try catalog.entry(id)
        guard let rule = name.map({ n in entry.splits.first { $0.name == n } }) ?? entry.splits.first else {
            throw DatasetError.splitFailed(id: id, detail: name.map { "no split rule named '\($0)'" } ?? "the catalog gives no split rule")
        }
        let rootFolder = try layoutRoot(id)
        guard FileTree.kind(rootFolder) == .directory else {
            throw DatasetError.splitFailed(id: id, detail: "\(rootFolder) does not exist (run 'mlwb datasets get \(id)')")
        }
        return rule.apply(toDirectory: rootFolder)
    }
}
