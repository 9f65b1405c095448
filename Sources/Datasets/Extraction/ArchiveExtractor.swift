import Glibc
import CArchive

/// Streams zip and tar (plain, gzip, bzip2, xz) archives to disk with libarchive, refusing
/// anything that could write outside the destination.
///
/// Rules, checked before each entry is written: names must be relative and free of `..`;
/// no entry may pass through a symlink from the archive; symlinks must be relative and resolve
/// inside the destination (they are created after all files, then re-checked with `realpath`);
/// hard links must point at a file already extracted; devices, FIFOs and sockets are refused.
/// `ExtractionLimits` stop archive bombs by total size, entry count and compression ratio.
/// `extract(_:format:to:)` works in a staging folder and renames it into place, so a refused or
/// failed archive leaves nothing at the destination. Every error names the archive and the entry.
public struct ArchiveExtractor: Sendable {
    /// The limits applied to every archive.
    public var limits: ExtractionLimits
    /// Polled between entries and chunks; returning true stops the extraction with `CancellationError`
    /// (for callers off the Swift task tree; `Task.isCancelled` is checked as well).
    public var shouldStop: (@Sendable () -> Bool)?

    /// An extractor with `limits`.
    public init(limits: ExtractionLimits = .standard, shouldStop: (@Sendable () -> Bool)? = nil) {
        self.limits = limits
        self.shouldStop = shouldStop
    }

    // MARK: Extracting

    /// Extracts `archive` into a fresh staging folder next to `destination`, then renames it to
    /// `destination` (an existing destination is replaced only if `replaceExisting`).
    @discardableResult
    public func extract(_ archive: String, format: ArchiveFormat? = nil, to destination: String,
                        replaceExisting: Bool = false,
                        progress: ((ExtractionProgress) -> Void)? = nil) throws -> ExtractionSummary {
        let existing = FileTree.kind(destination)
        if existing != .none && !replaceExisting {
            throw DatasetError.file(path: destination, reason: "already exists (remove it first)")
        }
        try FileTree.makeDirectories(FileTree.parent(of: destination))
        FileTree.removeStaleSiblings(of: destination, tags: ["staging", "old"])
        let staging = FileTree.temporarySibling(of: destination, tag: "staging")
        try FileTree.makeDirectories(staging)
        var summary: ExtractionSummary
        do {
            summary = try extractContents(of: archive, format: format, into: staging, progress: progress)
            try Self.moveIntoPlace(staging, destination)
        } catch {
            try? FileTree.remove(staging)
            throw error
        }
        summary.destination = destination
        return summary
    }

    /// Renames `staging` to `destination`, removing an older `destination` first.
    static func moveIntoPlace(_ staging: String, _ destination: String) throws {
        if FileTree.kind(destination) != .none {
            let old = FileTree.temporarySibling(of: destination, tag: "old")
            guard rename(destination, old) == 0 else {
                throw DatasetError.file(path: destination, reason: "cannot replace: \(String(cString: strerror(errno)))")
            }
            try? FileTree.remove(old)
        }
        guard rename(staging, destination) == 0 else {
            throw DatasetError.file(path: destination, reason: "cannot move the extracted tree into place: \(String(cString: strerror(errno)))")
        }
    }

    /// Runs `extract(_:format:to:replaceExisting:)` on a background task and reports progress as a stream
    /// that finishes after the final report, or throws the extraction's error. Cancelling the
    /// consuming task stops the extraction and leaves nothing at the destination.
    public func progressStream(_ archive: String, format: ArchiveFormat? = nil, to destination: String,
                               replaceExisting: Bool = false) -> AsyncThrowingStream<ExtractionProgress, any Error> {
        AsyncThrowingStream { continuation in
            let task = Task.detached { [self] in
                do {
                    try self.extract(archive, format: format, to: destination, replaceExisting: replaceExisting) { report in
                        continuation.yield(report)
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// Extracts `archive` directly into the existing folder `directory`, which the caller owns
    /// (normally a fresh staging folder). On error, partial output stays for the caller to remove.
    public func extractContents(of archive: String, format: ArchiveFormat? = nil, into directory: String,
                                progress: ((ExtractionProgress) -> Void)? = nil) throws -> ExtractionSummary {
        guard let archiveSize = FileTree.size(archive) else {
            throw DatasetError.file(path: archive, reason: "no such archive file")
        }
        guard FileTree.kind(directory) == .directory else {
            throw DatasetError.file(path: directory, reason: "extraction folder does not exist")
        }
        var session = ExtractionSession(archive: archive, archiveSize: archiveSize, directory: directory,
                                        limits: limits, progress: progress)
        session.shouldStop = shouldStop
        guard let reader = mlwb_archive_read_new() else {
            throw DatasetError.archiveUnreadable(archive: archive, entry: nil, detail: "libarchive: out of memory")
        }
        defer { mlwb_archive_read_free(reader) }
        Self.configure(reader, format ?? .guess(fromFileName: archive))
        guard mlwb_archive_read_open_filename(reader, archive, 1 << 16) == ARCHIVE_OK else {
            throw DatasetError.archiveUnreadable(archive: archive, entry: nil, detail: Self.errorText(reader))
        }
        try session.run(reader)
        return session.summary
    }

    private static func configure(_ reader: OpaquePointer, _ format: ArchiveFormat) {
        switch format {
        case .zip:
            mlwb_archive_read_support_format_zip(reader)
        case .tar:
            mlwb_archive_read_support_format_tar(reader)
        case .tarGz:
            mlwb_archive_read_support_format_tar(reader); mlwb_archive_read_support_filter_gzip(reader)
        case .tarBz2:
            mlwb_archive_read_support_format_tar(reader); mlwb_archive_read_support_filter_bzip2(reader)
        case .tarXz:
            mlwb_archive_read_support_format_tar(reader); mlwb_archive_read_support_filter_xz(reader)
        case .none:
            mlwb_archive_read_support_format_zip(reader)
            mlwb_archive_read_support_format_tar(reader)
            mlwb_archive_read_support_filter_gzip(reader)
            mlwb_archive_read_support_filter_bzip2(reader)
            mlwb_archive_read_support_filter_xz(reader)
        }
    }

    static func errorText(_ reader: OpaquePointer) -> String {
        if let text = mlwb_archive_error_string(reader) { return String(cString: text) }
        return "unknown libarchive error"
    }
}

// MARK: - One extraction

/// The state of one archive being extracted: counters, deferred symlinks and the write loop.
private struct ExtractionSession {
    let archive: String
    let archiveSize: Int64
    let directory: String
    let limits: ExtractionLimits
    let progress: ((ExtractionProgress) -> Void)?
    var shouldStop: (@Sendable () -> Bool)?

    var entries = 0
    var files = 0
    var bytesWritten: Int64 = 0
    /// Symlinks seen so far (relative path → target), created after all files.
    var symlinks: [(path: String, target: String, entry: String)] = []
    var symlinkPaths = Set<String>()
    var lastReported: Int64 = 0

    init(archive: String, archiveSize: Int64, directory: String, limits: ExtractionLimits,
         progress: ((ExtractionProgress) -> Void)?) {
        self.archive = archive; self.archiveSize = archiveSize; self.directory = directory
        self.limits = limits; self.progress = progress
    }

    var summary: ExtractionSummary {
        ExtractionSummary(destination: directory, entries: entries, files: files, bytesWritten: bytesWritten)
    }

    mutating func run(_ reader: OpaquePointer) throws {
        var lastName: String?
        var entry: OpaquePointer?
        while true {
            if Task.isCancelled || shouldStop?() == true { throw CancellationError() }
            let status = mlwb_archive_read_next_header(reader, &entry)
            if status == ARCHIVE_EOF { break }
            guard status >= ARCHIVE_WARN, let entry else {
                throw DatasetError.archiveUnreadable(archive: archive, entry: lastName.map { "after \($0)" },
                                                     detail: ArchiveExtractor.errorText(reader))
            }
            let name = Self.name(of: entry)
            lastName = name
            entries += 1
            if entries > limits.maxEntries {
                throw DatasetError.limitExceeded(archive: archive, entry: name,
                                                 detail: "more than \(limits.maxEntries) entries")
            }
            try handle(entry, named: name, reader: reader)
            report(name, reader: reader, force: true)
        }
        try createSymlinks()
        report(lastName ?? "", reader: reader, force: true, finished: true)
    }

    // MARK: Entries

    private mutating func handle(_ entry: OpaquePointer, named name: String, reader: OpaquePointer) throws {
        if ArchiveEntryPath.isDestinationItself(name) {
            // `./` from `tar -C dir .`: the destination folder itself, which exists already.
            guard mlwb_archive_entry_hardlink(entry) == nil, mlwb_archive_entry_filetype(entry) & 0o170000 == 0o040000 else {
                throw unsafe(name, "names the destination folder itself but is not a folder")
            }
            return
        }
        let relative: String
        switch ArchiveEntryPath.sanitise(name) {
        case .success(let path): relative = path
        case .failure(let refusal): throw unsafe(name, refusal.description)
        }
        try checkNoSymlinkOnTheWay(relative, entry: name)
        let full = directory + "/" + relative

        if let hardlinkTarget = mlwb_archive_entry_hardlink(entry) {
            try makeHardLink(at: relative, full: full, target: String(cString: hardlinkTarget), entry: name)
            return
        }
        let type = mlwb_archive_entry_filetype(entry) & 0o170000
        switch type {
        case 0o040000:  // directory
            if symlinkPaths.contains(relative) { throw unsafe(name, "folder replaces a symlink from the archive") }
            let kind = FileTree.kind(full)
            guard kind == .none || kind == .directory else { throw unsafe(name, "folder conflicts with a file of the same name") }
            try FileTree.makeDirectories(full)
        case 0o120000:  // symlink
            guard let raw = mlwb_archive_entry_symlink(entry) else { throw unsafe(name, "symlink without a target") }
            let target = String(cString: raw)
            guard ArchiveEntryPath.resolveLinkTarget(target, from: relative) != nil else {
                throw unsafe(name, "symlink to '\(target)' points outside the destination")
            }
            if FileTree.kind(full) == .directory { throw unsafe(name, "symlink replaces a folder") }
            symlinks.append((relative, target, name))
            symlinkPaths.insert(relative)
        case 0o100000, 0:  // regular file
            try writeFile(entry, relative: relative, full: full, name: name, reader: reader)
        default:
            throw unsafe(name, "unsupported entry type (device, FIFO or socket)")
        }
    }

    /// Refuses entries whose parent is a symlink from this archive or an existing symlink on disk.
    private func checkNoSymlinkOnTheWay(_ relative: String, entry: String) throws {
        let parts = relative.split(separator: "/")
        var prefix = ""
        for part in parts.dropLast() {
            prefix = prefix.isEmpty ? String(part) : prefix + "/" + part
            if symlinkPaths.contains(prefix) || FileTree.kind(directory + "/" + prefix) == .symlink {
                throw unsafe(entry, "path goes through the symlink '\(prefix)'")
            }
        }
    }

    private mutating func makeHardLink(at relative: String, full: String, target rawTarget: String, entry name: String) throws {
        let target: String
        switch ArchiveEntryPath.sanitise(rawTarget) {
        case .success(let path): target = path
        case .failure(let refusal): throw unsafe(name, "hard link to '\(rawTarget)': \(refusal)")
        }
        try checkNoSymlinkOnTheWay(target, entry: name)
        guard !symlinkPaths.contains(target), FileTree.kind(directory + "/" + target) == .file else {
            throw unsafe(name, "hard link to '\(rawTarget)', which is not a file extracted from this archive")
        }
        try FileTree.makeDirectories(FileTree.parent(of: full))
        try removeExistingFile(full, entry: name)
        guard link(directory + "/" + target, full) == 0 else {
            throw DatasetError.file(path: full, reason: "cannot create hard link (entry '\(name)' of \(archive)): \(String(cString: strerror(errno)))")
        }
        files += 1
    }

    private mutating func writeFile(_ entry: OpaquePointer, relative: String, full: String, name: String,
                                    reader: OpaquePointer) throws {
        if symlinkPaths.contains(relative) { throw unsafe(name, "file replaces a symlink from the archive") }
        if mlwb_archive_entry_size_is_set(entry) != 0 {
            let declared = mlwb_archive_entry_size(entry)
            if declared > limits.maxTotalBytes - bytesWritten {
                throw DatasetError.limitExceeded(archive: archive, entry: name,
                                                 detail: "entry declares \(declared) bytes; the limit is \(limits.maxTotalBytes) bytes in total")
            }
        }
        try FileTree.makeDirectories(FileTree.parent(of: full))
        try removeExistingFile(full, entry: name)
        let mode: mode_t = (mlwb_archive_entry_perm(entry) & 0o111) != 0 ? 0o755 : 0o644
        let descriptor = open(full, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
        guard descriptor >= 0 else {
            throw DatasetError.file(path: full, reason: "cannot create (entry '\(name)' of \(archive)): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        let chunk = 1 << 18
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: chunk, alignment: 64)
        defer { buffer.deallocate() }
        while true {
            let count = mlwb_archive_read_data(reader, buffer, chunk)
            if count == 0 { break }
            if count < 0 {
                if count == Int(ARCHIVE_WARN) { continue }
                throw DatasetError.archiveUnreadable(archive: archive, entry: name, detail: ArchiveExtractor.errorText(reader))
            }
            bytesWritten += Int64(count)
            try checkSize(name)
            var offset = 0
            while offset < count {
                let written = write(descriptor, buffer + offset, count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    let reason = errno == ENOSPC ? "disk full" : String(cString: strerror(errno))
                    throw DatasetError.file(path: full, reason: "write failed (entry '\(name)' of \(archive)): \(reason)")
                }
                offset += written
            }
            if bytesWritten - lastReported >= 1 << 20 { report(name, reader: reader, force: false) }
            if Task.isCancelled || shouldStop?() == true { throw CancellationError() }
        }
        files += 1
    }

    private func checkSize(_ name: String) throws {
        if bytesWritten > limits.maxTotalBytes {
            throw DatasetError.limitExceeded(archive: archive, entry: name,
                                             detail: "more than \(limits.maxTotalBytes) bytes extracted")
        }
        if bytesWritten > limits.ratioGraceBytes {
            let ratio = Double(bytesWritten) / Double(max(archiveSize, 1))
            if ratio > limits.maxCompressionRatio {
                throw DatasetError.limitExceeded(archive: archive, entry: name,
                                                 detail: "expands more than \(Int(limits.maxCompressionRatio))× (\(bytesWritten) bytes from a \(archiveSize)-byte archive)")
            }
        }
    }

    private func removeExistingFile(_ full: String, entry name: String) throws {
        switch FileTree.kind(full) {
        case .none: return
        case .file: unlink(full)
        default: throw unsafe(name, "conflicts with an existing folder or link of the same name")
        }
    }

    // MARK: Symlinks

    /// Resolves every deferred symlink against the tree as it will be (the archive's other links
    /// and whatever is on disk), refusing any that leads outside, creates them, then checks each
    /// once more with `realpath`.
    private func createSymlinks() throws {
        guard !symlinks.isEmpty else { return }
        var pending: [String: String] = [:]
        for link in symlinks { pending[link.path] = link.target }
        for link in symlinks {
            var parents = link.path.split(separator: "/").dropLast().map(String.init)
            var prefix: [String] = []
            for part in parents {
                prefix.append(part)
                if pending[prefix.joined(separator: "/")] != nil {
                    throw unsafe(link.entry, "path goes through the symlink '\(prefix.joined(separator: "/"))'")
                }
            }
            var hops = 0
            let resolved = try resolve(link.target, from: &parents, pending: pending, hops: &hops, entry: link.entry)
            if !resolved {
                throw unsafe(link.entry, "symlink to '\(link.target)' resolves outside the destination (through the links it passes)")
            }
        }
        for link in symlinks {
            let full = directory + "/" + link.path
            try FileTree.makeDirectories(FileTree.parent(of: full))
            switch FileTree.kind(full) {
            case .none: break
            case .symlink: unlink(full)
            default: throw unsafe(link.entry, "symlink conflicts with a file or folder of the same name")
            }
            guard symlink(link.target, full) == 0 else {
                throw DatasetError.file(path: full, reason: "cannot create symlink (entry '\(link.entry)' of \(archive)): \(String(cString: strerror(errno)))")
            }
        }
        guard let root = Self.realPath(directory) else { return }
        for link in symlinks {
            guard let resolved = Self.realPath(directory + "/" + link.path) else { continue }  // dangling, checked lexically
            if resolved != root && !resolved.hasPrefix(root + "/") {
                throw unsafe(link.entry, "symlink to '\(link.target)' resolves outside the destination (\(resolved))")
            }
        }
    }

    /// Follows `target` from the folder `stack` (components under the destination), expanding the
    /// archive's pending links and links already on disk as they are met, like the kernel would.
    /// Returns false when the walk leaves the destination; throws after 40 links (a loop).
    private func resolve(_ target: String, from stack: inout [String], pending: [String: String],
                         hops: inout Int, entry: String) throws -> Bool {
        guard !target.isEmpty, !target.hasPrefix("/"), !target.hasPrefix("\\") else { return false }
        for part in target.split(whereSeparator: { $0 == "/" || $0 == "\\" }) {
            switch part {
            case ".": continue
            case "..":
                if stack.isEmpty { return false }
                stack.removeLast()
            default:
                stack.append(String(part))
                let path = stack.joined(separator: "/")
                guard let next = pending[path] ?? Self.linkTarget(directory + "/" + path) else { continue }
                hops += 1
                guard hops <= 40 else { throw unsafe(entry, "symlinks form a loop (more than 40 links to follow)") }
                stack.removeLast()
                guard try resolve(next, from: &stack, pending: pending, hops: &hops, entry: entry) else { return false }
            }
        }
        return true
    }

    /// The target of the symlink at `path` on disk, or nil when there is none.
    private static func linkTarget(_ path: String) -> String? {
        guard FileTree.kind(path) == .symlink else { return nil }
        var buffer = [CChar](repeating: 0, count: 4097)
        let n = readlink(path, &buffer, buffer.count - 1)
        guard n >= 0 else { return nil }
        return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    // MARK: Reporting

    private mutating func report(_ name: String, reader: OpaquePointer, force: Bool, finished: Bool = false) {
        guard let progress else { return }
        lastReported = bytesWritten
        let consumed = mlwb_archive_filter_bytes(reader, -1)
        progress(ExtractionProgress(archive: archive, entry: name, entries: entries, bytesWritten: bytesWritten,
                                    archiveBytesRead: min(Int64(consumed), archiveSize), archiveSize: archiveSize,
                                    finished: finished))
    }

    private func unsafe(_ entry: String, _ reason: String) -> DatasetError {
        .unsafeEntry(archive: archive, entry: entry, reason: reason)
    }

    private static func name(of entry: OpaquePointer) -> String {
        if let utf8 = mlwb_archive_entry_pathname_utf8(entry) { return String(cString: utf8) }
        if let raw = mlwb_archive_entry_pathname(entry) { return String(cString: raw) }
        return ""
    }
}
