/// How urgent a download is; the queue starts higher priorities first (FIFO within one priority).
public enum DownloadPriority: Int, Sendable, Comparable, CaseIterable {
    case low = 0, normal = 1, high = 2

    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
}

/// One file to fetch: where from, where to, and what it must look like when done.
public struct DownloadRequest: Sendable, Equatable {
    // MARK: Stored properties

    /// The source: an http(s) or file URL, a Google Drive share link, or `gdrive:ID`.
    public var url: String
    /// The final path; bytes go to `destination + ".part"` until verified.
    public var destination: String
    /// The expected size in bytes, when known.
    public var expectedSize: Int64?
    /// The expected SHA-256 (hex), when known.
    public var sha256: String?
    /// The expected MD5 (hex), when known.
    public var md5: String?
    /// Whether a web page is an error (true for weights, archives, audio…).
    public var expectBinary: Bool
    /// Queue priority.
    public var priority: DownloadPriority
    /// Compute the SHA-256 while writing even if none is expected (reported in the result).
    public var computeSHA256: Bool
    /// A short label for progress displays (defaults to the destination's file name).
    public var label: String

    // MARK: Creating

    /// A request; `label` defaults to the destination's file name.
    public init(url: String, destination: String, expectedSize: Int64? = nil, sha256: String? = nil,
                md5: String? = nil, expectBinary: Bool = true, priority: DownloadPriority = .normal,
                computeSHA256: Bool = false, label: String? = nil) {
        self.url = url
        self.destination = destination
        self.expectedSize = expectedSize
        self.sha256 = sha256?.lowercased()
        self.md5 = md5?.lowercased()
        self.expectBinary = expectBinary
        self.priority = priority
        self.computeSHA256 = computeSHA256
        self.label = label ?? (destination.split(separator: "/").last.map(String.init) ?? destination)
    }

    // MARK: Derived paths

    /// Where bytes are written until the download is verified.
    public var partialPath: String { destination + ".part" }
    /// The sidecar JSON with the resume validator.
    public var metadataPath: String { destination + ".part.meta" }
    /// The lock file that keeps two processes from writing the same file.
    public var lockPath: String { destination + ".part.lock" }
}

/// What a finished download produced.
public struct DownloadResult: Sendable, Equatable {
    /// The final, verified path.
    public var path: String
    /// The file size in bytes.
    public var size: Int64
    /// The SHA-256 (hex) if it was expected or requested.
    public var sha256: String?
    /// The MD5 (hex) if it was expected.
    public var md5: String?
    /// Bytes that were already on disk from an earlier run and not fetched again.
    public var resumedBytes: Int64
    /// Where the bytes came from (the URL, a mirror URL or a mirror file).
    public var source: String
    /// Whether a verified copy was already in place and nothing was fetched.
    public var alreadyPresent: Bool

    public init(path: String, size: Int64, sha256: String?, md5: String?, resumedBytes: Int64,
                source: String, alreadyPresent: Bool) {
        self.path = path; self.size = size; self.sha256 = sha256; self.md5 = md5
        self.resumedBytes = resumedBytes; self.source = source; self.alreadyPresent = alreadyPresent
    }
}
