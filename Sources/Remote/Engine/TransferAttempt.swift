import Glibc
import CCurl
import Media

/// Why an attempt stopped before libcurl finished it.
enum AbortReason: Equatable {
    case stall
    case stopRequested
    case diskFull(needed: Int64?, available: Int64?)
    /// ENOSPC on a body of unknown length after `written` bytes.
    case diskFilled(written: Int64, available: Int64?)
    case writeError(String)
    case badContentRange(String)
    /// A 206 whose validator (or total) differs from the first response's: another version of the file.
    case validatorChanged(String)
    /// A 206 of a content-encoded representation (its byte ranges are of the encoding, not the file).
    case encodedRange(String)
    /// The length check after a complete 200: the server confirms the file has no more bytes.
    case lengthConfirmed
    case pageTooLarge
}

/// What one HTTP request produced.
struct AttemptOutcome {
    /// libcurl's result code (0 = the transfer completed).
    var code: CURLcode
    /// libcurl's error text for `code`.
    var errorText: String
    /// The final response's headers (after redirects).
    var headers: ResponseHeaders
    /// Why we aborted it, if we did.
    var abort: AbortReason?
    /// The body, when it was kept in memory (an error status or a web page) instead of written.
    var page: [UInt8]?
    /// Bytes written to the `.part` by this attempt.
    var bytesWritten: Int64
    /// Whether the server ignored the range and the file was restarted from zero.
    var restarted: Bool
    /// The URL after redirects.
    var effectiveURL: String
    /// Whether the body arrived content-encoded (and was decoded by libcurl): its length is not Content-Length.
    var decoded: Bool

    var status: Int { headers.status }
}

/// One HTTP GET through libcurl, streaming the body into a `PartWriter` (or into memory when the
/// response is an error or a web page), hashing as it writes, with stall and stop checks.
final class TransferAttempt {
    // MARK: Configuration

    private let curl: CurlEasy
    private let writer: PartWriter
    private let control: DownloadControl
    private let options: DownloadOptions
    private let expectBinary: Bool
    private let totalHint: Int64?
    /// The validator and total of the version being resumed (from the first response), checked on every 206.
    private let resumeOf: (validator: String?, total: Int64?)
    /// A length check after a complete 200: a 200 with the same length confirms the file and stops.
    private let confirming: Bool
    private let onProgress: (DownloadProgress) -> Void
    private let onBodyStart: (ResponseHeaders) -> Void

    // MARK: State

    private enum Mode { case undecided, sniffing, writing, capturing }
    private var mode = Mode.undecided
    private var headers = ResponseHeaders()
    private var sniffBuffer: [UInt8] = []
    private var page: [UInt8] = []
    private var abort: AbortReason?
    private var lastActivity = MonotonicClock.seconds()
    private var lastEmit = 0.0
    private var startSize: Int64
    private var restarted = false
    private var needsRestart = false
    private var total: Int64?
    private var decoded = false
    private var meter: ProgressMeter

    static let pageLimit = 1 << 20
    static let sniffLength = 512

    init(curl: CurlEasy, writer: PartWriter, control: DownloadControl, options: DownloadOptions,
         expectBinary: Bool, totalHint: Int64?, resumeOf: (validator: String?, total: Int64?) = (nil, nil),
         confirming: Bool = false, meter: ProgressMeter,
         onBodyStart: @escaping (ResponseHeaders) -> Void, onProgress: @escaping (DownloadProgress) -> Void) {
        self.resumeOf = resumeOf
        self.confirming = confirming
        self.curl = curl
        self.writer = writer
        self.control = control
        self.options = options
        self.expectBinary = expectBinary
        self.totalHint = totalHint
        self.meter = meter
        self.onBodyStart = onBodyStart
        self.onProgress = onProgress
        startSize = writer.size
        total = totalHint
    }

    /// The meter after the attempt (carried to the next one so the rate stays smooth).
    var finalMeter: ProgressMeter { meter }

    // MARK: Running

    /// Performs GET `url`, asking for bytes from `writer.size` on (validated by `ifRange`).
    func run(url: String, ifRange: String?, sendRange: Bool) -> AttemptOutcome {
        let h = curl.handle
        curl.set(CURLOPT_URL, url)
        curl.set(CURLOPT_HTTPGET, 1)
        curl.set(CURLOPT_FOLLOWLOCATION, 1)
        curl.set(CURLOPT_MAXREDIRS, options.maxRedirects)
        curl.set(CURLOPT_PROTOCOLS_STR, "http,https")
        curl.set(CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
        curl.set(CURLOPT_NOSIGNAL, 1)
        curl.set(CURLOPT_CONNECTTIMEOUT_MS, Int(options.connectTimeout * 1000))
        curl.set(CURLOPT_BUFFERSIZE, options.bufferSize)
        curl.set(CURLOPT_USERAGENT, options.userAgent)
        curl.set(CURLOPT_TCP_KEEPALIVE, 1)
        curl.set(CURLOPT_NOPROGRESS, 0)
        // Ask for the file itself ("Accept-Encoding: identity"); libcurl then decodes a gzip or
        // deflate body a server sends anyway, and refuses encodings it does not know.
        curl.set(CURLOPT_ACCEPT_ENCODING, "identity")
        curl.set(CURLOPT_RANGE, sendRange && writer.size > 0 ? "\(writer.size)-" : nil)
        var list: UnsafeMutablePointer<curl_slist>?
        if sendRange, writer.size > 0, let ifRange { list = mlwb_curl_slist_append(list, "If-Range: \(ifRange)") }
        defer { mlwb_curl_slist_free_all(list) }
        curl.set(CURLOPT_HTTPHEADER, pointer: UnsafeMutableRawPointer(list))

        let context = Unmanaged.passUnretained(self).toOpaque()
        _ = mlwb_curl_setopt_write(h, transferWriteCallback)
        curl.set(CURLOPT_WRITEDATA, pointer: context)
        _ = mlwb_curl_setopt_header(h, transferHeaderCallback)
        curl.set(CURLOPT_HEADERDATA, pointer: context)
        _ = mlwb_curl_setopt_xferinfo(h, transferProgressCallback)
        curl.set(CURLOPT_XFERINFODATA, pointer: context)
        var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        let code = errorBuffer.withUnsafeMutableBytes { buffer -> CURLcode in
            curl.set(CURLOPT_ERRORBUFFER, pointer: buffer.baseAddress)
            defer { curl.set(CURLOPT_ERRORBUFFER, pointer: nil) }
            return mlwb_curl_easy_perform(h)
        }
        // Sniffed bytes are kept; an attempt aborted before deciding leaves the .part as it was.
        if mode == .sniffing || (mode == .undecided && abort == nil) { finishSniffing() }
        emitProgress(force: true)
        var text = errorBuffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        if text.isEmpty { text = String(cString: mlwb_curl_easy_strerror(code)) }
        return AttemptOutcome(code: code, errorText: text, headers: headers, abort: abort,
                              page: mode == .capturing ? page : nil, bytesWritten: writer.size - startSize,
                              restarted: restarted, effectiveURL: curl.infoString(CURLINFO_EFFECTIVE_URL) ?? url,
                              decoded: decoded)
    }

    // MARK: Callbacks

    fileprivate func header(_ line: String) {
        lastActivity = MonotonicClock.seconds()
        if line.hasPrefix("HTTP/") { headers.reset(statusLine: line.trimmingSpaces()) } else { headers.add(line: line) }
    }

    fileprivate func body(_ bytes: UnsafeRawPointer, count: Int) -> Bool {
        lastActivity = MonotonicClock.seconds()
        if mode == .undecided, !decide() { return false }
        switch mode {
        case .capturing:
            if page.count + count > Self.pageLimit { abort = .pageTooLarge; return false }
            page.append(contentsOf: UnsafeRawBufferPointer(start: bytes, count: count))
            return true
        case .sniffing:
            sniffBuffer.append(contentsOf: UnsafeRawBufferPointer(start: bytes, count: count))
            if sniffBuffer.count >= Self.sniffLength { return finishSniffing() }
            return true
        default:
            return write(bytes, count: count)
        }
    }

    /// Chooses where the body goes once the final response's headers are known.
    private func decide() -> Bool {
        let status = headers.status
        guard status == 200 || status == 206 else { mode = .capturing; return true }
        if expectBinary, headers.mediaType == "text/html" || headers.mediaType == "application/xhtml+xml" {
            // A web page: keep it in memory for the caller to read; the .part is left alone.
            mode = .capturing
            return true
        }
        if status == 206 {
            guard checkPartialResponse() else { return false }
        } else {
            if confirming, headers.contentEncoding == nil, headers.contentLength == writer.size {
                // The server ignores ranges but states the same length again: the file is complete.
                abort = .lengthConfirmed
                return false
            }
            decoded = headers.contentEncoding != nil
            // A decoded body's length is not the Content-Length (that counts the encoded bytes).
            total = decoded ? nil : (headers.contentLength ?? total)
            needsRestart = writer.size > 0
        }
        let remaining = (total ?? 0) - (needsRestart ? 0 : writer.size)
        if remaining > 0, let free = DiskSpace.available(near: writer.path) {
            let (needed, overflow) = remaining.addingReportingOverflow(options.diskReserve)
            if overflow || free < needed {
                abort = .diskFull(needed: remaining, available: free)
                return false
            }
        }
        onBodyStart(headers)
        if status == 200, expectBinary {
            mode = .sniffing  // the first bytes decide; a restart truncates only once they are not a page
            return true
        }
        mode = .writing
        return restartIfNeeded()
    }

    /// Checks a 206 against what was asked and what the first response said; false (with `abort`
    /// set) when its range, total, validator or encoding shows it is not the rest of the same file.
    private func checkPartialResponse() -> Bool {
        if let encoding = headers.contentEncoding {
            abort = .encodedRange(encoding)
            return false
        }
        guard let range = headers.contentRange, let start = range.start else {
            abort = .badContentRange("a 206 without a valid Content-Range (\(headers["content-range"] ?? "none"))")
            return false
        }
        guard start == writer.size else {
            abort = .badContentRange("bytes from \(start) instead of \(writer.size)")
            return false
        }
        if let length = range.length, let declared = headers.contentLength, declared != length {
            abort = .badContentRange("Content-Length \(declared) for a range of \(length) bytes")
            return false
        }
        if let expected = resumeOf.validator, headers.validator != expected {
            // The server ignored If-Range: these bytes belong to another version of the file.
            abort = .validatorChanged("validator \(expected) → \(headers.validator ?? "none")")
            return false
        }
        if let expected = resumeOf.total, let announced = range.total, announced != expected {
            abort = .validatorChanged("length \(expected) → \(announced) bytes")
            return false
        }
        total = range.total ?? total
        return true
    }

    /// Range ignored, or If-Range found the file changed: empty the .part and start over cleanly.
    private func restartIfNeeded() -> Bool {
        guard needsRestart else { return true }
        needsRestart = false
        do { try writer.truncate() } catch { abort = .writeError("\(error)"); return false }
        startSize = 0
        restarted = true
        meter.restart()
        return true
    }

    /// Looks at the first bytes: a web page is kept in memory, anything else goes to the file.
    @discardableResult
    private func finishSniffing() -> Bool {
        if mode == .undecided {
            // No body at all (e.g. an empty file or an error without body).
            if headers.status != 200 && headers.status != 206 {
                mode = .capturing
            } else if headers.status == 200 {
                needsRestart = writer.size > 0  // an empty 200 body replaces an old partial file
                mode = .writing
                return restartIfNeeded()
            }
            return true
        }
        guard mode == .sniffing else { return true }
        if HTMLSniffer.looksLikeHTML(sniffBuffer) {
            mode = .capturing
            page = sniffBuffer
            return true
        }
        mode = .writing
        guard restartIfNeeded() else { return false }
        let buffer = sniffBuffer
        sniffBuffer = []
        return buffer.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return true }
            return write(base, count: raw.count)
        }
    }

    private func write(_ bytes: UnsafeRawPointer, count: Int) -> Bool {
        if let code = writer.append(bytes, count: count) {
            if code == ENOSPC || code == EDQUOT {
                let available = DiskSpace.available(near: writer.path)
                if let total {
                    abort = .diskFull(needed: max(0, total - writer.size), available: available)
                } else {
                    let (attempted, overflow) = writer.size.addingReportingOverflow(Int64(count))
                    abort = .diskFilled(written: overflow ? writer.size : attempted, available: available)
                }
            } else {
                abort = .writeError(String(cString: strerror(code)))
            }
            return false
        }
        emitProgress(force: false)
        return true
    }

    fileprivate func progressTick() -> Bool {
        if control.shouldStop { abort = .stopRequested; return false }
        if MonotonicClock.seconds() - lastActivity > options.stallTimeout { abort = .stall; return false }
        emitProgress(force: false)
        return true
    }

    private func emitProgress(force: Bool) {
        guard mode == .writing || force else { return }
        let now = MonotonicClock.seconds()
        guard force || now - lastEmit >= options.progressInterval else { return }
        lastEmit = now
        onProgress(meter.update(bytes: writer.size, total: total, at: now))
    }
}

// MARK: - libcurl callbacks (C function pointers; the attempt travels as an unretained context)

private let transferWriteCallback: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int = {
    data, size, count, context in
    guard let data, let context else { return 0 }
    let attempt = Unmanaged<TransferAttempt>.fromOpaque(context).takeUnretainedValue()
    let total = size * count
    return attempt.body(UnsafeRawPointer(data), count: total) ? total : 0
}

private let transferHeaderCallback: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int = {
    data, size, count, context in
    guard let data, let context else { return 0 }
    let attempt = Unmanaged<TransferAttempt>.fromOpaque(context).takeUnretainedValue()
    let total = size * count
    let line = String(decoding: UnsafeRawBufferPointer(start: data, count: total), as: UTF8.self)
    attempt.header(line)
    return total
}

private let transferProgressCallback: @convention(c) (UnsafeMutableRawPointer?, curl_off_t, curl_off_t, curl_off_t, curl_off_t) -> Int32 = {
    context, _, _, _, _ in
    guard let context else { return 1 }
    return Unmanaged<TransferAttempt>.fromOpaque(context).takeUnretainedValue().progressTick() ? 0 : 1
}
