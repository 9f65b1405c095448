import Glibc
import Foundation

/// Finds files in mlwb's assets folder: `$MLWB_ASSETS`, then `assets/` beside the executable (a binary
/// copied together with its assets), then `<exe dir>/../share/mlwb/assets` (what `mlwb install` makes),
/// then the package checkout's `assets/` found by walking up from the executable's directory.
public enum AssetLocator {
    // MARK: Search

    /// The places `name` is looked for, in order.
    public static func candidates(for name: String, environment: [String: String],
                                  executable: String? = executablePath()) -> [String] {
        var result: [String] = []
        if let assets = environment["MLWB_ASSETS"], !assets.isEmpty {
            result.append(join(assets, name))
        }
        if let executable {
            let directory = AtomicFile.parentDirectory(of: executable)
            result.append(join(directory, "assets/\(name)"))
            result.append(join(directory, "../share/mlwb/assets/\(name)"))
            var current = directory
            for _ in 0..<12 {
                if FileAccess.exists(join(current, "Package.swift")) {
                    result.append(join(current, "assets/\(name)"))
                    break
                }
                let parent = AtomicFile.parentDirectory(of: current)
                if parent == current { break }
                current = parent
            }
        }
        return result
    }

    /// The first existing candidate for `name`, if any.
    public static func find(_ name: String, environment: [String: String]) -> String? {
        candidates(for: name, environment: environment).first { FileAccess.exists($0) }
    }

    /// The path of `relative` inside the assets folder, or nil (same as `find`).
    public static func path(_ relative: String, environment: [String: String]) -> String? {
        find(relative, environment: environment)
    }

    /// The assets folder itself, or nil if none is found.
    public static func directory(environment: [String: String]) -> String? {
        candidates(for: "", environment: environment).map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
            .first { FileAccess.isDirectory($0) }
    }

    /// The absolute path of the running executable (from /proc/self/exe, else argv[0]).
    public static func executablePath() -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        if length > 0 {
            return String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
        guard let first = CommandLine.arguments.first, first.contains("/") else { return nil }
        if first.hasPrefix("/") { return first }
        return join(FileManager.default.currentDirectoryPath, first)
    }

    private static func join(_ directory: String, _ name: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }
}
