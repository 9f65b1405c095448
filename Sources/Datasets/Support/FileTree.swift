import Glibc

/// Small file-system helpers on POSIX paths: recursive listing without following symlinks,
/// recursive removal, directory creation and sizes.
public enum FileTree {
    /// One file found by `files(under:)`.
    public struct Item: Sendable, Equatable {
        /// The path relative to the listed root, with `/` separators.
        public var path: String
        /// The size in bytes (0 for symlinks).
        public var size: Int64
        /// Whether the item is a symbolic link (listed, never followed).
        public var isSymlink: Bool
    }

    // MARK: Listing

    /// Every regular file and symlink under `root` (recursively, symlinks not followed), sorted by path.
    /// Returns an empty list when `root` does not exist.
    public static func files(under root: String) -> [Item] {
        var items: [Item] = []
        walk(root, prefix: "", into: &items)
        return items.sorted { $0.path < $1.path }
    }

    /// The relative paths of the directories under `root` (recursively), sorted.
    public static func directories(under root: String) -> [String] {
        var result: [String] = []
        func visit(_ dir: String, _ prefix: String) {
            for name in entries(of: dir) {
                let full = dir + "/" + name
                var info = stat()
                guard lstat(full, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else { continue }
                let rel = prefix.isEmpty ? name : prefix + "/" + name
                result.append(rel)
                visit(full, rel)
            }
        }
        visit(root, "")
        return result.sorted()
    }

    /// The names in directory `path` (without `.` and `..`), unsorted; empty if unreadable.
    public static func entries(of path: String) -> [String] {
        guard let dir = opendir(path) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    private static func walk(_ dir: String, prefix: String, into items: inout [Item]) {
        for name in entries(of: dir) {
            let full = dir + "/" + name
            let rel = prefix.isEmpty ? name : prefix + "/" + name
            var info = stat()
            guard lstat(full, &info) == 0 else { continue }
            switch info.st_mode & S_IFMT {
            case S_IFDIR: walk(full, prefix: rel, into: &items)
            case S_IFLNK: items.append(Item(path: rel, size: 0, isSymlink: true))
            case S_IFREG: items.append(Item(path: rel, size: Int64(info.st_size), isSymlink: false))
            default: continue
            }
        }
    }

    // MARK: Queries

    /// The kind of whatever is at `path` without following a final symlink.
    public enum Kind: Sendable, Equatable { case none, file, directory, symlink, other }

    /// What is at `path` (`lstat`).
    public static func kind(_ path: String) -> Kind {
        var info = stat()
        guard lstat(path, &info) == 0 else { return .none }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return .file
        case S_IFDIR: return .directory
        case S_IFLNK: return .symlink
        default: return .other
        }
    }

    /// The size of the regular file at `path`, or nil.
    public static func size(_ path: String) -> Int64? {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return Int64(info.st_size)
    }

    // MARK: Changing

    /// Creates `path` and its missing parents (mode 0755).
    public static func makeDirectories(_ path: String) throws {
        if kind(path) == .directory { return }
        var current = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            current += "/" + component
            if kind(current) == .directory { continue }
            if mkdir(current, 0o755) != 0 && errno != EEXIST {
                throw DatasetError.file(path: current, reason: "cannot create directory: \(String(cString: strerror(errno)))")
            }
        }
        guard kind(path) == .directory else { throw DatasetError.file(path: path, reason: "exists and is not a directory") }
    }

    /// Removes `path` and everything under it (symlinks are removed, never followed). Absent is fine.
    public static func remove(_ path: String) throws {
        switch kind(path) {
        case .none: return
        case .directory:
            for name in entries(of: path) { try remove(path + "/" + name) }
            guard rmdir(path) == 0 else { throw DatasetError.file(path: path, reason: "cannot remove: \(String(cString: strerror(errno)))") }
        default:
            guard unlink(path) == 0 else { throw DatasetError.file(path: path, reason: "cannot remove: \(String(cString: strerror(errno)))") }
        }
    }

    /// The parent directory of `path`.
    public static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        if slash == path.startIndex { return "/" }
        return String(path[..<slash])
    }

    /// The last component of `path`.
    public static func name(of path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }

    /// Removes the temporary siblings of `path` (`.NAME.TAG-PID-…`, from `temporarySibling`) left by
    /// processes that no longer run, such as a killed extraction's staging folder. Folders of live
    /// processes (and of this one) are left alone. Returns the paths removed.
    @discardableResult
    public static func removeStaleSiblings(of path: String, tags: [String]) -> [String] {
        let directory = parent(of: path), base = "." + name(of: path) + "."
        var removed: [String] = []
        for entry in entries(of: directory) where entry.hasPrefix(base) {
            let rest = entry.dropFirst(base.count)
            guard let tag = tags.first(where: { rest.hasPrefix($0 + "-") }) else { continue }
            let digits = rest.dropFirst(tag.count + 1).prefix { $0.isASCII && $0.isNumber }
            guard let pid = Int32(digits), pid > 0, pid != getpid(), !processIsAlive(pid) else { continue }
            let stale = directory + "/" + entry
            if (try? remove(stale)) != nil { removed.append(stale) }
        }
        return removed
    }

    /// Whether a process with id `pid` exists (on this machine).
    static func processIsAlive(_ pid: Int32) -> Bool {
        kill(pid, 0) == 0 || errno == EPERM
    }

    /// A unique sibling name for temporary work next to `path`.
    public static func temporarySibling(of path: String, tag: String) -> String {
        let suffix = String(UInt64.random(in: 0...UInt64.max), radix: 36)
        return parent(of: path) + "/." + name(of: path) + "." + tag + "-\(getpid())-" + suffix
    }
}
