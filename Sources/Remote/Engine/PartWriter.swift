import Glibc
import CCurl
import Media

/// Writes a download's bytes to `DEST.part`, hashing them as they go, and finally flushes
/// and renames the verified file to its final name. One owner (the transfer thread).
final class PartWriter {
    // MARK: Stored properties

    /// The `.part` path.
    let path: String
    /// Bytes in the file (and fed to the digests).
    private(set) var size: Int64 = 0
    /// Digests kept in step with the file's bytes (hashed on a thread of their own).
    private let digester: BackgroundDigester
    private var descriptor: Int32
    private var flushedUpTo: Int64 = 0
    /// Whether to write back while downloading and fsync before the rename.
    let sync: Bool

    // MARK: Opening

    /// Opens (creating if needed) `path`; keeps its bytes and re-hashes them when `keep`,
    /// truncates it otherwise.
    init(path: String, keep: Bool, algorithms: [StreamingDigest.Algorithm], sync: Bool = false,
         shouldStop: () -> Bool) throws {
        self.path = path
        self.sync = sync
        digester = BackgroundDigester(algorithms: algorithms)
        descriptor = -1
        // Never through a link planted at the name: refused, not followed (and not deleted).
        try OwnedFile.checkReplaceable(path)
        if keep {
            descriptor = try OwnedFile.openOrCreate(path)
        } else {
            unlink(path)
            descriptor = try OwnedFile.create(path)
        }
        if keep {
            var info = stat()
            fstat(descriptor, &info)
            size = Int64(info.st_size)
            flushedUpTo = size
            if size > 0, !digester.digests.isEmpty {
                // Re-hash what an earlier run left so the digests cover the whole file.
                try rehash(shouldStop: shouldStop)
            }
        }
    }

    deinit { if descriptor >= 0 { Glibc.close(descriptor) } }

    private func rehash(shouldStop: () -> Bool) throws {
        let chunk = 1 << 20
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: chunk, alignment: 64)
        defer { buffer.deallocate() }
        var offset: Int64 = 0
        while offset < size {
            let n = pread(descriptor, buffer, Int(min(Int64(chunk), size - offset)), off_t(offset))
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { throw RemoteError.file(.unreadable(path: path, reason: "cannot re-read the partial file")) }
            digester.update(buffer, count: n)
            offset += Int64(n)
            if shouldStop() { throw RemoteError.paused(partialPath: path, bytes: size) }
        }
    }

    // MARK: Writing

    /// Empties the file and the digests (restart from byte 0). The file is replaced by a new one
    /// rather than truncated: ext4 flushes a truncated-then-rewritten file on close, which costs seconds.
    func truncate() throws {
        if descriptor >= 0 { Glibc.close(descriptor); descriptor = -1 }
        try OwnedFile.checkReplaceable(path)
        unlink(path)
        descriptor = try OwnedFile.create(path)
        size = 0
        flushedUpTo = 0
        digester.reset()
    }

    /// Appends `count` bytes; returns errno on failure (ENOSPC for a full disk).
    func append(_ bytes: UnsafeRawPointer, count: Int) -> Int32? {
        var done = 0
        while done < count {
            let n = pwrite(descriptor, bytes + done, count - done, off_t(size + Int64(done)))
            if n < 0 {
                if errno == EINTR { continue }
                let code = errno
                // Drop a torn tail so the file's bytes and the digests stay in step.
                _ = ftruncate(descriptor, off_t(size))
                return code
            }
            done += n
        }
        digester.update(bytes, count: count)
        size += Int64(count)
        if sync, size - flushedUpTo >= Self.writebackStep { startWriteback() }
        return nil
    }

    /// Starts writing the bytes so far to disk in the background (`sync_file_range`), so dirty
    /// pages never pile up and the final fsync has little left to do.
    private func startWriteback() {
        _ = mlwb_sync_file_range(descriptor, flushedUpTo, size - flushedUpTo)
        flushedUpTo = size
    }

    /// Bytes between two background writebacks (32 MiB).
    static let writebackStep: Int64 = 32 << 20

    /// The hex digest for `algorithm`, if it is being computed.
    func hex(_ algorithm: StreamingDigest.Algorithm) -> String? {
        digester.hex(algorithm)
    }

    // MARK: Finishing

    /// Flushes to disk, closes and renames the `.part` to `destination` (atomic on one file system).
    func commit(to destination: String) throws {
        guard !sync || fsync(descriptor) == 0 else {
            let reason = String(cString: strerror(errno))
            throw RemoteError.file(.writeFailed(path: path, reason: "fsync failed: \(reason)"))
        }
        close(descriptor)
        descriptor = -1
        guard rename(path, destination) == 0 else {
            throw RemoteError.file(.writeFailed(path: destination, reason: String(cString: strerror(errno))))
        }
        guard sync else { return }
        let directory = open(AtomicFile.parentDirectory(of: destination), O_RDONLY | O_DIRECTORY)
        if directory >= 0 { _ = fsync(directory); close(directory) }
    }

    /// Closes and deletes the `.part` (after a failed verification or a cancel).
    func discard() {
        if descriptor >= 0 { close(descriptor); descriptor = -1 }
        unlink(path)
    }

    /// Closes the file, keeping it for a later resume (an empty file is removed).
    func closeKeeping() {
        if descriptor >= 0 { Glibc.close(descriptor); descriptor = -1 }
        if size == 0 { unlink(path) }
    }
}
