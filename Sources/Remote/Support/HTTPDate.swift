import Glibc
import CCurl

/// HTTP dates ("Sun, 06 Nov 1994 08:49:37 GMT" and the older forms), parsed by libcurl.
enum HTTPDate {
    /// Seconds since 1970, or nil if the text is not a date.
    static func parse(_ text: String) -> Int? {
        let t = mlwb_curl_getdate(text, nil)
        return t < 0 ? nil : Int(t)
    }

    /// The current time in seconds since 1970.
    static func now() -> Int { Int(time(nil)) }
}
