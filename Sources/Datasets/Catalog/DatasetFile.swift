import Remote

/// One file a dataset is downloaded as: where it comes from, what it should be, how it is packed.
///
/// None of omnizart's datasets publish checksums, so `sha256`/`md5` are usually nil; `verify`
/// then checks against the digests recorded at the first download (`checksums.json`).
public struct DatasetFile: Sendable, Codable, Equatable {
    /// The name the file is stored under in `downloads/` (also used for mirror look-ups).
    public var filename: String
    /// An HTTP(S) URL, or nil for a Google Drive file.
    public var url: String?
    /// A Google Drive file id, or nil for a plain URL.
    public var driveID: String?
    /// The size in bytes, when known.
    public var size: Int64?
    /// The published SHA-256 (lowercase hex), when known.
    public var sha256: String?
    /// The published MD5 (lowercase hex), when known.
    public var md5: String?
    /// How the file is packed.
    public var archive: ArchiveFormat
    /// A folder inside `data/` to extract or copy into (nil: `data/` itself).
    public var into: String?

    /// A file description from its parts.
    public init(filename: String, url: String? = nil, driveID: String? = nil, size: Int64? = nil, sha256: String? = nil,
                md5: String? = nil, archive: ArchiveFormat, into: String? = nil) {
        self.filename = filename; self.url = url; self.driveID = driveID; self.size = size
        self.sha256 = sha256; self.md5 = md5; self.archive = archive; self.into = into
    }

    private enum CodingKeys: String, CodingKey { case filename, url, driveID = "driveId", size, sha256, md5, archive, into }

    // MARK: Source

    /// The URL shown to users: the plain URL, or the Drive download URL for a Drive id.
    public var displayURL: String {
        if let url { return url }
        if let driveID { return "https://drive.google.com/uc?export=download&id=\(driveID)" }
        return "(none)"
    }

    /// Whether `id` looks like a Google Drive file id (25–44 characters of `A-Za-z0-9_-`).
    public static func isPlausibleDriveID(_ id: String) -> Bool {
        (25...44).contains(id.utf8.count) && id.utf8.allSatisfy { c in
            (48...57).contains(c) || (65...90).contains(c) || (97...122).contains(c) || c == 45 || c == 95
        }
    }

    /// A description of what is wrong with the file entry, or nil when it is well-formed.
    public var problem: String? {
        if filename.isEmpty || filename.contains("/") || filename.hasPrefix(".") {
            return "file name '\(filename)' must be a plain name (no '/', not hidden)"
        }
        switch (url, driveID) {
        case (nil, nil): return "file \(filename) has neither url nor driveId"
        case (.some, .some): return "file \(filename) has both url and driveId"
        case (.some(let url), nil):
            guard let scheme = url.split(separator: ":").first, scheme == "http" || scheme == "https",
                  url.dropFirst(scheme.count).hasPrefix("://"),
                  let host = url.dropFirst(scheme.count + 3).split(separator: "/").first, host.contains(".") else {
                return "file \(filename): '\(url)' is not an http(s) URL"
            }
            if url.contains(" ") { return "file \(filename): URL contains a space" }
        case (nil, .some(let id)):
            if !Self.isPlausibleDriveID(id) { return "file \(filename): '\(id)' does not look like a Google Drive id" }
        }
        if let size, size <= 0 { return "file \(filename): size must be positive" }
        if let sha256, !StreamingDigest.isValidHex(sha256, for: .sha256) { return "file \(filename): sha256 is not 64 hex digits" }
        if let md5, !StreamingDigest.isValidHex(md5, for: .md5) { return "file \(filename): md5 is not 32 hex digits" }
        if let into, !DatasetLayout.isSafeRelativePath(into) { return "file \(filename): 'into' must be a relative path" }
        return nil
    }
}
