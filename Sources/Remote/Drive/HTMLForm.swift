import Foundation

/// A minimal reader for the HTML forms on Google Drive's confirmation pages: the form's
/// attributes and its `<input>` fields, enough to submit it as a GET request.
struct HTMLForm: Equatable {
    var id: String
    var action: String
    var method: String
    var fields: [(name: String, value: String)]

    static func == (a: HTMLForm, b: HTMLForm) -> Bool {
        a.id == b.id && a.action == b.action && a.method == b.method
            && a.fields.map(\.name) == b.fields.map(\.name) && a.fields.map(\.value) == b.fields.map(\.value)
    }

    /// Every form in `html`, in order.
    static func all(in html: String) -> [HTMLForm] {
        var forms: [HTMLForm] = []
        var rest = html[...]
        while let open = rest.range(of: "<form", options: .caseInsensitive) {
            guard let tagEnd = rest[open.upperBound...].firstIndex(of: ">") else { break }
            let attributes = Self.attributes(String(rest[open.upperBound..<tagEnd]))
            let bodyEnd = rest[tagEnd...].range(of: "</form", options: .caseInsensitive)?.lowerBound ?? rest.endIndex
            let body = rest[tagEnd..<bodyEnd]
            var fields: [(String, String)] = []
            var inputs = body
            while let input = inputs.range(of: "<input", options: .caseInsensitive) {
                guard let end = inputs[input.upperBound...].firstIndex(of: ">") else { break }
                let a = Self.attributes(String(inputs[input.upperBound..<end]))
                let type = a["type"]?.lowercased() ?? "text"
                if let name = a["name"], type != "submit" || a["value"] != nil, type != "button" {
                    fields.append((name, a["value"] ?? ""))
                }
                inputs = inputs[end...]
            }
            forms.append(HTMLForm(id: attributes["id"] ?? "", action: attributes["action"] ?? "",
                                  method: attributes["method"]?.lowercased() ?? "get", fields: fields))
            rest = rest[bodyEnd...]
            if bodyEnd == html.endIndex { break }
        }
        return forms
    }

    /// The first form that satisfies `predicate`.
    static func first(in html: String, where predicate: (HTMLForm) -> Bool) -> HTMLForm? {
        all(in: html).first(where: predicate)
    }

    /// The page's `<title>` text, if any.
    static func title(in html: String) -> String? {
        guard let open = html.range(of: "<title", options: .caseInsensitive),
              let start = html[open.upperBound...].firstIndex(of: ">"),
              let close = html[start...].range(of: "</title", options: .caseInsensitive) else { return nil }
        let text = decodeEntities(String(html[html.index(after: start)..<close.lowerBound])).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }

    /// The GET URL that submitting the form requests, resolved against `pageURL`.
    func submissionURL(relativeTo pageURL: String) -> String {
        let base = action.isEmpty ? pageURL : URLParts.resolve(action, against: pageURL)
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let query = fields.map { field in
            (field.name.addingPercentEncoding(withAllowedCharacters: allowed) ?? field.name) + "="
                + (field.value.addingPercentEncoding(withAllowedCharacters: allowed) ?? field.value)
        }.joined(separator: "&")
        let stem = base.split(separator: "?", maxSplits: 1).first.map(String.init) ?? base
        return query.isEmpty ? stem : stem + "?" + query
    }

    // MARK: Parsing helpers

    /// `name="value"`, `name='value'` and `name=value` pairs of a tag, names lowercased.
    static func attributes(_ text: String) -> [String: String] {
        var result: [String: String] = [:]
        let chars = Array(text)
        var i = 0
        func skipSpace() { while i < chars.count, chars[i].isWhitespace || chars[i] == "/" { i += 1 } }
        while i < chars.count {
            skipSpace()
            let nameStart = i
            while i < chars.count, !chars[i].isWhitespace, chars[i] != "=", chars[i] != ">" { i += 1 }
            let name = String(chars[nameStart..<i]).lowercased()
            guard !name.isEmpty else { i += 1; continue }
            while i < chars.count, chars[i].isWhitespace { i += 1 }
            guard i < chars.count, chars[i] == "=" else { result[name] = ""; continue }
            i += 1
            while i < chars.count, chars[i].isWhitespace { i += 1 }
            var value = ""
            if i < chars.count, chars[i] == "\"" || chars[i] == "'" {
                let quote = chars[i]
                i += 1
                let start = i
                while i < chars.count, chars[i] != quote { i += 1 }
                value = String(chars[start..<min(i, chars.count)])
                i += 1
            } else {
                let start = i
                while i < chars.count, !chars[i].isWhitespace { i += 1 }
                value = String(chars[start..<i])
            }
            result[name] = decodeEntities(value)
        }
        return result
    }

    /// Decodes the few entities that appear in attribute values.
    static func decodeEntities(_ text: String) -> String {
        guard text.contains("&") else { return text }
        return text.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&#x3d;", with: "=").replacingOccurrences(of: "&#61;", with: "=")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}
