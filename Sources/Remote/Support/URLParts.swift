import Foundation

/// Small URL helpers (Foundation's URLComponents underneath).
public enum URLParts {
    /// The lowercased host, or nil.
    public static func host(_ url: String) -> String? { URLComponents(string: url)?.host?.lowercased() }

    /// The path (percent-decoded), or "".
    public static func path(_ url: String) -> String { URLComponents(string: url)?.path ?? "" }

    /// The scheme, lowercased, or nil.
    public static func scheme(_ url: String) -> String? { URLComponents(string: url)?.scheme?.lowercased() }

    /// Query parameters by name (the last one wins).
    public static func query(_ url: String) -> [String: String] {
        var result: [String: String] = [:]
        for item in URLComponents(string: url)?.queryItems ?? [] { result[item.name] = item.value ?? "" }
        return result
    }

    /// The last path component without query, e.g. "model.pth"; nil for "/" or no path.
    public static func fileName(_ url: String) -> String? {
        let name = path(url).split(separator: "/").last.map(String.init)
        return name?.isEmpty == false ? name : nil
    }

    /// `reference` resolved against `base` (absolute references are returned as they are).
    public static func resolve(_ reference: String, against base: String) -> String {
        guard let baseURL = URL(string: base), let url = URL(string: reference, relativeTo: baseURL) else { return reference }
        return url.absoluteString
    }

    /// The local path of a `file://` URL, or nil.
    public static func filePath(_ url: String) -> String? {
        guard url.lowercased().hasPrefix("file://") else { return nil }
        return URLComponents(string: url)?.path
    }
}
