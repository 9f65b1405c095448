#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Finds mlwb's `assets/` folder (sample media, catalogs) at run time.
///
/// Search order: `$MLWB_ASSETS`; `<prefix>/share/mlwb/assets` next to an installed binary; the
/// `assets/` folder of the package checkout the binary was built in (found by walking up from the
/// executable's directory, e.g. from `.build/release/mlwb`).
public enum AssetLocator {
    /// The assets directory, or nil if none is found.
    public static func directory(environment: [String: String]) -> String? {
        if let explicit = environment["MLWB_ASSETS"], !explicit.isEmpty, FileAccess.isDirectory(explicit) {
            return explicit
        }
        guard let executable = executablePath() else { return nil }
        var dir = AtomicFile.parentDirectory(of: executable)
        let installed = AtomicFile.parentDirectory(of: dir) + "/share/mlwb/assets"
        if FileAccess.isDirectory(installed) { return installed }
        for _ in 0..<8 {
            let candidate = dir + "/assets"
            if FileAccess.exists(dir + "/Package.swift"), FileAccess.isDirectory(candidate) { return candidate }
            let parent = AtomicFile.parentDirectory(of: dir)
            if parent == dir { break }
            dir = parent
        }
        return nil
    }

    /// The path of `relative` inside the assets directory, or nil.
    public static func path(_ relative: String, environment: [String: String]) -> String? {
        guard let dir = directory(environment: environment) else { return nil }
        let path = dir + "/" + relative
        return FileAccess.exists(path) ? path : nil
    }

    /// The running executable's absolute path (from /proc/self/exe).
    public static func executablePath() -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard n > 0 else { return nil }
        return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
