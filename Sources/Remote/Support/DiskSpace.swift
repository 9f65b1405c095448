import Glibc
import Media

/// Free space on the file system that holds a path.
public enum DiskSpace {
    /// Bytes available to unprivileged users in the directory of `path`, or nil if unknown.
    public static func available(near path: String) -> Int64? {
        var info = statvfs()
        let directory = AtomicFile.parentDirectory(of: path)
        guard statvfs(directory, &info) == 0 else { return nil }
        return Int64(info.f_bavail) * Int64(info.f_frsize)
    }
}
