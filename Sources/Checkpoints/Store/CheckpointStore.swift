import Glibc
import Foundation
import Media
import Remote

/// The local checkpoint store: verified files under `<root>/checkpoints/<file>`, with
/// `root = ${MLWB_HOME:-${XDG_CACHE_HOME:-~/.cache}/mlwb}`.
///
/// Every file enters through one path: copied or downloaded into a temporary sibling, checked
/// against the catalog's size and sha256, flushed, and renamed into place; a mismatching file
/// never appears under its final name. A marker in `checkpoints/.verified/` remembers each
/// verification (size, mtime, inode), so a file is re-hashed only after it changes.
public struct CheckpointStore: Sendable {
    // MARK: Stored properties

    /// The mlwb data root (`$MLWB_HOME` or its default).
    public let root: String
    /// The catalog that names and checks the files.
    public let catalog: CheckpointCatalog

    /// The folder holding the checkpoint files.
    public var directory: String { root + "/checkpoints" }
    private var markerDirectory: String { directory + "/.verified" }

    // MARK: Creating

    /// A store rooted at `root`.
    public init(root: String, catalog: CheckpointCatalog) {
        self.root = DataHome.trimmed(root)
        self.catalog = catalog
    }

    /// A store at the default root for `environment`.
    public init(catalog: CheckpointCatalog, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.init(root: CheckpointStore.defaultRoot(environment: environment), catalog: catalog)
    }

    /// `${MLWB_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/mlwb}` (see `DataHome`).
    public static func defaultRoot(environment: [String: String]) -> String {
        DataHome.root(environment: environment)
    }

    // MARK: Paths

    /// Where the checkpoint `id` lives in the store (whether or not it is there).
    public func path(for id: String) throws -> String {
        directory + "/" + (try catalog.entry(id)).file
    }

    /// Where a download of `id` streams its bytes (`<file>.part`, beside the final file).
    public func partialPath(for id: String) throws -> String {
        try downloadRequest(for: id).partialPath
    }

    /// Creates the store folders if needed.
    public func prepare() throws {
        try StoreFiles.makeDirectories(markerDirectory)
    }

    func markerPath(_ entry: CheckpointEntry) -> String { markerDirectory + "/" + entry.file + ".json" }

    // MARK: Status

    /// The state of `id`, without hashing (a changed file is reported as not verified).
    public func status(_ id: String) throws -> CheckpointStatus {
        status(of: try catalog.entry(id))
    }

    private func status(of entry: CheckpointEntry) -> CheckpointStatus {
        guard let identity = StoreFiles.identity(directory + "/" + entry.file) else { return .absent }
        guard identity.size == entry.size else {
            return .corrupt(reason: "size \(identity.size) bytes, expected \(entry.size)")
        }
        guard let marker = VerificationMarker.read(markerPath(entry)), marker.describes(identity),
              marker.expectedSHA256 == entry.sha256 else { return .presentUnverified }
        return marker.matched ? .verified : .corrupt(reason: "sha256 \(marker.actualSHA256), expected \(entry.sha256)")
    }

    /// Every catalog entry with its state in the store.
    public func list() -> [CheckpointListing] {
        catalog.entries.map { entry in
            let path = directory + "/" + entry.file
            return CheckpointListing(entry: entry, path: path, status: status(of: entry),
                                     partialBytes: StoreFiles.identity(path + ".part")?.size)
        }
    }

    /// Files in the store folder that no catalog entry names (left by an older catalog, or by hand).
    public func unknownFiles() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        let downloadFiles = [".part", ".part.meta", ".part.lock"]
        return names.filter { name in
            !name.hasPrefix(".") && !downloadFiles.contains(where: { name.hasSuffix($0) }) && catalog.entry(file: name) == nil
        }.sorted()
    }

    // MARK: Verification

    /// Checks the sha256 of `id` against the catalog (skipped if an earlier check still holds,
    /// unless `force`), records the outcome and returns the new state.
    @discardableResult
    public func verify(_ id: String, force: Bool = false, progress: ((Int) -> Void)? = nil) throws -> CheckpointStatus {
        let entry = try catalog.entry(id)
        let current = status(of: entry)
        switch current {
        case .absent: return .absent
        case .verified where !force: return .verified
        case .corrupt where !force && StoreFiles.identity(directory + "/" + entry.file)?.size != entry.size: return current
        default: break
        }
        let path = directory + "/" + entry.file
        guard let before = StoreFiles.identity(path) else { return .absent }
        let digest = try Self.sha256(file: path, progress: progress)
        // Only record the outcome if the file did not change while it was read.
        if StoreFiles.identity(path) == before {
            try writeMarker(VerificationMarker(identity: before, expected: entry.sha256, actual: digest), for: entry)
        }
        if before.size != entry.size { return .corrupt(reason: "size \(before.size) bytes, expected \(entry.size)") }
        return digest == entry.sha256 ? .verified : .corrupt(reason: "sha256 \(digest), expected \(entry.sha256)")
    }

    private func writeMarker(_ marker: VerificationMarker, for entry: CheckpointEntry) throws {
        try prepare()
        do {
            try AtomicFile.write(marker.encoded(), to: markerPath(entry))
        } catch let error as MediaError {
            throw CheckpointError.file(error)
        }
    }

    // MARK: Adding files

    /// Copies the local file at `source` into the store after identifying it: by `id` if given,
    /// else by size and sha256 against the catalog. The copy goes through a temporary file that
    /// is hashed while written, flushed and renamed; a mismatching file is refused with the
    /// expected and actual hash and nothing is left in the store.
    @discardableResult
    public func importFile(_ source: String, id: String? = nil, progress: ((Int) -> Void)? = nil) throws -> ImportResult {
        let size: Int
        do { size = try FileAccess.checkReadableFile(source) } catch let error as MediaError { throw CheckpointError.file(error) }
        let candidates: [CheckpointEntry]
        if let id {
            let entry = try catalog.entry(id)
            guard size == entry.size else {
                throw CheckpointError.sizeMismatch(id: id, path: source, expected: entry.size, actual: size)
            }
            candidates = [entry]
        } else {
            candidates = catalog.entries(withSize: size)
            if candidates.isEmpty {
                throw CheckpointError.notInCatalog(path: source, size: size, sha256: try Self.sha256(file: source))
            }
        }
        // A file that already is the stored copy: verify in place.
        if let sourceIdentity = StoreFiles.identity(source) {
            for entry in candidates {
                let stored = directory + "/" + entry.file
                if let storedIdentity = StoreFiles.identity(stored),
                   storedIdentity.inode == sourceIdentity.inode, storedIdentity.device == sourceIdentity.device {
                    let state = try verify(entry.id)
                    guard state == .verified else {
                        throw CheckpointError.checksumMismatch(id: entry.id, path: source, expected: entry.sha256,
                                                               actual: try Self.sha256(file: source))
                    }
                    return ImportResult(entry: entry, path: stored, alreadyPresent: true)
                }
            }
        }
        try prepare()
        let temporary = StoreFiles.temporaryName(in: directory, for: "import")
        let hasher = StreamingDigest(.sha256)
        try StoreFiles.copyHashing(source, to: temporary, hasher: hasher, progress: progress)
        let actual = hasher.hex()
        guard let entry = candidates.first(where: { $0.sha256 == actual }) else {
            unlink(temporary)
            if candidates.count == 1 {
                throw CheckpointError.checksumMismatch(id: candidates[0].id, path: source, expected: candidates[0].sha256, actual: actual)
            }
            throw CheckpointError.notInCatalog(path: source, size: size, sha256: actual)
        }
        if status(of: entry) == .verified {
            unlink(temporary)
            return ImportResult(entry: entry, path: directory + "/" + entry.file, alreadyPresent: true)
        }
        let path = try place(temporary, as: entry, sha256: actual)
        return ImportResult(entry: entry, path: path, alreadyPresent: false)
    }

    /// Renames a flushed, verified file in the store folder to its final name and records it as verified.
    private func place(_ temporary: String, as entry: CheckpointEntry, sha256: String) throws -> String {
        let path = directory + "/" + entry.file
        do {
            try StoreFiles.moveIntoPlace(temporary, path)
        } catch {
            unlink(temporary)
            throw error
        }
        try recordVerified(entry, sha256: sha256)
        return path
    }

    /// Records that the file of `entry` now in the store has `sha256` (computed while it was written).
    func recordVerified(_ entry: CheckpointEntry, sha256: String) throws {
        guard let identity = StoreFiles.identity(directory + "/" + entry.file) else { return }
        try writeMarker(VerificationMarker(identity: identity, expected: entry.sha256, actual: sha256), for: entry)
    }

    /// The sha256 of a file (Remote's `StreamingDigest`); read errors become `CheckpointError.file`.
    static func sha256(file path: String, progress: ((Int) -> Void)? = nil) throws -> String {
        do {
            try FileAccess.checkReadableFile(path)
            return try StreamingDigest.hex(file: path, algorithm: .sha256) { progress?(Int($0)) }
        } catch let error as MediaError {
            throw CheckpointError.file(error)
        } catch RemoteError.file(let error) {
            throw CheckpointError.file(error)
        }
    }

    // MARK: Removing

    /// Deletes checkpoint `id` (its file, any partial download and its marker); returns whether anything was there.
    @discardableResult
    public func remove(_ id: String) throws -> Bool {
        let entry = try catalog.entry(id)
        var removed = false
        for path in [directory + "/" + entry.file, directory + "/" + entry.file + ".part", markerPath(entry)] {
            if unlink(path) == 0 {
                removed = removed || !path.hasSuffix(".json")
            } else if errno != ENOENT {
                throw StoreFiles.failure(path, "cannot delete")
            }
        }
        return removed
    }
}
