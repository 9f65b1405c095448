import Foundation
import Remote
import TestSupport
import XCTest

/// Servers that lie about lengths, ranges, validators and encodings (issue 10): every answer is a
/// clean error or the true file, never a trap and never a corrupt file under the final name.
final class HostileServerTests: RemoteTestCase {
    // MARK: Numbers from headers

    func testHugeContentLengthIsAnErrorNotATrap() {
        server.route("/max") { _ in
            var response = LoopbackHTTPServer.Response(body: .bytes(Array(repeating: 1, count: 100)))
            response.contentLengthOverride = Int.max
            return response
        }
        let request = DownloadRequest(url: server.url("/max"), destination: directory.file("max.bin"))
        var options = fastOptions
        options.diskReserve = 16 << 20  // the default reserve, added to the announced size
        let error = fetchError(request, options: options)
        guard case .diskFull(_, let needed, _)? = error else { return XCTFail("\(String(describing: error))") }
        XCTAssertEqual(needed, Int64.max)
        assertNoFinalFile(request)
    }

    func testHugeContentRangeTotalOnAResumeIsAnErrorNotATrap() {
        let bytes = payload(4000)
        server.route("/range-max") { request in
            if request.hit == 1 {
                var response = LoopbackHTTPServer.Response.content(bytes, for: request, etag: "\"m\"")
                response.dropAfter = 1000
                return response
            }
            return LoopbackHTTPServer.Response(status: 206, headers: [("ETag", "\"m\""),
                                                                      ("Content-Range", "bytes 1000-3999/9223372036854775807")],
                                               body: .bytes(Array(bytes[1000...])))
        }
        let request = DownloadRequest(url: server.url("/range-max"), destination: directory.file("range.bin"))
        var options = fastOptions
        options.diskReserve = 16 << 20
        XCTAssertNotNil(fetchError(request, options: options))
        assertNoFinalFile(request)
    }

    func testNonFiniteOrHugeRetryAfterIsAnErrorNotATrap() {
        for (index, value) in ["inf", "-inf", "nan", "1e400", "99999999999999999999999", "0x1p70", "+Infinity"].enumerated() {
            server.route("/busy\(index)") { _ in .text("busy\n", status: 503, headers: [("Retry-After", value)]) }
            let request = DownloadRequest(url: server.url("/busy\(index)"), destination: directory.file("busy\(index).bin"))
            let error = fetchError(request)
            guard case .httpStatus(_, 503, _)? = error else { XCTFail("\(value): \(String(describing: error))"); continue }
            assertNoFinalFile(request)
        }
    }

    // MARK: Lengths

    func testShortContentLengthIsNotSavedTruncated() throws {
        // The first answer claims 60,000 bytes of a 100,000-byte file; nothing else says how long it is.
        let bytes = payload(100_000)
        server.route("/short") { request in
            var response = LoopbackHTTPServer.Response.content(bytes, for: request, etag: "\"s\"")
            if request.hit == 1 { response.contentLengthOverride = 60_000 }
            return response
        }
        let request = DownloadRequest(url: server.url("/short"), destination: directory.file("short.bin"))
        try fetch(request)
        XCTAssertEqual(read(request.destination), bytes, "the whole file, not the first 60,000 bytes")
        XCTAssertEqual(directory.contents(), ["short.bin"])
    }

    func testBodyOfUnknownLengthIsConfirmedBeforeSaving() throws {
        // No Content-Length: the body ends with the connection, here cut after 30,000 of 80,000 bytes.
        let bytes = payload(80_000)
        server.route("/nolength") { request in
            var response = LoopbackHTTPServer.Response.content(bytes, for: request, etag: "\"n\"")
            if request.hit == 1 {
                response.omitContentLength = true
                response.dropAfter = 30_000
            }
            return response
        }
        let request = DownloadRequest(url: server.url("/nolength"), destination: directory.file("nolength.bin"))
        try fetch(request)
        XCTAssertEqual(read(request.destination), bytes)
    }

    func testTotalThatDisagreesWithContentRangeIsAnError() {
        // The first answer says 100,000 bytes; the resumed one says the file has 50,000 but sends 60,000 more.
        let bytes = payload(100_000)
        server.route("/mismatch") { request in
            if request.hit == 1 {
                var response = LoopbackHTTPServer.Response.content(bytes, for: request, etag: "\"t\"")
                response.dropAfter = 40_000
                return response
            }
            guard request.header("Range") != nil else { return .content(bytes, for: request, etag: "\"t\"") }
            return LoopbackHTTPServer.Response(status: 206, headers: [("ETag", "\"t\""), ("Content-Range", "bytes 40000-99999/50000")],
                                               body: .bytes(Array(bytes[40_000...])))
        }
        let request = DownloadRequest(url: server.url("/mismatch"), destination: directory.file("mismatch.bin"))
        do {
            try fetch(request)
            XCTAssertEqual(read(request.destination), bytes, "only the true file may be saved")
            XCTAssertNil(server.requests(for: "/mismatch").last?.header("Range"), "the good copy came from a fresh start")
        } catch {
            assertNoFinalFile(request)
        }
        XCTAssertFalse(exists(request.partialPath) && read(request.partialPath)?.count == 100_000)
    }

    // MARK: Validators

    func testChangedETagOnA206IsRestartedNotSpliced() throws {
        // The server ignores If-Range and sends the new version's bytes from the old offset.
        let old = payload(100_000, seed: 1), new = payload(100_000, seed: 2)
        server.route("/splice") { request in
            if request.hit == 1 {
                var response = LoopbackHTTPServer.Response.content(old, for: request, etag: "\"v1\"")
                response.dropAfter = 40_000
                return response
            }
            var response = LoopbackHTTPServer.Response.content(new, for: request, etag: "\"v2\"")
            if let range = request.header("Range"), range.hasPrefix("bytes=") {
                let start = Int(range.dropFirst(6).split(separator: "-")[0])!
                response = LoopbackHTTPServer.Response(status: 206, headers: [("ETag", "\"v2\""),
                                                                              ("Content-Range", "bytes \(start)-99999/100000")],
                                                       body: .bytes(Array(new[start...])))
            }
            return response
        }
        let request = DownloadRequest(url: server.url("/splice"), destination: directory.file("splice.bin"))
        let recorder = EventRecorder()
        try fetch(request, recorder: recorder)
        XCTAssertEqual(read(request.destination), new, "no bytes of the old version may survive")
        XCTAssertEqual(server.requests(for: "/splice")[1].header("If-Range"), "\"v1\"")
        XCTAssertTrue(recorder.messages.contains { $0.contains("changed") }, "\(recorder.messages)")
    }

    // MARK: Content encodings

    func testGzipContentEncodingIsDecoded() throws {
        let text = Array(String(repeating: "mlwb compresses well. ", count: 4000).utf8)
        let plain = directory.file("plain.txt")
        try Data(text).write(to: URL(fileURLWithPath: plain))
        let gzip = try ProcessRunner.run("/usr/bin/env", ["gzip", "-c", "-n", plain])
        guard gzip.status == 0 else { throw XCTSkip("skipped: gzip is not available (\(gzip.stderr))") }
        try FileManager.default.removeItem(atPath: plain)
        let compressed = Array(gzip.stdoutBytes)
        server.route("/gz") { _ in
            LoopbackHTTPServer.Response(headers: [("Content-Type", "text/plain"), ("Content-Encoding", "gzip"), ("ETag", "\"g\"")],
                                        body: .bytes(compressed))
        }
        let request = DownloadRequest(url: server.url("/gz"), destination: directory.file("notes.txt"), expectBinary: false)
        try fetch(request)
        XCTAssertEqual(server.requests(for: "/gz").first?.header("Accept-Encoding"), "identity")
        XCTAssertEqual(read(request.destination), text, "the file, not its gzip encoding")
    }

    func testUnknownContentEncodingIsRefused() {
        server.route("/weird") { _ in
            LoopbackHTTPServer.Response(headers: [("Content-Encoding", "x-mystery")], body: .bytes(Array(repeating: 7, count: 500)))
        }
        let request = DownloadRequest(url: server.url("/weird"), destination: directory.file("weird.bin"))
        let error = fetchError(request)
        XCTAssertTrue(error?.description.contains("x-mystery") == true, "\(String(describing: error))")
        XCTAssertEqual(server.requests(for: "/weird").count, 1, "refused at once, not retried")
        assertNoFinalFile(request)
        XCTAssertFalse(exists(request.partialPath))
    }

    // MARK: Full disk

    func testFullDiskWithoutALengthDeletesThePartAndSaysHowMuch() throws {
        let mount = try SmallFileSystem(megabytes: 1)
        defer { mount.remove() }
        let bytes = payload(3_000_000)
        server.route("/endless") { request in
            var response = LoopbackHTTPServer.Response.content(bytes, for: request)
            response.omitContentLength = true
            return response
        }
        let request = DownloadRequest(url: server.url("/endless"), destination: mount.path + "/endless.bin")
        let error = fetchError(request)
        let message = error?.description ?? ""
        XCTAssertTrue(message.contains("disk") && message.contains("more than"), message)
        XCTAssertTrue(message.contains("deleted"), message)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: mount.path), [], "no .part filling the disk")
    }
}

/// A tmpfs of a few megabytes mounted for one test (skips where mounting is not allowed).
struct SmallFileSystem {
    let path: String

    init(megabytes: Int) throws {
        path = NSTemporaryDirectory() + "mlwb-small-fs-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        let result = try ProcessRunner.run("/usr/bin/env", ["mount", "-t", "tmpfs", "-o", "size=\(megabytes)m", "tmpfs", path])
        guard result.status == 0 else {
            try? FileManager.default.removeItem(atPath: path)
            throw XCTSkip("skipped: cannot mount a small tmpfs here (needs root: \(result.stderr.trimmingCharacters(in: .whitespacesAndNewlines)))")
        }
    }

    func remove() {
        _ = try? ProcessRunner.run("/usr/bin/env", ["umount", path])
        try? FileManager.default.removeItem(atPath: path)
    }
}
