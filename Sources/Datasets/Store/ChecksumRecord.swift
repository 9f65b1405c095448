import Foundation

/// The digests of a dataset's downloaded files, kept in `datasets/<id>/checksums.json`.
///
/// omnizart's datasets publish no checksums, so mlwb records the SHA-256 (and size) of each file
/// the first time it is downloaded; later `verify` runs compare against this record, which catches
/// bit rot and truncation even when the publisher gave nothing to check against.
public struct ChecksumRecord: Sendable, Codable, Equatable {
    /// One recorded file.
    public struct File: Sendable, Codable, Equatable {
        /// The size in bytes.
        public var size: Int64
        /// The SHA-256 (lowercase hex).
        public var sha256: String
        /// Where the digest comes from: `catalog` (published) or `first-download` (recorded here).
        public var origin: String
        /// When it was recorded (ISO 8601).
        public var recorded: String

        /// A record from its parts.
        public init(size: Int64, sha256: String, origin: String, recorded: String) {
            self.size = size; self.sha256 = sha256; self.origin = origin; self.recorded = recorded
        }
    }

    /// The format version (1).
    public var version: Int
    /// Recorded files by file name in `downloads/`.
    public var files: [String: File]

    /// An empty record.
    public init(files: [String: File] = [:]) { version = 1; self.files = files }

    // MARK: Reading and writing

    /// Reads the record at `path`; a missing or unreadable file gives an empty record.
    public static func read(_ path: String) -> ChecksumRecord {
        guard let data = FileManager.default.contents(atPath: path),
              let record = try? JSONDecoder().decode(ChecksumRecord.self, from: data) else { return ChecksumRecord() }
        return record
    }

    /// Writes the record to `path` atomically.
    public func write(to path: String) throws {
        try StoreMarker.writeJSON(self, to: path)
    }

    /// The current time as ISO 8601 text.
    public static func now() -> String {
        ISO8601DateFormatter().string(from: Date())
    }
}
