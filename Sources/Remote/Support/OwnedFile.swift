#if canImport(Glibc)
import Glibc
#endif
import Media

/// Opening the files a download keeps beside its result (`DEST.part`, `DEST.part.lock`) so that a
/// link planted at their names is refused, never followed: existing files are opened with
/// `O_NOFOLLOW` and must be plain regular files with a single link; new ones are created with `O_EXCL`.
enum OwnedFile {
    // MARK: Opening

    /// Opens `path` read-write: the regular file already there, or a new empty one.
    static func openOrCreate(_ path: String) throws -> Int32 {
        try checkName(path)
        for _ in 0..<8 {
            let fd = open(path, O_RDWR | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
            if fd >= 0 { return try checked(fd, path) }
            let code = errno
            if code == ENOENT {
                let created = open(path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
                if created >= 0 { return created }
                if errno == EEXIST { continue }  // someone else created it in between: look again
                throw RemoteError.file(.writeFailed(path: path, reason: String(cString: strerror(errno))))
            }
            throw refusal(path, code)
        }
        throw RemoteError.unsafeFile(path: path, reason: "keeps appearing and disappearing while mlwb opens it")
    }

    /// Creates `path` as a new empty file; anything already at the name (even a dangling link) is an error.
    static func create(_ path: String) throws -> Int32 {
        try checkName(path)
        let fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            let code = errno
            if code == EEXIST { try checkReplaceable(path) }
            throw RemoteError.file(.writeFailed(path: path, reason: String(cString: strerror(code))))
        }
        return fd
    }

    // MARK: Checks

    /// Throws unless `path` is free or holds a plain regular file that may be deleted and replaced.
    static func checkReplaceable(_ path: String) throws {
        try checkName(path)
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return
        case S_IFLNK: throw RemoteError.unsafeFile(path: path, reason: "is a symbolic link\(linkTarget(path))")
        default: throw RemoteError.unsafeFile(path: path, reason: "is not a regular file (a folder, device, FIFO or socket)")
        }
    }

    /// Throws for a name C cannot hold: Swift strings may contain NUL, which would cut the path short.
    static func checkName(_ path: String) throws {
        guard !path.isEmpty else { throw RemoteError.unsafeFile(path: "''", reason: "is an empty file name") }
        guard !path.utf8.contains(0) else {
            throw RemoteError.unsafeFile(path: path.replacingNUL, reason: "the name contains a NUL character (it would name another file)")
        }
    }

    /// `fd` after checking it is a regular file with one link (closed and refused otherwise).
    private static func checked(_ fd: Int32, _ path: String) throws -> Int32 {
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            close(fd)
            throw RemoteError.file(.unreadable(path: path, reason: String(cString: strerror(errno))))
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            throw RemoteError.unsafeFile(path: path, reason: "is not a regular file (a folder, device, FIFO or socket)")
        }
        guard info.st_nlink == 1 else {
            close(fd)
            throw RemoteError.unsafeFile(path: path, reason: "has \(info.st_nlink) hard links (another name shares its bytes)")
        }
        // Opened non-blocking so a FIFO could not hang the open; the file itself is used blocking.
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        return fd
    }

    private static func refusal(_ path: String, _ code: Int32) -> RemoteError {
        if code == ELOOP { return .unsafeFile(path: path, reason: "is a symbolic link\(linkTarget(path))") }
        return .file(.writeFailed(path: path, reason: String(cString: strerror(code))))
    }

    /// " (to TARGET)" for a symlink at `path`, or "".
    private static func linkTarget(_ path: String) -> String {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink(path, &buffer, buffer.count - 1)
        guard n > 0 else { return "" }
        return " (to \(String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)))"
    }
}

extension String {
    /// The text with NUL characters shown as `\0`, for messages.
    var replacingNUL: String { unicodeScalars.map { $0 == "\0" ? "\\0" : String($0) }.joined() }
}
