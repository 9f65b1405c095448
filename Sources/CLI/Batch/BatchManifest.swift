import Datasets
import Foundation
import Glibc
import Media
import Remote

/// The record of a batch run in its output folder (`mlwb-CMD.json`, or `mlwb-CMD.shard-K-of-N.json` for one
/// shard): per item its input's size, mtime and sha256, the settings (parameters and checkpoint sha256s) it was
/// made with, its outputs (size, sha256), and whether it worked. Written atomically after every item, so a
/// kill leaves either the old or the new file, never a mix; keys are sorted, so equal runs write equal bytes.
struct BatchManifest: Codable, Equatable, Sendable {
    /// The format version this code reads and writes.
    static let currentVersion = 1

    // MARK: Records

    /// What an item was made with: the command's parameters (every one, as text) and checkpoint sha256s by id.
    struct Settings: Codable, Equatable, Sendable {
        var parameters: [String: String]
        var checkpoints: [String: String]

        /// A short stable name for these settings (the first 16 hex digits of the sha256 of their JSON).
        func digest(command: String) -> String {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            let bytes = (try? encoder.encode(self)).map { Array($0) } ?? []
            return String(StreamingDigest.hex(of: Array(command.utf8) + [0] + bytes).prefix(16))
        }
    }

    /// An input file as it was read.
    struct Input: Codable, Equatable, Sendable {
        /// The path it was read from.
        var path: String
        var size: Int64
        /// Modification time, `seconds.nanoseconds` since the epoch (exact, as text).
        var mtime: String
        var sha256: String
    }

    /// A file written for an item, relative to the output folder.
    struct Output: Codable, Equatable, Sendable {
        var path: String
        var size: Int64
        var sha256: String
    }

    /// Whether an item's outputs were made.
    enum Status: String, Codable, Sendable { case ok, failed }

    /// One item.
    struct Record: Codable, Equatable, Sendable {
        var input: Input
        /// The digest of the settings it was made with (a key of `settings`).
        var settings: String
        var status: Status
        /// Why it failed.
        var error: String?
        /// One line about the result (`194 notes`).
        var summary: String?
        var outputs: [Output]
    }

    // MARK: Stored properties

    var version: Int
    /// The command that wrote it (`transcribe`).
    var command: String
    /// `K/N` for a shard's manifest.
    var shard: String?
    /// Settings by digest (only those some item uses).
    var settings: [String: Settings]
    /// Items by relative input path.
    var items: [String: Record]

    /// An empty manifest.
    init(command: String, shard: BatchShard?) {
        version = Self.currentVersion
        self.command = command
        self.shard = shard?.description
        settings = [:]
        items = [:]
    }

    // MARK: Files

    /// The manifest's file name in the output folder.
    static func fileName(command: String, shard: BatchShard?) -> String {
        guard let shard else { return "mlwb-\(command).json" }
        return "mlwb-\(command).shard-\(shard.index)-of-\(shard.count).json"
    }

    /// Whether `name` is a manifest file of `command` (merged or a shard's).
    static func isManifestName(_ name: String, command: String) -> Bool {
        name == "mlwb-\(command).json" || (name.hasPrefix("mlwb-\(command).shard-") && name.hasSuffix(".json"))
    }

    /// The commands whose manifests are in `folder`.
    static func commands(in folder: String) -> [String] {
        let names = FileTree.entries(of: folder).filter { $0.hasPrefix("mlwb-") && $0.hasSuffix(".json") }
        return Set(names.map { String($0.dropFirst(5).prefix { $0 != "." }) }).sorted()
    }

    /// Every manifest of `command` in `folder`, by file name (an unreadable one is an error naming it).
    static func readAll(in folder: String, command: String) throws -> [(name: String, manifest: BatchManifest)] {
        try FileTree.entries(of: folder).filter { isManifestName($0, command: command) }.sorted().map { name in
            (name, try read(folder + "/" + name))
        }
    }

    /// Reads one manifest file.
    static func read(_ path: String) throws -> BatchManifest {
        let bytes = try FileAccess.readBytes(path, maxBytes: 1 << 30)
        let manifest: BatchManifest
        do {
            manifest = try JSONDecoder().decode(BatchManifest.self, from: Data(bytes))
        } catch {
            throw MediaError.corrupt(path: path, format: "batch manifest", detail: "not a manifest mlwb wrote (\(error)); move it away to start over")
        }
        guard manifest.version == currentVersion else {
            throw MediaError.unsupported(path: path, detail: "manifest version \(manifest.version); this mlwb reads version \(currentVersion)")
        }
        return manifest
    }

    /// The manifest as JSON: sorted keys, two-space indents, a final newline.
    func encoded() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return Array(try encoder.encode(self)) + [0x0A]
    }

    /// The manifest with only the settings some item uses.
    func pruned() -> BatchManifest {
        var copy = self
        let used = Set(items.values.map(\.settings))
        copy.settings = settings.filter { used.contains($0.key) }
        return copy
    }

    /// Writes the manifest to `path` atomically, keeping only the settings some item uses.
    func write(to path: String) throws {
        try AtomicFile.write(try pruned().encoded(), to: path)
    }

    // MARK: File facts

    /// Size and `seconds.nanoseconds` mtime of `path` (following symlinks), or nil when it is not a file.
    static func stamp(_ path: String) -> (size: Int64, mtime: String)? {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        let nanos = String(info.st_mtim.tv_nsec)
        return (Int64(info.st_size), "\(info.st_mtim.tv_sec)." + String(repeating: "0", count: max(0, 9 - nanos.count)) + nanos)
    }

    /// The input record of `path` now: its stamp and the sha256 of its bytes.
    static func input(_ path: String) throws -> Input {
        guard let stamp = stamp(path) else {
            _ = try FileAccess.checkReadableFile(path)
            throw MediaError.fileNotFound(path: path)
        }
        return Input(path: path, size: stamp.size, mtime: stamp.mtime, sha256: try StreamingDigest.hex(file: path))
    }
}
