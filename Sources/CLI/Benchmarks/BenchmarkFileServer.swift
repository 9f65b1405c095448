import Foundation
import Glibc
import Remote

/// A minimal loopback HTTP/1.1 server for `DownloadBenchmark`: serves one file with sendfile(2),
/// honouring `Range: bytes=N-`. One connection at a time; not for anything but measuring.
final class BenchmarkFileServer: @unchecked Sendable {
    let port: Int
    private let listener: Int32
    private let file: String
    private let size: Int

    /// Bytes a second each response is held to (nil: as fast as the loopback goes).
    private let bytesPerSecond: Int?

    init(file: String, bytesPerSecond: Int? = nil) throws {
        signal(SIGPIPE, SIG_IGN)
        self.file = file
        self.bytesPerSecond = bytesPerSecond
        var info = stat()
        guard stat(file, &info) == 0 else { throw RemoteError.file(.fileNotFound(path: file)) }
        size = Int(info.st_size)
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var yes: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let ok = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0 && listen(listener, 16) == 0
        guard ok else { close(listener); throw RemoteError.connectionFailed(url: "127.0.0.1", reason: "cannot listen", attempts: 1) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        port = Int(UInt16(bigEndian: address.sin_port))
        self.listener = listener
        let thread = Thread { [self] in serve() }
        thread.name = "mlwb-bench-server"
        thread.start()
    }

    var url: String { "http://127.0.0.1:\(port)/bench.bin" }

    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    private func serve() {
        while true {
            let fd = accept(listener, nil, nil)
            if fd < 0 { if errno == EINTR { continue }; return }
            let thread = Thread { [self] in
                handle(fd)
                close(fd)
            }
            thread.start()
        }
    }

    private func handle(_ fd: Int32) {
        var head = [UInt8]()
        var byte = [UInt8](repeating: 0, count: 4096)
        while !(head.count >= 4 && head.suffix(4) == [13, 10, 13, 10]) {
            let n = recv(fd, &byte, 1, 0)  // request heads are tiny; byte-wise keeps this simple
            if n <= 0 { return }
            head.append(byte[0])
            if head.count > 16384 { return }
        }
        let text = String(decoding: head, as: UTF8.self).lowercased()
        var start = 0
        if let range = text.range(of: "range: bytes=") {
            start = Int(text[range.upperBound...].prefix { $0.isNumber }) ?? 0
        }
        start = min(start, size)
        let status = start > 0 ? "206 Partial Content" : "200 OK"
        var response = "HTTP/1.1 \(status)\r\nContent-Type: application/octet-stream\r\nContent-Length: \(size - start)\r\n"
        if start > 0 { response += "Content-Range: bytes \(start)-\(size - 1)/\(size)\r\n" }
        response += "ETag: \"bench\"\r\nConnection: close\r\n\r\n"
        let bytes = Array(response.utf8)
        guard bytes.withUnsafeBytes({ send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }) == bytes.count else { return }
        let input = open(file, O_RDONLY)
        guard input >= 0 else { return }
        defer { close(input) }
        var offset = off_t(start)
        var left = size - start
        let chunk = bytesPerSecond.map { max(4096, $0 / 20) } ?? (1 << 30)
        while left > 0 {
            if bytesPerSecond != nil, left < size - start { usleep(50_000) }  // a chunk each 50 ms
            let n = sendfile(fd, input, &offset, min(left, chunk))
            if n < 0, errno == EINTR { continue }
            if n <= 0 { return }
            left -= n
        }
    }
}
