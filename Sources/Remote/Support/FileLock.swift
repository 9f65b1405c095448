import Glibc
import Media

/// The lock file `DEST.part.lock` that keeps two mlwb processes (or two downloads in one) from
/// writing the same file. It holds "pid hostname"; the lock itself is an `flock` held while the
/// download runs, so a lock left by a dead process is free and simply taken over.
public final class FileLock: @unchecked Sendable {
    /// The lock file's path.
    public let path: String
    private var descriptor: Int32

    private init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = descriptor
    }

    deinit { release() }

    /// Takes the lock at `path` or throws `RemoteError.busy` naming the holder.
    public static func acquire(_ path: String) throws -> FileLock {
        for _ in 0..<5 {
            // O_NOFOLLOW / O_EXCL: a link planted at the lock's name is refused, never truncated through.
            let fd = try OwnedFile.openOrCreate(path)
            if flock(fd, LOCK_EX | LOCK_NB) != 0 {
                close(fd)
                throw RemoteError.busy(path: String(path.dropLast(".part.lock".count)), owner: describeOwner(path))
            }
            // The holder may have released and unlinked the file between our open and flock:
            // then we locked an orphan inode; try again with the current file.
            var held = stat(), current = stat()
            if fstat(fd, &held) == 0, lstat(path, &current) == 0, held.st_ino == current.st_ino, held.st_dev == current.st_dev {
                let text = "\(getpid()) \(hostName())\n"
                _ = ftruncate(fd, 0)
                _ = text.withCString { pwrite(fd, $0, strlen($0), 0) }
                return FileLock(path: path, descriptor: fd)
            }
            close(fd)
        }
        throw RemoteError.busy(path: path, owner: "the lock file keeps changing")
    }

    /// Removes the lock file and releases the lock (idempotent).
    public func release() {
        guard descriptor >= 0 else { return }
        unlink(path)
        close(descriptor)
        descriptor = -1
    }

    /// The owner recorded in a lock file, e.g. "pid 123 on host box", for messages.
    static func describeOwner(_ path: String) -> String {
        guard let bytes = try? FileAccess.readBytes(path, maxBytes: 4096) else { return "unknown process" }
        let words = String(decoding: bytes, as: UTF8.self).split(whereSeparator: { $0 == " " || $0 == "\n" })
        guard words.count >= 2 else { return "unknown process" }
        let pid = String(words[0]), host = String(words[1])
        if pid == "\(getpid())", host == hostName() { return "another download in this mlwb process" }
        return "mlwb pid \(pid) on \(host)"
    }

    /// This machine's host name.
    static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        return buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }
}
