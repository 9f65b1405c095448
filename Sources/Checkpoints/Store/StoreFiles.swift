import Glibc
import Remote

/// The identity of a file on disk: enough to notice that it changed.
struct FileIdentity: Equatable {
    var size: Int
    var mtimeSeconds: Int
    var mtimeNanoseconds: Int
    var inode: UInt64
    var device: UInt64
}

/// Low-level file-system steps of the store: identity, directories, durable copies and renames.
enum StoreFiles {
    // MARK: Inspecting

    /// The identity of the regular file at `path`, or nil if there is none.
    static func identity(_ path: String) -> FileIdentity? {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        let mtime = info.st_mtim
        return FileIdentity(size: Int(info.st_size), mtimeSeconds: Int(mtime.tv_sec), mtimeNanoseconds: Int(mtime.tv_nsec),
                            inode: UInt64(info.st_ino), device: UInt64(info.st_dev))
    }

    // MARK: Directories

    /// Creates `path` and its parents (mode 0755) if missing.
    static func makeDirectories(_ path: String) throws {
        var current = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            current += "/" + component
            if mkdir(current, 0o755) != 0 && errno != EEXIST {
                throw CheckpointError.storeFailed(path: current, reason: "cannot create directory: \(String(cString: strerror(errno)))")
            }
        }
    }

    /// Flushes directory `path` so a rename inside it survives a crash.
    static func syncDirectory(_ path: String) {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY)
        guard descriptor >= 0 else { return }
        _ = fsync(descriptor)
        close(descriptor)
    }

    /// Flushes the file at `path` to disk.
    static func syncFile(_ path: String) throws {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw failure(path, "cannot open to flush") }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw failure(path, "fsync failed") }
    }

    // MARK: Copying

    /// Copies `source` to a new file `destination` (which must not exist) in 1 MiB chunks,
    /// hashing the bytes as they pass, then flushes it. Removes `destination` on failure.
    static func copyHashing(_ source: String, to destination: String, hasher: StreamingDigest,
                            progress: ((Int) -> Void)? = nil) throws {
        let input = open(source, O_RDONLY)
        guard input >= 0 else { throw failure(source, "cannot open") }
        defer { close(input) }
        let output = open(destination, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard output >= 0 else { throw failure(destination, "cannot create") }
        var completed = false
        defer {
            close(output)
            if !completed { unlink(destination) }
        }
        let chunk = StreamingDigest.chunkSize
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: chunk, alignment: 64)
        defer { buffer.deallocate() }
        while true {
            let count = read(input, buffer, chunk)
            if count == 0 { break }
            if count < 0 {
                if errno == EINTR { continue }
                throw failure(source, "read failed")
            }
            hasher.update(buffer, count: count)
            var written = 0
            while written < count {
                let n = write(output, buffer + written, count - written)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw failure(destination, "write failed (is the disk full?)")
                }
                written += n
            }
            progress?(Int(hasher.byteCount))
        }
        guard fsync(output) == 0 else { throw failure(destination, "fsync failed") }
        completed = true
    }

    /// Renames `source` over `destination` and flushes the directory.
    static func moveIntoPlace(_ source: String, _ destination: String) throws {
        guard rename(source, destination) == 0 else { throw failure(destination, "cannot rename \(source) into place") }
        syncDirectory(parentDirectory(destination))
    }

    /// A unique hidden temporary name in `directory`.
    static func temporaryName(in directory: String, for name: String) -> String {
        let suffix = String(UInt64.random(in: 0...UInt64.max), radix: 36)
        return "\(directory)/.\(name).\(getpid()).\(suffix).tmp"
    }

    static func parentDirectory(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    static func failure(_ path: String, _ what: String) -> CheckpointError {
        .storeFailed(path: path, reason: "\(what): \(String(cString: strerror(errno)))")
    }
}
