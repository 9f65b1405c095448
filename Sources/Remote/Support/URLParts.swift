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

    /// The file name a download of `url` gets when none is given: `gdrive-ID` for Google Drive links
    /// and ids, else `safeFileName`; nil when the URL names no file.
    public static func downloadName(_ url: String) -> String? {
        if let id = GoogleDrive.fileID(in: url) ?? (GoogleDrive.isBareID(url) ? url : nil) { return "gdrive-\(id)" }
        return safeFileName(url)
    }

    /// A name to save `url` under in a folder: its last path segment, percent-decoded, with NUL and
    /// other control characters, `/` and `\\` replaced by `_` and a leading `.` made `_` (never a
    /// hidden file, `.` or `..`), at most 255 bytes (the extension kept). Nil when nothing of the
    /// name is left (`/`, `/..`, `/%00`) or the text has no path (`gdrive:…` and other non-URLs
    /// fall back to the text after the last `/`, refused when it contains a `:`).
    public static func safeFileName(_ url: String) -> String? {
        let segment: String
        if let components = URLComponents(string: url), components.scheme != nil || components.host != nil {
            // Split before decoding, so `%2F` in a segment stays part of the name.
            let encoded = components.percentEncodedPath.split(separator: "/").last.map(String.init) ?? ""
            segment = encoded.removingPercentEncoding ?? encoded
        } else {
            segment = url.split(separator: "/").last.map(String.init) ?? ""
            if segment.contains(":") { return nil }
        }
        var kept = 0
        var name = String(String.UnicodeScalarView(segment.unicodeScalars.map { scalar -> Unicode.Scalar in
            let unsafe = scalar.value < 0x20 || scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value)
                || scalar == "/" || scalar == "\\"
            if !unsafe { kept += 1 }
            return unsafe ? "_" : scalar
        }))
        guard kept > 0, name != ".", name != ".." else { return nil }
        if name.hasPrefix(".") { name = "_" + name.dropFirst() }
        return limited(name, bytes: 255)
    }

    /// `name` cut to at most `bytes` UTF-8 bytes at a character boundary, keeping a short extension.
    private static func limited(_ name: String, bytes: Int) -> String {
        guard name.utf8.count > bytes else { return name }
        var stem = Substring(name), suffix = ""
        if let dot = name.lastIndex(of: "."), name.utf8.count - name[..<dot].utf8.count <= 16 {
            stem = name[..<dot]
            suffix = String(name[dot...])
        }
        var result = ""
        for character in stem {
            if result.utf8.count + character.utf8.count + suffix.utf8.count > bytes { break }
            result.append(character)
        }
        return result + suffix
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
