import Glibc

/// Writes files so that a reader never sees a half-written file under the final name:
/// the bytes go to a temporary sibling, are flushed, and the sibling is renamed over the target.
public enum AtomicFile {
    /// Writes `bytes` to `path` atomically.
    public static func write(_ bytes: [UInt8], to path: String) throws {
        try write(to: path) { temporary in
            guard let file = fopen(temporary, "wb") else {
                throw MediaError.writeFailed(path: path, reason: String(cString: strerror(errno)))
            }
            let written = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, bytes.count, file) }
            let flushed = fflush(file) == 0 && fsync(fileno(file)) == 0
            let flushError = errno
            fclose(file)
            guard written == bytes.count else {
                throw MediaError.writeFailed(path: path, reason: "short write (\(written) of \(bytes.count) bytes; is the disk full?)")
            }
            guard flushed else {
                throw MediaError.writeFailed(path: path, reason: String(cString: strerror(flushError)))
            }
        }
    }

    /// Calls `body` with a temporary path next to `path`, then renames it to `path`.
    /// If `body` throws, the temporary file is removed and the target is left untouched.
    public static func write(to path: String, _ body: (String) throws -> Void) throws {
        let directory = parentDirectory(of: path)
        guard FileAccess.isDirectory(directory) else {
            throw MediaError.writeFailed(path: path, reason: "directory \(directory) does not exist")
        }
        if FileAccess.isDirectory(path) { throw MediaError.isDirectory(path: path) }
        let temporary = temporaryName(for: path)
        do {
            try body(temporary)
        } catch {
            unlink(temporary)
            throw error
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw MediaError.writeFailed(path: path, reason: reason)
        }
    }

    /// Checks, before any work, that `path` could be written: its folder exists and is writable and
    /// `path` is not a folder. The error says which.
    public static func checkWritable(_ path: String) throws {
        let directory = parentDirectory(of: path)
        guard FileAccess.isDirectory(directory) else {
            throw MediaError.writeFailed(path: path, reason: "directory \(directory) does not exist")
        }
        if FileAccess.isDirectory(path) { throw MediaError.isDirectory(path: path) }
        guard access(directory, W_OK) == 0 else {
            throw MediaError.writeFailed(path: path, reason: "directory \(directory) is not writable")
        }
    }

    /// Checks, before any work, that files could be written into the folder `path`: it is a writable
    /// folder, or it does not exist yet and its nearest existing ancestor is one (it is created with
    /// its parents). The error says which.
    public static func checkWritableFolder(_ path: String) throws {
        var ancestor = path
        while !FileAccess.exists(ancestor) {
            let parent = parentDirectory(of: ancestor)
            if parent == ancestor { break }
            ancestor = parent
        }
        guard FileAccess.isDirectory(ancestor) else {
            let reason = ancestor == path ? "it is a file, not a folder" : "\(ancestor) is a file, not a folder"
            throw MediaError.writeFailed(path: path, reason: reason)
        }
        guard access(ancestor, W_OK) == 0 else {
            throw MediaError.writeFailed(path: path, reason: "directory \(ancestor) is not writable")
        }
    }

    /// The directory part of `path` ("." for a bare file name).
    public static func parentDirectory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        if slash == path.startIndex { return "/" }
        return String(path[..<slash])
    }

    private static func temporaryName(for path: String) -> String {
        let directory = parentDirectory(of: path)
        let name = path.split(separator: "/").last.map(String.init) ?? path
        let suffix = String(UInt32.random(in: 0...UInt32.max), radix: 36)
        return "\(directory)/.\(name).\(getpid()).\(suffix).tmp"
    }
}
