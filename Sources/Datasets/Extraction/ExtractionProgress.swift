/// How far an extraction has got; delivered after each entry and about every MiB written.
public struct ExtractionProgress: Sendable, Equatable {
    /// The archive being extracted.
    public var archive: String
    /// The entry being written (its name inside the archive).
    public var entry: String
    /// Entries processed so far, including the current one.
    public var entries: Int
    /// Bytes written so far.
    public var bytesWritten: Int64
    /// Archive bytes consumed so far (compressed).
    public var archiveBytesRead: Int64
    /// The archive's size on disk.
    public var archiveSize: Int64
    /// Whether this is the final report (everything written and moved into place).
    public var finished: Bool

    /// A report from its parts.
    public init(archive: String, entry: String, entries: Int, bytesWritten: Int64, archiveBytesRead: Int64,
                archiveSize: Int64, finished: Bool) {
        self.archive = archive; self.entry = entry; self.entries = entries; self.bytesWritten = bytesWritten
        self.archiveBytesRead = archiveBytesRead; self.archiveSize = archiveSize; self.finished = finished
    }

    /// The share of the archive consumed, 0…1.
    public var fraction: Double {
        archiveSize > 0 ? min(1, Double(archiveBytesRead) / Double(archiveSize)) : 0
    }
}

/// What an extraction produced.
public struct ExtractionSummary: Sendable, Equatable {
    /// The destination folder.
    public var destination: String
    /// Entries processed (files, folders, links).
    public var entries: Int
    /// Regular files written (hard links included).
    public var files: Int
    /// Bytes written.
    public var bytesWritten: Int64
}
