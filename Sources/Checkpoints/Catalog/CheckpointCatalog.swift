import Foundation
import Media

/// The list of checkpoints mlwb knows, read from `checkpoints.json` in the assets folder.
///
/// Where the file is looked for (first hit wins), unless an explicit path is given:
/// 1. `$MLWB_ASSETS/checkpoints.json`;
/// 2. `<directory of the executable>/../share/mlwb/assets/checkpoints.json` (an installed mlwb);
/// 3. `assets/checkpoints.json` in the package checkout, found by walking up from the
///    executable's directory to a folder holding `Package.swift` (a `swift build` tree).
public struct CheckpointCatalog: Sendable, Equatable {
    /// The catalog file name inside an assets folder.
    public static let fileName = "checkpoints.json"

    // MARK: Stored properties

    /// The entries in catalog order.
    public let entries: [CheckpointEntry]
    /// The file the catalog was read from (nil if built in memory).
    public let source: String?

    // MARK: Creating

    /// A catalog of `entries`, refusing invalid or duplicate entries.
    public init(entries: [CheckpointEntry], source: String? = nil) throws {
        var seenIDs = Set<String>(), seenFiles = Set<String>()
        for entry in entries {
            if let problem = entry.problem {
                throw CheckpointError.catalogInvalid(path: source ?? "(in memory)", detail: problem)
            }
            guard seenIDs.insert(entry.id).inserted, seenFiles.insert(entry.file).inserted else {
                throw CheckpointError.catalogInvalid(path: source ?? "(in memory)", detail: "duplicate id or file in entry \(entry.id)")
            }
        }
        self.entries = entries
        self.source = source
    }

    /// Loads the catalog from `path`, or from the default search locations when `path` is nil.
    public static func load(path: String? = nil,
                            environment: [String: String] = ProcessInfo.processInfo.environment) throws -> CheckpointCatalog {
        let file: String
        if let path {
            file = path
        } else {
            let candidates = AssetLocator.candidates(for: fileName, environment: environment)
            guard let found = candidates.first(where: { FileAccess.exists($0) }) else {
                throw CheckpointError.catalogNotFound(searched: candidates)
            }
            file = found
        }
        let bytes: [UInt8]
        do {
            bytes = try FileAccess.readBytes(file, maxBytes: 16 << 20)
        } catch let error as MediaError {
            throw CheckpointError.file(error)
        }
        return try decode(bytes, source: file)
    }

    /// Parses catalog JSON (`{"version": 1, "checkpoints": [...]}`).
    public static func decode(_ bytes: [UInt8], source: String? = nil) throws -> CheckpointCatalog {
        struct File: Decodable {
            var version: Int
            var checkpoints: [CheckpointEntry]
        }
        let parsed: File
        do {
            parsed = try JSONDecoder().decode(File.self, from: Data(bytes))
        } catch {
            throw CheckpointError.catalogInvalid(path: source ?? "(in memory)", detail: "\(error)")
        }
        guard parsed.version == 1 else {
            throw CheckpointError.catalogInvalid(path: source ?? "(in memory)", detail: "unsupported version \(parsed.version) (this mlwb reads version 1)")
        }
        return try CheckpointCatalog(entries: parsed.checkpoints, source: source)
    }

    // MARK: Lookup

    /// The entry with `id`, or an error listing the known ids.
    public func entry(_ id: String) throws -> CheckpointEntry {
        guard let entry = entries.first(where: { $0.id == id }) else {
            throw CheckpointError.unknownCheckpoint(id: id, known: entries.map(\.id))
        }
        return entry
    }

    /// The entries whose size is `size` (candidates for identifying a file).
    public func entries(withSize size: Int) -> [CheckpointEntry] { entries.filter { $0.size == size } }

    /// The entry with this size and sha256, if any.
    public func entry(size: Int, sha256: String) -> CheckpointEntry? {
        entries.first { $0.size == size && $0.sha256 == sha256.lowercased() }
    }

    /// The entry stored under file name `file`, if any.
    public func entry(file: String) -> CheckpointEntry? { entries.first { $0.file == file } }
}
