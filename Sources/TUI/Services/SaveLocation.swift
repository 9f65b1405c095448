import Foundation
import Glibc
import Media

/// Where `s` saves: a default name no file has yet, typed paths resolved, files written atomically
/// and never over an existing one.
public enum SaveLocation {
    /// `directory/base.ext`, else `base-2.ext`, `base-3.ext`, …: the first name no file has.
    /// Creates `directory` (and its parents) if missing.
    public static func freeName(in directory: String, base: String, extension ext: String) throws -> String {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for n in 1...100_000 {
            let path = directory + "/" + base + (n == 1 ? "" : "-\(n)") + "." + ext
            if !exists(path) { return path }
        }
        throw MediaError.invalidArgument("no free name for \(base).\(ext) in \(directory)")
    }

    /// A typed path: `~/…` under the home folder, absolute as is, otherwise under `directory`.
    public static func resolve(_ path: String, in directory: String, environment: [String: String]) -> String {
        if path == "~" || path.hasPrefix("~/"), let home = environment["HOME"], !home.isEmpty {
            return home + path.dropFirst()
        }
        return path.hasPrefix("/") ? path : directory + "/" + path
    }

    /// Writes `item` to `path` (its extension picks the format) through a temporary name, refusing
    /// to replace a file that exists.
    public static func write(_ item: SaveItem, to path: String) throws {
        if exists(path) { throw MediaError.invalidArgument("\(path) exists: choose another name") }
        let bytes = try item.encode(forPath: path)
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty, !exists(folder) { throw MediaError.invalidArgument("no folder \(folder)") }
        try AtomicFile.write(bytes, to: path)
    }

    static func exists(_ path: String) -> Bool {
        var st = stat()
        return lstat(path, &st) == 0
    }
}
