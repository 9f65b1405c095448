import Remote

/// SHA-256 and MD5 of files for the dataset catalog, streamed in 1 MiB chunks (never the whole file in memory).
public enum FileDigest {
    /// A digest algorithm used in the catalog and in `checksums.json`.
    public enum Algorithm: String, Sendable, Hashable, Codable, CaseIterable {
        case sha256, md5

        /// The digest length in hexadecimal characters.
        public var hexLength: Int { self == .sha256 ? 64 : 32 }
    }

    // MARK: Hashing

    /// The lowercase hexadecimal digest of the file at `path`; `progress` receives bytes hashed so far.
    /// (Hashing is Remote's `StreamingDigest`; this adds the catalog's error type.)
    public static func hex(of path: String, algorithm: Algorithm = .sha256,
                           progress: ((Int64) -> Void)? = nil) throws -> String {
        let digest = StreamingDigest(algorithm == .sha256 ? .sha256 : .md5)
        do {
            try digest.update(file: path) { total in
                progress?(total)
                return true
            }
        } catch let error as RemoteError {
            throw DatasetError.file(path: path, reason: "\(error)")
        }
        return digest.hex()
    }

    /// Whether `text` looks like a hexadecimal digest for `algorithm`.
    public static func isValidHex(_ text: String, for algorithm: Algorithm) -> Bool {
        text.utf8.count == algorithm.hexLength && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) || (65...70).contains($0) }
    }
}
