import Glibc

/// Checked reading of whole media files: existence, type, permissions and size are checked first
/// so that every failure becomes a `MediaError` that names the path.
public enum FileAccess {
    /// The default ceiling for a media file read into memory (2 GiB).
    public static let defaultMaxBytes = 2 << 30

    /// Checks that `path` names a readable regular file (devices, FIFOs and sockets are refused) and returns its size in bytes.
    @discardableResult
    public static func checkReadableFile(_ path: String) throws -> Int {
        var info = stat()
        guard stat(path, &info) == 0 else {
            let code = errno
            if code == ENOENT || code == ENOTDIR { throw MediaError.fileNotFound(path: path) }
            throw MediaError.unreadable(path: path, reason: String(cString: strerror(code)))
        }
        if (info.st_mode & S_IFMT) == S_IFDIR { throw MediaError.isDirectory(path: path) }
        // FIFOs, sockets and devices have no size to check and may block or never end.
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw MediaError.unsupported(path: path, detail: "not a regular file (a device, FIFO or socket); give a file")
        }
        guard access(path, R_OK) == 0 else {
            throw MediaError.unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        return Int(info.st_size)
    }

    /// Reads a whole file into memory, refusing files above `maxBytes`.
    public static func readBytes(_ path: String, maxBytes: Int = defaultMaxBytes) throws -> [UInt8] {
        let size = try checkReadableFile(path)
        guard size <= maxBytes else {
            throw MediaError.tooLarge(path: path, detail: "\(size) bytes (limit \(maxBytes))")
        }
        guard let file = fopen(path, "rb") else {
            throw MediaError.unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        defer { fclose(file) }
        var bytes = [UInt8](repeating: 0, count: size)
        let read = bytes.withUnsafeMutableBytes { fread($0.baseAddress, 1, size, file) }
        guard read == size else {
            throw MediaError.unreadable(path: path, reason: "read \(read) of \(size) bytes")
        }
        return bytes
    }

    /// Calls `body` with the whole file mapped read-only (pages already in the page cache are
    /// mapped in one go, no copy); for large inputs that are parsed once. An empty file gives an
    /// empty buffer.
    public static func withMappedBytes<R>(_ path: String, maxBytes: Int = defaultMaxBytes,
                                          _ body: (UnsafeRawBufferPointer) throws -> R) throws -> R {
        let size = try checkReadableFile(path)
        guard size <= maxBytes else {
            throw MediaError.tooLarge(path: path, detail: "\(size) bytes (limit \(maxBytes))")
        }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw MediaError.unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        defer { close(descriptor) }
        guard size > 0 else { return try body(UnsafeRawBufferPointer(start: nil, count: 0)) }
        let flags = MAP_PRIVATE | MAP_POPULATE
        guard let mapping = mmap(nil, size, PROT_READ, flags, descriptor, 0), mapping != MAP_FAILED else {
            throw MediaError.unreadable(path: path, reason: "cannot map the file: \(String(cString: strerror(errno)))")
        }
        defer { munmap(mapping, size) }
        return try body(UnsafeRawBufferPointer(start: mapping, count: size))
    }

    /// Whether a regular file or directory exists at `path`.
    public static func exists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0
    }

    /// Whether `path` is a directory.
    public static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }
}

// MARK: - Sniffing

extension FileAccess {
    /// The first `count` bytes of a file (fewer if it is shorter), for recognising its format.
    public static func readHead(_ path: String, count: Int) throws -> [UInt8] {
        try checkReadableFile(path)
        guard let file = fopen(path, "rb") else {
            throw MediaError.unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        defer { fclose(file) }
        var bytes = [UInt8](repeating: 0, count: count)
        let n = bytes.withUnsafeMutableBytes { fread($0.baseAddress, 1, count, file) }
        return Array(bytes.prefix(n))
    }
}
