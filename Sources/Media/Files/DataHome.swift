import Glibc

/// Where mlwb keeps downloaded checkpoints, datasets and user models:
/// `${MLWB_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/mlwb}` (empty variables count as unset).
public enum DataHome {
    /// The root folder for `environment`.
    public static func root(environment: [String: String]) -> String {
        if let home = environment["MLWB_HOME"], !home.isEmpty { return trimmed(home) }
        if let cache = environment["XDG_CACHE_HOME"], !cache.isEmpty { return trimmed(cache) + "/mlwb" }
        var home = environment["HOME"] ?? ""
        if home.isEmpty, let record = getpwuid(getuid()), let dir = record.pointee.pw_dir { home = String(cString: dir) }
        return (home.isEmpty ? "/tmp" : trimmed(home)) + "/.cache/mlwb"
    }

    /// `path` without a trailing slash (except for "/").
    public static func trimmed(_ path: String) -> String {
        path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
    }
}
