/// The headers of one HTTP response (the last one after redirects), names lowercased.
struct ResponseHeaders {
    /// Header values by lowercased name (the last occurrence wins).
    var values: [String: String] = [:]
    /// Every Set-Cookie line of this response.
    var cookies: [String] = []
    /// The status from the status line.
    var status = 0

    /// Starts a new response (a status line was seen; earlier ones were redirects or 100s).
    mutating func reset(statusLine: String) {
        values = [:]
        cookies = []
        let parts = statusLine.split(separator: " ")
        status = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
    }

    /// Adds one "Name: value" line.
    mutating func add(line: String) {
        guard let colon = line.firstIndex(of: ":") else { return }
        let name = line[..<colon].lowercased()
        let value = line[line.index(after: colon)...].trimmingSpaces()
        if name == "set-cookie" { cookies.append(value) }
        values[name] = value
    }

    subscript(_ name: String) -> String? { values[name] }

    /// Content-Length as a number.
    var contentLength: Int64? { values["content-length"].flatMap { Int64($0) } }

    /// The media type without parameters, lowercased ("text/html").
    var mediaType: String? {
        values["content-type"].map { $0.split(separator: ";").first.map { $0.trimmingSpaces().lowercased() } ?? "" }
    }

    /// `Content-Range: bytes START-END/TOTAL` → (start, total); `bytes */TOTAL` → (nil, total).
    var contentRange: (start: Int64?, total: Int64?)? {
        guard let text = values["content-range"], text.lowercased().hasPrefix("bytes") else { return nil }
        let spec = text.dropFirst(5).trimmingSpaces()
        let halves = spec.split(separator: "/", maxSplits: 1)
        guard halves.count == 2 else { return nil }
        let total = Int64(halves[1])
        if halves[0] == "*" { return (nil, total) }
        let start = halves[0].split(separator: "-").first.flatMap { Int64($0) }
        return (start, total)
    }

    /// Retry-After in seconds (delta-seconds or an HTTP date), if present.
    func retryAfter(now: Int) -> Double? {
        guard let text = values["retry-after"] else { return nil }
        if let seconds = Double(text) { return max(0, seconds) }
        let when = HTTPDate.parse(text)
        guard let when else { return nil }
        return Double(max(0, when - now))
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces, tabs, CR and LF.
    func trimmingSpaces() -> String {
        let isSpace: (Character) -> Bool = { $0.isWhitespace }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}
