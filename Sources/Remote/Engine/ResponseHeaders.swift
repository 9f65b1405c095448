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

    /// Content-Length as a number: decimal digits only (a sign, spaces or a value beyond 2^63 − 1 give nil).
    var contentLength: Int64? { values["content-length"].flatMap(Self.decimal) }

    /// The media type without parameters, lowercased ("text/html").
    var mediaType: String? {
        values["content-type"].map { $0.split(separator: ";").first.map { $0.trimmingSpaces().lowercased() } ?? "" }
    }

    /// A parsed `Content-Range: bytes START-END/TOTAL` (or `bytes */TOTAL`; TOTAL may be `*`).
    struct ContentRange: Equatable {
        /// First and last byte of the body, nil for `*/TOTAL`.
        var start: Int64?, end: Int64?
        /// The whole file's length, nil when `*`.
        var total: Int64?

        /// Bytes the body holds (`last − first + 1`), nil for `*/TOTAL`.
        var length: Int64? {
            guard let start, let end else { return nil }
            return end - start + 1  // end ≥ start ≥ 0: no overflow
        }
    }

    /// `Content-Range` when it is well formed (start ≤ end < total); nil when absent or malformed.
    var contentRange: ContentRange? {
        guard let text = values["content-range"], text.lowercased().hasPrefix("bytes") else { return nil }
        let spec = text.dropFirst(5).trimmingSpaces()
        let halves = spec.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard halves.count == 2 else { return nil }
        var range = ContentRange()
        if halves[1] != "*" {
            guard let total = Self.decimal(halves[1]) else { return nil }
            range.total = total
        }
        if halves[0] == "*" { return range.total == nil ? nil : range }
        let ends = halves[0].split(separator: "-", omittingEmptySubsequences: false)
        guard ends.count == 2, let first = Self.decimal(ends[0]), let last = Self.decimal(ends[1]), first <= last else { return nil }
        if let total = range.total, last >= total { return nil }
        range.start = first
        range.end = last
        return range
    }

    /// The value that identifies this version of the file: a strong ETag, else Last-Modified.
    var validator: String? {
        if let etag = values["etag"], !etag.hasPrefix("W/") { return etag }
        return values["last-modified"]
    }

    /// `Content-Encoding` when it is something other than `identity` (lowercased), else nil.
    var contentEncoding: String? {
        guard let value = values["content-encoding"]?.lowercased(), !value.isEmpty, value != "identity" else { return nil }
        return value
    }

    /// Retry-After in seconds (delta-seconds or an HTTP date), if present. Delta-seconds are digits
    /// only (RFC 9110); a number too long for `Int64` counts as "far too long to wait".
    func retryAfter(now: Int) -> Double? {
        guard let text = values["retry-after"] else { return nil }
        if !text.isEmpty, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
            return Self.decimal(text).map(Double.init) ?? Double(Int64.max)
        }
        guard let when = HTTPDate.parse(text) else { return nil }
        return Double(max(0, when - now))
    }

    /// A non-negative decimal number of digits only, nil otherwise (or when beyond `Int64.max`).
    static func decimal<S: StringProtocol>(_ text: S) -> Int64? {
        let trimmed = text.trimmingSpaces()
        guard !trimmed.isEmpty, trimmed.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return Int64(trimmed)
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
