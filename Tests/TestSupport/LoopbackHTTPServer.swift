import Foundation
import Glibc

/// A small threaded HTTP/1.1 server on 127.0.0.1 (port chosen by the kernel) for tests: routes by
/// path, static bodies with Range/If-Range/ETag support, and fault injection (dropped connections,
/// trickles, wrong Content-Length, delays). Keep-alive is supported; each connection gets a thread.
public final class LoopbackHTTPServer: @unchecked Sendable {
    // MARK: Requests and responses

    /// One parsed request.
    public struct Request: Sendable {
        /// "GET", "HEAD", …
        public var method: String
        /// The request target as sent ("/a/b?x=1").
        public var target: String
        /// The path without the query ("/a/b").
        public var path: String
        /// Query parameters (percent-decoded; the last one wins).
        public var query: [String: String]
        /// Header values by lowercased name.
        public var headers: [String: String]
        /// Which request to this route this is (1 for the first), for "fail then succeed" routes.
        public var hit: Int

        /// A header value by (case-insensitive) name.
        public func header(_ name: String) -> String? { headers[name.lowercased()] }
    }

    /// What to send back, with optional faults.
    public struct Response: Sendable {
        /// Where the body comes from.
        public enum Body: Sendable {
            case bytes([UInt8])
            /// A slice of a file on disk, sent with sendfile(2).
            case file(path: String, offset: Int, length: Int)
        }

        public var status: Int
        public var headers: [(String, String)]
        public var body: Body
        /// Send this Content-Length instead of the true one (a lying server).
        public var contentLengthOverride: Int?
        /// Close the connection after this many body bytes (a dropped connection).
        public var dropAfter: Int?
        /// Send the body in pieces of `bytes` with `delay` seconds between them (a trickle).
        public var trickle: (bytes: Int, delay: Double)?
        /// After this many body bytes, go silent for `stallSeconds` (then close).
        public var stallAfter: Int?
        /// How long a stall lasts.
        public var stallSeconds: Double
        /// Seconds to wait before sending anything.
        public var delayBeforeHeaders: Double
        /// Close the connection after this response.
        public var close: Bool
        /// Send no Content-Length and end the body by closing the connection (a body of unknown length).
        public var omitContentLength = false
        /// Send exactly these bytes instead of a formatted response, then close (for fuzzing clients).
        public var raw: [UInt8]?

        public init(status: Int = 200, headers: [(String, String)] = [], body: Body = .bytes([]),
                    contentLengthOverride: Int? = nil, dropAfter: Int? = nil, trickle: (bytes: Int, delay: Double)? = nil,
                    stallAfter: Int? = nil, stallSeconds: Double = 10, delayBeforeHeaders: Double = 0, close: Bool = false) {
            self.status = status; self.headers = headers; self.body = body
            self.contentLengthOverride = contentLengthOverride; self.dropAfter = dropAfter; self.trickle = trickle
            self.stallAfter = stallAfter; self.stallSeconds = stallSeconds; self.delayBeforeHeaders = delayBeforeHeaders
            self.close = close
        }

        /// A body of text with a content type.
        public static func text(_ text: String, status: Int = 200, type: String = "text/plain; charset=utf-8",
                                headers: [(String, String)] = []) -> Response {
            Response(status: status, headers: [("Content-Type", type)] + headers, body: .bytes(Array(text.utf8)))
        }

        /// An HTML page.
        public static func html(_ html: String, status: Int = 200, headers: [(String, String)] = []) -> Response {
            text(html, status: status, type: "text/html; charset=utf-8", headers: headers)
        }

        /// These exact bytes as the whole response (status line, headers and body), then a close.
        public static func rawBytes(_ bytes: [UInt8]) -> Response {
            var response = Response()
            response.raw = bytes
            return response
        }

        /// A redirect to `location`.
        public static func redirect(_ location: String, status: Int = 302) -> Response {
            Response(status: status, headers: [("Location", location)])
        }

        /// A file's bytes honouring `Range` and `If-Range` (ETag or Last-Modified) like a real
        /// static server: 206 for a satisfiable range whose validator matches, 416 past the end,
        /// 200 with the whole body otherwise (or always, when `honourRange` is false).
        public static func content(_ body: Body, size: Int, for request: Request, etag: String? = nil,
                                   lastModified: String? = nil, type: String = "application/octet-stream",
                                   honourRange: Bool = true) -> Response {
            var headers: [(String, String)] = [("Content-Type", type)]
            if let etag { headers.append(("ETag", etag)) }
            if let lastModified { headers.append(("Last-Modified", lastModified)) }
            if honourRange { headers.append(("Accept-Ranges", "bytes")) }
            guard honourRange, let range = request.header("Range"), range.hasPrefix("bytes=") else {
                return Response(status: 200, headers: headers, body: body)
            }
            if let ifRange = request.header("If-Range"), ifRange != etag, ifRange != lastModified {
                return Response(status: 200, headers: headers, body: body)  // validator changed: whole file
            }
            let spec = range.dropFirst(6).split(separator: "-", omittingEmptySubsequences: false)
            guard spec.count == 2, let start = Int(spec[0]) else { return Response(status: 200, headers: headers, body: body) }
            let end = Int(spec[1]).map { min($0, size - 1) } ?? size - 1
            guard start < size, start <= end else {
                return Response(status: 416, headers: headers + [("Content-Range", "bytes */\(size)")])
            }
            headers.append(("Content-Range", "bytes \(start)-\(end)/\(size)"))
            let slice: Body
            switch body {
            case .bytes(let bytes): slice = .bytes(Array(bytes[start...end]))
            case .file(let path, let offset, _): slice = .file(path: path, offset: offset + start, length: end - start + 1)
            }
            return Response(status: 206, headers: headers, body: slice)
        }

        /// `content` for an in-memory body.
        public static func content(_ bytes: [UInt8], for request: Request, etag: String? = nil, lastModified: String? = nil,
                                   type: String = "application/octet-stream", honourRange: Bool = true) -> Response {
            content(.bytes(bytes), size: bytes.count, for: request, etag: etag, lastModified: lastModified, type: type,
                    honourRange: honourRange)
        }

        var bodyLength: Int {
            switch body {
            case .bytes(let b): return b.count
            case .file(_, _, let length): return length
            }
        }
    }

    /// Builds a response for a request.
    public typealias Handler = @Sendable (Request) -> Response

    // MARK: Stored properties

    /// The port the server listens on.
    public private(set) var port: Int = 0
    private var listener: Int32 = -1
    private let lock = NSCondition()
    private var routes: [(prefix: String, exact: Bool, handler: Handler)] = []
    private var hits: [String: Int] = [:]
    private var log: [Request] = []
    private var stopping = false
    private var connections: Set<Int32> = []

    /// `http://127.0.0.1:PORT`.
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    /// The URL of `path` on this server.
    public func url(_ path: String) -> String { baseURL + (path.hasPrefix("/") ? path : "/" + path) }

    // MARK: Starting and stopping

    /// Starts listening on 127.0.0.1 on a free port.
    public init() throws {
        signal(SIGPIPE, SIG_IGN)
        listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard listener >= 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        var yes: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(listener, 64) == 0 else {
            close(listener)
            throw POSIXError(.init(rawValue: errno) ?? .EIO)
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        port = Int(UInt16(bigEndian: address.sin_port))
        let thread = Thread { [self] in acceptLoop() }
        thread.name = "loopback-http-accept"
        thread.start()
    }

    deinit { stop() }

    /// Stops accepting, closes open connections and wakes any stalled responses.
    public func stop() {
        lock.lock()
        if stopping { lock.unlock(); return }
        stopping = true
        let open = connections
        lock.broadcast()
        lock.unlock()
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
        for fd in open { shutdown(fd, Int32(SHUT_RDWR)) }
    }

    // MARK: Routes

    /// Serves `handler` for requests whose path equals `path` (or starts with it when `prefix`).
    public func route(_ path: String, prefix: Bool = false, _ handler: @escaping Handler) {
        lock.lock()
        routes.append((path, !prefix, handler))
        lock.unlock()
    }

    /// Serves fixed bytes at `path` with Range and ETag support.
    public func serve(_ path: String, bytes: [UInt8], etag: String? = "\"v1\"", type: String = "application/octet-stream") {
        route(path) { request in .content(bytes, for: request, etag: etag, type: type) }
    }

    /// Serves a file from disk at `path` (sendfile; Range and ETag from its size and mtime).
    public func serve(_ path: String, file: String, type: String = "application/octet-stream") throws {
        var info = stat()
        guard stat(file, &info) == 0 else { throw POSIXError(.ENOENT) }
        let size = Int(info.st_size)
        let etag = "\"\(size)-\(info.st_mtim.tv_sec)\""
        route(path) { request in .content(.file(path: file, offset: 0, length: size), size: size, for: request, etag: etag, type: type) }
    }

    /// Every request received so far, in order.
    public var requests: [Request] {
        lock.lock(); defer { lock.unlock() }
        return log
    }

    /// The requests received for `path`.
    public func requests(for path: String) -> [Request] { requests.filter { $0.path == path } }

    // MARK: Serving

    private func acceptLoop() {
        while true {
            let fd = accept(listener, nil, nil)
            if fd < 0 {
                if errno == EINTR { continue }
                return
            }
            lock.lock()
            if stopping { lock.unlock(); close(fd); return }
            connections.insert(fd)
            lock.unlock()
            var yes: Int32 = 1
            setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &yes, socklen_t(MemoryLayout<Int32>.size))
            let thread = Thread { [self] in
                serveConnection(fd)
                lock.lock()
                connections.remove(fd)
                lock.unlock()
                close(fd)
            }
            thread.name = "loopback-http-conn"
            thread.start()
        }
    }

    private func serveConnection(_ fd: Int32) {
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16384)
        while true {
            // Read one request head.
            var headEnd: Int?
            while headEnd == nil {
                if let end = Self.find([13, 10, 13, 10], in: buffer) { headEnd = end; break }
                let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if n <= 0 { return }
                buffer.append(contentsOf: chunk[0..<n])
                if buffer.count > 1 << 20 { return }
            }
            guard let end = headEnd else { return }
            let head = String(decoding: buffer[0..<end], as: UTF8.self)
            buffer.removeFirst(end + 4)
            guard var request = Self.parse(head) else { return }
            if let length = request.headers["content-length"].flatMap(Int.init), length > 0 {
                while buffer.count < length {
                    let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                    if n <= 0 { return }
                    buffer.append(contentsOf: chunk[0..<n])
                }
                buffer.removeFirst(length)
            }
            let response = respond(to: &request)
            let keepOpen = send(response, for: request, on: fd)
            if !keepOpen { return }
        }
    }

    private func respond(to request: inout Request) -> Response {
        lock.lock()
        let match = routes.last { $0.exact ? $0.prefix == request.path : request.path.hasPrefix($0.prefix) }
        let key = match?.prefix ?? request.path
        hits[key, default: 0] += 1
        request.hit = hits[key]!
        log.append(request)
        lock.unlock()
        guard let match else { return .text("no route for \(request.path)\n", status: 404) }
        return match.handler(request)
    }

    /// Sends a response with its faults; returns whether the connection stays open.
    private func send(_ response: Response, for request: Request, on fd: Int32) -> Bool {
        if response.delayBeforeHeaders > 0, !pause(response.delayBeforeHeaders) { return false }
        if let raw = response.raw {
            _ = writeAll(fd, raw)
            return false
        }
        var head = "HTTP/1.1 \(response.status) \(Self.reason(response.status))\r\n"
        for (name, value) in response.headers { head += "\(name): \(value)\r\n" }
        let length = response.contentLengthOverride ?? response.bodyLength
        if !response.omitContentLength { head += "Content-Length: \(length)\r\n" }
        let closing = response.close || response.dropAfter != nil || response.stallAfter != nil
            || response.contentLengthOverride != nil || response.omitContentLength
            || request.header("Connection")?.lowercased() == "close"
        if closing { head += "Connection: close\r\n" }
        head += "\r\n"
        guard writeAll(fd, Array(head.utf8)) else { return false }
        if request.method == "HEAD" { return !closing }

        var limit = response.bodyLength
        if let drop = response.dropAfter { limit = min(limit, drop) }
        if let stall = response.stallAfter { limit = min(limit, stall) }
        let piece = response.trickle?.bytes ?? (1 << 20)
        var sent = 0
        while sent < limit {
            let count = min(piece, limit - sent)
            guard sendBody(response.body, from: sent, count: count, on: fd) else { return false }
            sent += count
            if let trickle = response.trickle, sent < limit, !pause(trickle.delay) { return false }
        }
        if response.stallAfter != nil {
            _ = pause(response.stallSeconds)
            return false
        }
        return !closing
    }

    private func sendBody(_ body: Response.Body, from start: Int, count: Int, on fd: Int32) -> Bool {
        switch body {
        case .bytes(let bytes):
            return writeAll(fd, Array(bytes[start..<start + count]))
        case .file(let path, let offset, _):
            let file = open(path, O_RDONLY)
            guard file >= 0 else { return false }
            defer { close(file) }
            var position = off_t(offset + start)
            var left = count
            while left > 0 {
                let n = sendfile(fd, file, &position, left)
                if n < 0, errno == EINTR { continue }
                if n <= 0 { return false }
                left -= n
            }
            return true
        }
    }

    private func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Glibc.send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                if n < 0, errno == EINTR { continue }
                if n <= 0 { return false }
                offset += n
            }
            return true
        }
    }

    /// Waits `seconds` unless the server stops first; returns false when stopping.
    private func pause(_ seconds: Double) -> Bool {
        let deadline = Date(timeIntervalSinceNow: seconds)
        lock.lock()
        defer { lock.unlock() }
        while !stopping {
            if !lock.wait(until: deadline) { return !stopping }
        }
        return false
    }

    // MARK: Parsing

    static func parse(_ head: String) -> Request? {
        let lines = head.components(separatedBy: "\r\n")
        let parts = lines.first?.split(separator: " ") ?? []
        guard parts.count >= 2 else { return nil }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let target = String(parts[1])
        let components = URLComponents(string: target)
        var query: [String: String] = [:]
        for item in components?.queryItems ?? [] { query[item.name] = item.value ?? "" }
        let path = components?.path ?? target
        return Request(method: String(parts[0]), target: target, path: path, query: query, headers: headers, hit: 0)
    }

    static func find(_ needle: [UInt8], in hay: [UInt8]) -> Int? {
        guard hay.count >= needle.count else { return nil }
        for i in 0...(hay.count - needle.count) where hay[i] == needle[0] {
            if Array(hay[i..<i + needle.count]) == needle { return i }
        }
        return nil
    }

    static func reason(_ status: Int) -> String {
        switch status {
        case 200: return "OK"
        case 206: return "Partial Content"
        case 301: return "Moved Permanently"
        case 302: return "Found"
        case 303: return "See Other"
        case 307: return "Temporary Redirect"
        case 403: return "Forbidden"
        case 404: return "Not Found"
        case 416: return "Range Not Satisfiable"
        case 429: return "Too Many Requests"
        case 500: return "Internal Server Error"
        case 503: return "Service Unavailable"
        default: return "Status"
        }
    }
}
