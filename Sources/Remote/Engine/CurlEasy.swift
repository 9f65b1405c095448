import CCurl

/// One libcurl easy handle, reused across the attempts of a download so its in-memory cookie
/// store (for Google Drive's confirmation step) and its connection survive between requests.
final class CurlEasy {
    /// The raw handle.
    let handle: UnsafeMutableRawPointer

    /// libcurl's global setup, run once per process before the first handle.
    private static let globalInit: Bool = mlwb_curl_global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK

    init() throws {
        _ = Self.globalInit
        guard let handle = mlwb_curl_easy_init() else { throw RemoteError.invalidURL("(libcurl could not start)") }
        self.handle = handle
        // Cookie engine on, in memory only: an empty file name reads nothing and nothing is ever written.
        _ = mlwb_curl_setopt_string(handle, CURLOPT_COOKIEFILE, "")
    }

    deinit { mlwb_curl_easy_cleanup(handle) }

    // MARK: Options

    func set(_ option: CURLoption, _ value: Int) { _ = mlwb_curl_setopt_long(handle, option, value) }
    func set(_ option: CURLoption, _ value: String?) {
        if let value { _ = mlwb_curl_setopt_string(handle, option, value) } else { _ = mlwb_curl_setopt_pointer(handle, option, nil) }
    }
    func set(_ option: CURLoption, pointer: UnsafeMutableRawPointer?) { _ = mlwb_curl_setopt_pointer(handle, option, pointer) }

    // MARK: Info

    func infoLong(_ info: CURLINFO) -> Int {
        var value = 0
        _ = mlwb_curl_getinfo_long(handle, info, &value)
        return value
    }

    func infoString(_ info: CURLINFO) -> String? {
        var pointer: UnsafeMutablePointer<CChar>?
        guard mlwb_curl_getinfo_string(handle, info, &pointer) == CURLE_OK, let pointer else { return nil }
        return String(cString: pointer)
    }
}
