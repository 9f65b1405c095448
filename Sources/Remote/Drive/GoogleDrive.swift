import Foundation

/// Google Drive links: file ids, share links, and the pages Drive shows before a large file.
public enum GoogleDrive {
    // MARK: Links

    /// The file id in a Drive link (`/file/d/ID/view`, `open?id=ID`, `uc?id=ID`,
    /// `drive.usercontent.google.com/download?id=ID`) or `gdrive:ID`; nil for other URLs.
    public static func fileID(in link: String) -> String? {
        if link.hasPrefix("gdrive:") { return validID(String(link.dropFirst(7))) }
        guard let host = URLParts.host(link), host == "drive.google.com" || host == "docs.google.com"
                || host == "drive.usercontent.google.com" else { return nil }
        let path = URLParts.path(link)
        let components = path.split(separator: "/").map(String.init)
        if let d = components.firstIndex(of: "d"), d + 1 < components.count, d > 0, components[d - 1] == "file" {
            return validID(components[d + 1])
        }
        return URLParts.query(link)["id"].flatMap(validID)
    }

    /// Whether `text` is a bare Drive file id (25+ letters, digits, `-` or `_`).
    public static func isBareID(_ text: String) -> Bool {
        text.count >= 25 && text.count <= 80 && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
    }

    private static func validID(_ text: String) -> String? { isBareID(text) || (text.count >= 10 && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) ? text : nil }

    /// The first URL to request for file `id` under `base` (normally https://drive.google.com).
    public static func downloadURL(id: String, base: String) -> String {
        "\(base)/uc?export=download&id=\(id)"
    }

    // MARK: Pages

    /// What to do after Drive answered with a web page instead of the file.
    public enum PageAction: Equatable, Sendable {
        /// Request this URL next (a confirmation form or `confirm=` link).
        case follow(String)
        /// The daily download quota for the file is used up.
        case quotaExceeded
        /// Nothing mlwb recognises; the detail says what the page seemed to be.
        case unrecognised(String)
    }

    /// Reads a Drive interstitial page: the new `download-form` with hidden fields, the old
    /// `confirm=` token in a link, a `download_warning` cookie, or the quota-exceeded notice.
    public static func nextStep(page html: String, cookies: [String], pageURL: String, id: String, base: String) -> PageAction {
        let lower = html.lowercased()
        if lower.contains("quota exceeded") || lower.contains("too many users have viewed or downloaded this file") {
            return .quotaExceeded
        }
        if let form = HTMLForm.first(in: html, where: { $0.id == "download-form" || $0.action.contains("/download") || $0.action.contains("/uc") }),
           !form.fields.isEmpty {
            return .follow(form.submissionURL(relativeTo: pageURL))
        }
        if let token = confirmToken(in: html) {
            return .follow("\(base)/uc?export=download&confirm=\(token)&id=\(id)")
        }
        for cookie in cookies where cookie.hasPrefix("download_warning") {
            let pair = cookie.split(separator: ";").first ?? ""
            if let eq = pair.firstIndex(of: "=") {
                let token = pair[pair.index(after: eq)...]
                if !token.isEmpty { return .follow("\(base)/uc?export=download&confirm=\(token)&id=\(id)") }
            }
        }
        if lower.contains("accounts.google.com") || lower.contains("sign in") {
            return .unrecognised("Drive asks to sign in (the file is private)")
        }
        if let title = HTMLForm.title(in: html) { return .unrecognised("Drive sent a page titled '\(title)'") }
        return .unrecognised("Drive sent a web page mlwb does not recognise")
    }

    /// The token of a `confirm=TOKEN` parameter in the page (old-style warning page).
    static func confirmToken(in html: String) -> String? {
        let text = html.replacingOccurrences(of: "&amp;", with: "&")
        var search = text[...]
        while let range = search.range(of: "confirm=") {
            let token = search[range.upperBound...].prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }
            if !token.isEmpty { return String(token) }
            search = search[range.upperBound...]
        }
        return nil
    }
}

