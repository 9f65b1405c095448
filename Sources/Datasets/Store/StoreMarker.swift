import Foundation
import Media

/// The small JSON files a dataset folder keeps: `.extracted` (written after a complete extraction)
/// and `.verified` (written after a clean validation, with a fingerprint of the tree so any later
/// change makes the dataset "extracted" again).
public struct StoreMarker: Sendable, Codable, Equatable {
    /// The number of files under `data/`.
    public var fileCount: Int
    /// Their total size in bytes.
    public var totalBytes: Int64
    /// When the marker was written (ISO 8601).
    public var written: String

    /// A marker describing the tree under `dataFolder` now.
    public static func fingerprint(of dataFolder: String) -> StoreMarker {
        let items = FileTree.files(under: dataFolder)
        return StoreMarker(fileCount: items.count, totalBytes: items.reduce(0) { $0 + $1.size },
                           written: ChecksumRecord.now())
    }

    /// Whether this marker describes the same tree as `other` (ignoring when they were written).
    public func sameTree(as other: StoreMarker) -> Bool {
        fileCount == other.fileCount && totalBytes == other.totalBytes
    }

    /// Reads a marker, or nil.
    public static func read(_ path: String) -> StoreMarker? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return try? JSONDecoder().decode(StoreMarker.self, from: data)
    }

    /// Writes `value` as pretty JSON to `path` atomically.
    static func writeJSON<T: Encodable>(_ value: T, to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(value)
        do {
            try AtomicFile.write(Array(data) + [10], to: path)
        } catch let error as MediaError {
            throw DatasetError.media(error)
        }
    }
}
