import Foundation
import Glibc
import Media

/// Copies the running binary, its assets and themes into a prefix (`PREFIX/bin/mlwb`,
/// `PREFIX/share/mlwb/{assets,themes}`), where `AssetLocator` finds them again, and removes them.
///
/// Every file is written atomically; a manifest (`share/mlwb/installed-files.txt`) lists what was
/// installed, so a reinstall removes files that are gone from the new version and `--uninstall`
/// removes exactly what was put there.
struct Installer {
    /// One file to put in place.
    struct Item: Equatable {
        var source: String
        /// The path relative to the prefix, e.g. `share/mlwb/assets/checkpoints.json`.
        var destination: String
        var executable: Bool
    }

    /// What an install or uninstall did.
    struct Report {
        var files = 0
        var bytes = 0
        var removed = 0
        var binaryUnchanged = false
    }

    let prefix: String

    static let manifestPath = "share/mlwb/installed-files.txt"

    // MARK: Planning

    /// The files to install: the binary, then every file under `assets` and `themes` (hidden ones skipped).
    static func plan(executable: String, assets: String, themes: String?) throws -> [Item] {
        var items = [Item(source: executable, destination: "bin/mlwb", executable: true)]
        items += try files(under: assets).map { Item(source: assets + "/" + $0, destination: "share/mlwb/assets/" + $0, executable: false) }
        if let themes {
            items += try files(under: themes).map { Item(source: themes + "/" + $0, destination: "share/mlwb/themes/" + $0, executable: false) }
        }
        return items
    }

    /// Relative paths of the regular files under `directory`, sorted.
    static func files(under directory: String) throws -> [String] {
        guard FileAccess.isDirectory(directory) else {
            throw InstallError("\(directory) is not a folder")
        }
        guard let walker = FileManager.default.enumerator(atPath: directory) else {
            throw InstallError("cannot read the folder \(directory)")
        }
        var result: [String] = []
        while let relative = walker.nextObject() as? String {
            if relative.split(separator: "/").contains(where: { $0.hasPrefix(".") }) { continue }
            var info = stat()
            if stat(directory + "/" + relative, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG { result.append(relative) }
        }
        return result.sorted()
    }

    // MARK: Installing

    /// Copies `items` into the prefix, creating folders, and removes what an earlier install left that is no longer part of it.
    func install(_ items: [Item]) throws -> Report {
        var report = Report()
        let previous = (try? manifest()) ?? []
        for item in items {
            let target = path(item.destination)
            try makeDirectories(AtomicFile.parentDirectory(of: target))
            if item.executable, Self.sameFile(item.source, target) {
                report.binaryUnchanged = true
                continue
            }
            let bytes = try FileAccess.readBytes(item.source)
            try AtomicFile.write(bytes, to: target)
            guard chmod(target, item.executable ? 0o755 : 0o644) == 0 else {
                throw InstallError("cannot set the permissions of \(target): \(String(cString: strerror(errno)))")
            }
            report.files += 1
            report.bytes += bytes.count
        }
        let current = Set(items.map(\.destination))
        for stale in previous where !current.contains(stale) {
            if unlink(path(stale)) == 0 { report.removed += 1 }
            removeEmptyParents(of: stale)
        }
        let listing = items.map(\.destination).joined(separator: "\n") + "\n"
        try AtomicFile.write(Array(listing.utf8), to: path(Self.manifestPath))
        return report
    }

    /// Removes every file the manifest lists (and the manifest, and folders left empty).
    func uninstall() throws -> Report {
        let listed = try manifest()
        var report = Report()
        for relative in listed + [Self.manifestPath] {
            if unlink(path(relative)) == 0 { report.removed += 1 }
            removeEmptyParents(of: relative)
        }
        return report
    }

    /// The destinations the last install recorded.
    func manifest() throws -> [String] {
        let file = path(Self.manifestPath)
        guard FileAccess.exists(file) else {
            throw InstallError("nothing installed by mlwb in \(prefix) (no \(file))")
        }
        let text = String(decoding: try FileAccess.readBytes(file, maxBytes: 4 << 20), as: UTF8.self)
        return text.split(separator: "\n").map(String.init).filter { !$0.isEmpty && !$0.hasPrefix("/") && !$0.contains("..") }
    }

    // MARK: Paths

    func path(_ relative: String) -> String { prefix.hasSuffix("/") ? prefix + relative : prefix + "/" + relative }

    private func makeDirectories(_ directory: String) throws {
        if FileAccess.isDirectory(directory) { return }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw InstallError("cannot create the folder \(directory): \(String(cString: strerror(errno)))")
        }
    }

    /// Removes the folders of `relative` that are now empty, up to (not including) the prefix.
    private func removeEmptyParents(of relative: String) {
        var parts = relative.split(separator: "/").dropLast()
        while !parts.isEmpty {
            guard rmdir(path(parts.joined(separator: "/"))) == 0 else { return }
            parts = parts.dropLast()
        }
    }

    /// Whether `a` and `b` are the same file (same device and inode).
    static func sameFile(_ a: String, _ b: String) -> Bool {
        var x = stat(), y = stat()
        return stat(a, &x) == 0 && stat(b, &y) == 0 && x.st_dev == y.st_dev && x.st_ino == y.st_ino
    }

    /// Whether this process loaded the Swift runtime as a shared library (a build without `--static-swift-stdlib`).
    static func usesSharedSwiftRuntime() -> Bool {
        // /proc files report size 0, so read them in chunks rather than by their size.
        guard let file = fopen("/proc/self/maps", "r") else { return false }
        defer { fclose(file) }
        var text: [UInt8] = [], chunk = [UInt8](repeating: 0, count: 65_536)
        while text.count < 16 << 20 {
            let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
            if n == 0 { break }
            text += chunk[0..<n]
        }
        return String(decoding: text, as: UTF8.self).contains("libswiftCore.so")
    }
}

/// An install that cannot go ahead, with what to do.
struct InstallError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
