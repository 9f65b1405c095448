import Foundation
import Remote
import TestSupport
import XCTest

/// HTTP responses from the loopback server, mutated byte for byte (status lines, lengths, ranges,
/// validators, encodings, Retry-After, redirects, chunking): every download ends in a result or a
/// `RemoteError` within seconds and leaves nothing but its own files in its folder.
final class HTTPFuzzTests: XCTestCase {
    /// The response the route sends next (the current mutant), shared with the server's threads.
    private final class Current: @unchecked Sendable {
        private let lock = NSLock()
        private var bytes: [UInt8] = []
        var value: [UInt8] {
            get { lock.lock(); defer { lock.unlock() }; return bytes }
            set { lock.lock(); bytes = newValue; lock.unlock() }
        }
    }

    private static func response(_ head: String, _ body: [UInt8] = []) -> [UInt8] {
        Array(head.replacingOccurrences(of: "\n", with: "\r\n").utf8) + Array("\r\n".utf8) + body
    }

    /// Seeds: whole files, resumes, errors with Retry-After, a redirect, chunking, gzip, 416.
    static func seeds(body: [UInt8], gzip: [UInt8]?) -> (fresh: [[UInt8]], resume: [[UInt8]]) {
        let n = body.count
        var fresh = [
            response("HTTP/1.1 200 OK\nContent-Length: \(n)\nETag: \"a\"\nContent-Type: application/octet-stream\n", body),
            response("HTTP/1.1 200 OK\nLast-Modified: Wed, 21 Oct 2015 07:28:00 GMT\nConnection: close\n", body),
            response("HTTP/1.1 503 Service Unavailable\nRetry-After: 0\nContent-Length: 5\n", Array("busy\n".utf8)),
            response("HTTP/1.1 302 Found\nLocation: /good\nContent-Length: 0\n"),
            response("HTTP/1.1 200 OK\nTransfer-Encoding: chunked\n", Array("20\r\n".utf8) + body.prefix(32) + Array("\r\n0\r\n\r\n".utf8)),
            response("HTTP/1.1 429 Too Many Requests\nRetry-After: Wed, 21 Oct 2015 07:28:00 GMT\nContent-Length: 0\n"),
            response("HTTP/1.1 200 OK\nContent-Type: text/html\nContent-Length: 26\n", Array("<html><p>nope</p></html>\n\n".utf8)),
        ]
        if let gzip {
            fresh.append(response("HTTP/1.1 200 OK\nContent-Encoding: gzip\nContent-Length: \(gzip.count)\n", gzip))
        }
        let half = n / 2
        let resume = [
            response("HTTP/1.1 206 Partial Content\nContent-Range: bytes \(half)-\(n - 1)/\(n)\nContent-Length: \(n - half)\nETag: \"a\"\n",
                     Array(body[half...])),
            response("HTTP/1.1 416 Range Not Satisfiable\nContent-Range: bytes */\(n)\nContent-Length: 0\n"),
            response("HTTP/1.1 200 OK\nContent-Length: \(n)\nETag: \"b\"\n", body),
        ]
        return (fresh, resume)
    }

    func testMutatedResponses() throws {
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        let dir = try TemporaryDirectory(prefix: "mlwb-fuzz-http")
        defer { dir.remove() }
        let folder = dir.file("dl")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let body = (0..<4096).map { UInt8(($0 * 31 + 7) % 256) }
        let current = Current()
        server.route("/f") { _ in .rawBytes(current.value) }
        server.serve("/good", bytes: body)

        let plain = dir.file("plain.bin")
        try FuzzHarness.write(body, to: plain)
        let zipped = try ProcessRunner.run("/usr/bin/env", ["gzip", "-c", "-n", plain])
        let (fresh, resume) = Self.seeds(body: body, gzip: zipped.status == 0 ? Array(zipped.stdoutBytes) : nil)

        let options = DownloadOptions(retry: RetryPolicy(maxAttempts: 2, baseDelay: 0.001, maxDelay: 0.002, maxRetryAfter: 0.05),
                                      connectTimeout: 1, stallTimeout: 0.5, driveBaseURL: server.baseURL, progressInterval: 0.05)
        let url = server.url("/f")
        let destination = folder + "/file.bin"
        let allowed: Set<String> = ["file.bin", "file.bin.part", "file.bin.part.meta"]
        func download(_ bytes: [UInt8], resuming: Bool, checksum: Bool) throws {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] {
                try FileManager.default.removeItem(atPath: folder + "/" + name)
            }
            if resuming {
                try FuzzHarness.write(Array(body.prefix(body.count / 2)), to: destination + ".part")
                let meta = "{\"url\":\"\(url)\",\"etag\":\"\\\"a\\\"\",\"totalSize\":\(body.count)}"
                try FuzzHarness.write(Array(meta.utf8), to: destination + ".part.meta")
            }
            current.value = bytes
            let request = DownloadRequest(url: url, destination: destination, sha256: checksum ? Self.sha256(body) : nil)
            defer {
                let names = Set((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
                XCTAssertTrue(names.isSubset(of: allowed), "unexpected files \(names.subtracting(allowed))")
                XCTAssertEqual(try? FileManager.default.contentsOfDirectory(atPath: dir.path).sorted(), ["dl", "plain.bin"])
                if checksum, names.contains("file.bin") {
                    XCTAssertEqual(FileManager.default.contents(atPath: destination).map(Array.init), body, "a verified file differs")
                }
            }
            _ = try Downloader.fetchBlocking(request, options: options, control: DownloadControl())
        }
        FuzzHarness.run("http", seeds: fresh, seed: 0x48545450, count: FuzzHarness.count) { bytes, index in
            try download(bytes, resuming: false, checksum: index % 3 == 0)
        }
        FuzzHarness.run("http-resume", seeds: resume, seed: 0x52414E47, count: FuzzHarness.count) { bytes, index in
            try download(bytes, resuming: true, checksum: index % 2 == 0)
        }
    }

    private static func sha256(_ bytes: [UInt8]) -> String {
        let digest = StreamingDigest(.sha256)
        digest.update(bytes)
        return digest.hex()
    }
}
