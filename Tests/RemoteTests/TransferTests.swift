import Foundation
import Remote
import TestSupport
import XCTest

/// Single downloads against the loopback server, with faults injected.
final class TransferTests: RemoteTestCase {
    // MARK: Success and resume

    func testDownloadsVerifiesAndRenames() throws {
        let bytes = payload(300_000)
        server.serve("/file.bin", bytes: bytes)
        let request = DownloadRequest(url: server.url("/file.bin"), destination: directory.file("file.bin"),
                                      expectedSize: Int64(bytes.count), sha256: sha256(bytes), md5: md5(bytes))
        let recorder = EventRecorder()
        let result = try fetch(request, recorder: recorder)
        XCTAssertEqual(read(request.destination), bytes)
        XCTAssertEqual(result.sha256, sha256(bytes))
        XCTAssertEqual(result.md5, md5(bytes))
        XCTAssertEqual(result.size, Int64(bytes.count))
        XCTAssertEqual(directory.contents(), ["file.bin"], "no .part, .meta or .lock left")
        XCTAssertEqual(recorder.states.first, .connecting)
        XCTAssertTrue(recorder.states.contains(.downloading))
        XCTAssertTrue(recorder.states.contains(.verifying))
        XCTAssertEqual(recorder.states.last, .done(path: request.destination))
        XCTAssertEqual(recorder.progress.last?.bytesDone, Int64(bytes.count))
    }

    func testSecondRunFindsVerifiedCopyWithoutNetwork() throws {
        let bytes = payload(10_000)
        server.serve("/f", bytes: bytes)
        let request = DownloadRequest(url: server.url("/f"), destination: directory.file("f.bin"), sha256: sha256(bytes))
        try fetch(request)
        let again = try fetch(request)
        XCTAssertTrue(again.alreadyPresent)
        XCTAssertEqual(server.requests(for: "/f").count, 1)
    }

    func testResumesAcrossRunsWithRangeAndIfRange() throws {
        let bytes = payload(200_000)
        server.route("/big") { request in
            var response = LoopbackHTTPServer.Response.content(bytes, for: request, etag: "\"abc\"")
            if request.hit == 1 { response.dropAfter = 80_000 }
            return response
        }
        let request = DownloadRequest(url: server.url("/big"), destination: directory.file("big.bin"), sha256: sha256(bytes))
        var options = fastOptions
        options.retry.maxAttempts = 1
        let error = fetchError(request, options: options)
        XCTAssertTrue(error?.description.contains("run the same command again (it resumes)") == true, "\(String(describing: error))")
        XCTAssertEqual(read(request.partialPath)?.count, 80_000)
        XCTAssertTrue(exists(request.metadataPath))
        assertNoFinalFile(request)

        let recorder = EventRecorder()
        let result = try fetch(request, recorder: recorder)
        XCTAssertEqual(result.resumedBytes, 80_000)
        XCTAssertEqual(read(request.destination), bytes)
        let second = server.requests(for: "/big")[1]
        XCTAssertEqual(second.header("Range"), "bytes=80000-")
        XCTAssertEqual(second.header("If-Range"), "\"abc\"")
        XCTAssertTrue(recorder.messages.contains { $0.contains("resuming at 80.0 kB") }, "\(recorder.messages)")
        XCTAssertEqual(directory.contents(), ["big.bin"])
    }

    func testDroppedConnectionIsRetriedWithinOneRun() throws {
        let bytes = payload(150_000)
        server.route("/drop") { request in
            var response = LoopbackHTTPServer.Response.content(bytes, for: request, lastModified: "Wed, 21 Oct 2015 07:28:00 GMT")
            if request.hit <= 2 { response.dropAfter = 40_000 }
            return response
        }
        let request = DownloadRequest(url: server.url("/drop"), destination: directory.file("drop.bin"), sha256: sha256(bytes))
        let recorder = EventRecorder()
        try fetch(request, recorder: recorder)
        XCTAssertEqual(read(request.destination), bytes)
        let ranges = server.requests(for: "/drop").map { $0.header("Range") }
        XCTAssertEqual(ranges, [nil, "bytes=40000-", "bytes=80000-"])
        XCTAssertEqual(server.requests(for: "/drop")[1].header("If-Range"), "Wed, 21 Oct 2015 07:28:00 GMT")
        XCTAssertTrue(recorder.messages.contains { $0.contains("retrying in") }, "\(recorder.messages)")
    }

    func testRangeIgnoredRestartsCleanly() throws {
        let bytes = payload(120_000)
        server.route("/norange") { request in
            var response = LoopbackHTTPServer.Response.content(bytes, for: request, etag: "\"x\"", honourRange: false)
            if request.hit == 1 { response.dropAfter = 50_000 }
            return response
        }
        let request = DownloadRequest(url: server.url("/norange"), destination: directory.file("n.bin"), sha256: sha256(bytes))
        let recorder = EventRecorder()
        let result = try fetch(request, recorder: recorder)
        XCTAssertEqual(read(request.destination), bytes)
        XCTAssertEqual(result.resumedBytes, 0)
        XCTAssertTrue(recorder.messages.contains { $0.contains("starting again from zero") }, "\(recorder.messages)")
    }

    func testChangedETagRestartsWithNewContent() throws {
        let old = payload(100_000, seed: 1), new = payload(90_000, seed: 2)
        server.route("/changing") { request in
            if request.hit == 1 {
                var response = LoopbackHTTPServer.Response.content(old, for: request, etag: "\"v1\"")
                response.dropAfter = 60_000
                return response
            }
            return .content(new, for: request, etag: "\"v2\"")
        }
        let request = DownloadRequest(url: server.url("/changing"), destination: directory.file("c.bin"))
        var options = fastOptions
        options.retry.maxAttempts = 1
        _ = fetchError(request, options: options)
        XCTAssertEqual(read(request.partialPath)?.count, 60_000)
        let result = try fetch(request)
        XCTAssertEqual(server.requests(for: "/changing")[1].header("If-Range"), "\"v1\"")
        XCTAssertEqual(read(request.destination), new, "no bytes of the old version may survive")
        XCTAssertEqual(result.resumedBytes, 0)
    }

    func testPartialWithoutMetadataOrChecksumIsDiscarded() throws {
        let bytes = payload(5000)
        server.serve("/x", bytes: bytes)
        let request = DownloadRequest(url: server.url("/x"), destination: directory.file("x.bin"))
        _ = FileManager.default.createFile(atPath: request.partialPath, contents: Data(repeating: 7, count: 3000))
        try fetch(request)
        XCTAssertEqual(read(request.destination), bytes)
        XCTAssertNil(server.requests(for: "/x")[0].header("Range"))
    }

    func testCompletePartialIsFinishedAfter416() throws {
        let bytes = payload(20_000)
        server.serve("/done", bytes: bytes, etag: "\"d\"")
        let request = DownloadRequest(url: server.url("/done"), destination: directory.file("done.bin"), sha256: sha256(bytes))
        _ = FileManager.default.createFile(atPath: request.partialPath, contents: Data(bytes))
        let result = try fetch(request)
        XCTAssertEqual(result.resumedBytes, 20_000)
        XCTAssertEqual(read(request.destination), bytes)
        XCTAssertEqual(server.requests(for: "/done").first?.header("Range"), "bytes=20000-")
    }

    // MARK: Retries

    func testServerErrorThenSuccess() throws {
        let bytes = payload(10_000)
        server.route("/flaky") { request in
            request.hit <= 2 ? .text("oops", status: 500) : .content(bytes, for: request)
        }
        let request = DownloadRequest(url: server.url("/flaky"), destination: directory.file("flaky.bin"))
        let recorder = EventRecorder()
        try fetch(request, recorder: recorder)
        XCTAssertEqual(read(request.destination), bytes)
        // Three whole-file requests, then one for the bytes after the end (the length check).
        XCTAssertEqual(server.requests(for: "/flaky").filter { $0.header("Range") == nil }.count, 3)
        XCTAssertTrue(recorder.messages.contains { $0.hasPrefix("HTTP 500; retrying in") }, "\(recorder.messages)")
    }

    func testPersistent503GivesUpWithClearMessage() {
        server.route("/down") { _ in .text("maintenance", status: 503) }
        let request = DownloadRequest(url: server.url("/down"), destination: directory.file("down.bin"))
        let error = fetchError(request)
        XCTAssertEqual(error, .httpStatus(url: server.url("/down"), status: 503, attempts: 4))
        XCTAssertEqual(error?.description, "\(server.url("/down")): the server answered HTTP 503 (4 attempts); try again later")
        assertNoFinalFile(request)
        XCTAssertEqual(directory.contents(), [])
    }

    func testTooManyRequestsHonoursRetryAfter() throws {
        let bytes = payload(4000)
        server.route("/limited") { request in
            request.hit == 1 ? .text("slow down", status: 429, headers: [("Retry-After", "1")]) : .content(bytes, for: request)
        }
        let request = DownloadRequest(url: server.url("/limited"), destination: directory.file("l.bin"))
        let recorder = EventRecorder()
        let start = Date()
        try fetch(request, recorder: recorder)
        XCTAssertGreaterThanOrEqual(Date().timeIntervalSince(start), 0.95)
        XCTAssertEqual(read(request.destination), bytes)
        XCTAssertTrue(recorder.messages.contains { $0.contains("HTTP 429 (Retry-After 1 s)") }, "\(recorder.messages)")
    }

    func testStallTimeoutRetriesAndResumes() throws {
        let bytes = payload(50_000)
        server.route("/stall") { request in
            var response = LoopbackHTTPServer.Response.content(bytes, for: request, etag: "\"s\"")
            if request.hit == 1 { response.stallAfter = 10_000; response.stallSeconds = 10 }
            return response
        }
        let request = DownloadRequest(url: server.url("/stall"), destination: directory.file("s.bin"), sha256: sha256(bytes))
        let recorder = EventRecorder()
        let start = Date()
        try fetch(request, recorder: recorder)
        XCTAssertLessThan(Date().timeIntervalSince(start), 5)
        XCTAssertEqual(read(request.destination), bytes)
        XCTAssertEqual(server.requests(for: "/stall")[1].header("Range"), "bytes=10000-")
        XCTAssertTrue(recorder.messages.contains { $0.hasPrefix("no data for 1 s; retrying") }, "\(recorder.messages)")
    }

    func testTrickleSlowerThanStallTimeoutTripsIt() throws {
        let bytes = payload(3000)
        server.route("/trickle") { request in
            var response = LoopbackHTTPServer.Response.content(bytes, for: request, etag: "\"t\"")
            if request.hit == 1 { response.trickle = (bytes: 500, delay: 3) }
            return response
        }
        let request = DownloadRequest(url: server.url("/trickle"), destination: directory.file("t.bin"))
        let recorder = EventRecorder()
        try fetch(request, recorder: recorder)
        XCTAssertEqual(read(request.destination), bytes)
        XCTAssertEqual(server.requests(for: "/trickle")[1].header("Range"), "bytes=500-")
        XCTAssertTrue(recorder.messages.contains { $0.hasPrefix("no data for 1 s") }, "\(recorder.messages)")
    }

    func testSteadyTrickleFasterThanStallTimeoutIsNotInterrupted() throws {
        let bytes = payload(2000)
        server.route("/steady") { request in
            var response = LoopbackHTTPServer.Response.content(bytes, for: request)
            response.trickle = (bytes: 500, delay: 0.25)
            return response
        }
        let request = DownloadRequest(url: server.url("/steady"), destination: directory.file("st.bin"))
        try fetch(request)
        XCTAssertEqual(read(request.destination), bytes)
        XCTAssertEqual(server.requests(for: "/steady").filter { $0.header("Range") == nil }.count, 1)
        XCTAssertEqual(server.requests(for: "/steady").last?.header("Range"), "bytes=2000-", "the length check")
    }

    func testConnectionRefusedReportsAttempts() {
        let port = server.port
        server.stop()
        let request = DownloadRequest(url: "http://127.0.0.1:\(port)/gone", destination: directory.file("g.bin"))
        let error = fetchError(request)
        guard case .connectionFailed(_, let reason, let attempts)? = error else { return XCTFail("\(String(describing: error))") }
        XCTAssertEqual(attempts, 4)
        XCTAssertFalse(reason.isEmpty)
        assertNoFinalFile(request)
    }

    func testTooLongContentLengthRecoversByResuming() throws {
        let bytes = payload(30_000)
        server.route("/liar") { request in
            var response = LoopbackHTTPServer.Response.content(bytes, for: request, etag: "\"l\"")
            if request.hit == 1 { response.contentLengthOverride = bytes.count + 5000 }
            return response
        }
        let request = DownloadRequest(url: server.url("/liar"), destination: directory.file("liar.bin"), sha256: sha256(bytes))
        try fetch(request)
        XCTAssertEqual(read(request.destination), bytes)
    }

    func testTooShortContentLengthWithKnownSizeResumesTheRest() throws {
        let bytes = payload(30_000)
        server.route("/short") { request in
            var response = LoopbackHTTPServer.Response.content(bytes, for: request, etag: "\"q\"")
            if request.hit == 1 { response.contentLengthOverride = 20_000 }
            return response
        }
        let request = DownloadRequest(url: server.url("/short"), destination: directory.file("short.bin"),
                                      expectedSize: 30_000, sha256: sha256(bytes))
        try fetch(request)
        XCTAssertEqual(read(request.destination), bytes)
        XCTAssertEqual(server.requests(for: "/short")[1].header("Range"), "bytes=20000-")
    }

    // MARK: Redirects

    func testFollowsRedirectChain() throws {
        let bytes = payload(7000)
        server.route("/r1") { _ in .redirect("/r2", status: 301) }
        server.route("/r2") { _ in .redirect("/r3", status: 307) }
        server.route("/r3") { _ in .redirect("/final.bin") }
        server.serve("/final.bin", bytes: bytes)
        let request = DownloadRequest(url: server.url("/r1"), destination: directory.file("r.bin"), md5: md5(bytes))
        try fetch(request)
        XCTAssertEqual(read(request.destination), bytes)
    }

    func testRedirectLoopFails() {
        server.route("/loop") { _ in .redirect("/loop") }
        let request = DownloadRequest(url: server.url("/loop"), destination: directory.file("loop.bin"))
        let error = fetchError(request)
        XCTAssertTrue(error?.description.contains("too many redirects") == true, "\(String(describing: error))")
        assertNoFinalFile(request)
    }

    // MARK: Errors the user must understand

    func testNotFoundSaysWhatToDo() {
        let request = DownloadRequest(url: server.url("/missing.pth"), destination: directory.file("m.pth"))
        let error = fetchError(request)
        XCTAssertEqual(error?.description,
                       "\(server.url("/missing.pth")): not found (HTTP 404); check the address, or the file may have moved — look for a newer link or use a mirror (MLWB_MIRROR)")
        XCTAssertEqual(server.requests(for: "/missing.pth").count, 1, "a 404 is not retried")
        XCTAssertEqual(directory.contents(), [])
    }

    func testForbiddenSaysWhatToDo() {
        server.route("/private") { _ in .text("no", status: 403) }
        let request = DownloadRequest(url: server.url("/private"), destination: directory.file("p.bin"))
        let error = fetchError(request)
        XCTAssertEqual(error, .forbidden(url: server.url("/private"), status: 403))
        XCTAssertTrue(error!.description.contains("access denied (HTTP 403)"))
        XCTAssertEqual(directory.contents(), [])
    }

    func testHTMLPageByContentTypeIsRejected() {
        server.route("/weights.pth") { _ in .html("<html><head><title>Sign in</title></head><body>login</body></html>") }
        let request = DownloadRequest(url: server.url("/weights.pth"), destination: directory.file("w.pth"))
        let error = fetchError(request)
        XCTAssertEqual(error?.description,
                       "\(server.url("/weights.pth")): got a web page instead of the file (Content-Type text/html; charset=utf-8, titled 'Sign in'); the link may point to a download page rather than the file itself — open it in a browser to find the direct link")
        XCTAssertEqual(directory.contents(), [])
    }

    func testHTMLPageBySniffingIsRejected() {
        server.route("/data.zip") { request in
            .content(Array("\n<!DOCTYPE html>\n<html><title>Error</title>oops</html>".utf8), for: request, type: "application/zip")
        }
        let request = DownloadRequest(url: server.url("/data.zip"), destination: directory.file("data.zip"))
        let error = fetchError(request)
        guard case .htmlInsteadOfFile(_, let detail)? = error else { return XCTFail("\(String(describing: error))") }
        XCTAssertTrue(detail.contains("titled 'Error'"), detail)
        XCTAssertEqual(directory.contents(), [])
    }

    func testHTMLIsAcceptedWhenNotExpectingBinary() throws {
        server.route("/index.html") { _ in .html("<html>hello</html>") }
        let request = DownloadRequest(url: server.url("/index.html"), destination: directory.file("index.html"), expectBinary: false)
        try fetch(request)
        XCTAssertEqual(read(request.destination), Array("<html>hello</html>".utf8))
    }

    func testChecksumMismatchDeletesTheFile() {
        let bytes = payload(9000)
        server.serve("/bad", bytes: bytes)
        let request = DownloadRequest(url: server.url("/bad"), destination: directory.file("bad.bin"),
                                      sha256: String(repeating: "0", count: 64))
        let error = fetchError(request)
        XCTAssertEqual(error, .checksumMismatch(url: server.url("/bad"), algorithm: "sha256",
                                                expected: String(repeating: "0", count: 64), actual: sha256(bytes)))
        XCTAssertTrue(error!.description.contains("the damaged file was deleted"))
        XCTAssertEqual(directory.contents(), [], "neither the final file nor a corrupt .part is kept")
    }

    func testSizeMismatchDeletesTheFile() {
        let bytes = payload(9000)
        server.serve("/size", bytes: bytes)
        let request = DownloadRequest(url: server.url("/size"), destination: directory.file("size.bin"), expectedSize: 8000)
        let error = fetchError(request)
        XCTAssertEqual(error, .sizeMismatch(url: server.url("/size"), expected: 8000, actual: 9000))
        XCTAssertEqual(directory.contents(), [])
    }

    func testDiskFullIsDetectedUpFront() {
        server.route("/huge") { request in
            var response = LoopbackHTTPServer.Response.content(Array(repeating: 1, count: 100), for: request)
            response.contentLengthOverride = Int(Int64(1) << 60)
            return response
        }
        let request = DownloadRequest(url: server.url("/huge"), destination: directory.file("huge.bin"))
        let error = fetchError(request)
        guard case .diskFull(_, let needed, let available)? = error else { return XCTFail("\(String(describing: error))") }
        XCTAssertEqual(needed, Int64(1) << 60)
        XCTAssertNotNil(available)
        XCTAssertTrue(error!.description.contains("not enough disk space (need 1153 PB"), error!.description)
        assertNoFinalFile(request)
    }

    func testMissingDirectoryIsReported() {
        let request = DownloadRequest(url: server.url("/x"), destination: directory.file("no/such/dir/x.bin"))
        let error = fetchError(request)
        XCTAssertTrue(error?.description.contains("does not exist") == true)
    }

    func testInvalidURL() {
        let request = DownloadRequest(url: "ftp://example.com/x", destination: directory.file("x"))
        XCTAssertEqual(fetchError(request), .invalidURL("ftp://example.com/x"))
    }

    // MARK: Control

    func testPauseKeepsPartialAndResumeContinues() throws {
        let bytes = payload(40_000)
        server.route("/slow") { request in
            var response = LoopbackHTTPServer.Response.content(bytes, for: request, etag: "\"p\"")
            if request.hit == 1 { response.trickle = (bytes: 1000, delay: 0.05) }
            return response
        }
        let request = DownloadRequest(url: server.url("/slow"), destination: directory.file("slow.bin"), sha256: sha256(bytes))
        let control = DownloadControl()
        let recorder = EventRecorder()
        recorder.onEvent = { event in
            if case .progress(let p) = event.kind, p.bytesDone >= 5000 { control.pause() }
        }
        XCTAssertThrowsError(try fetch(request, control: control, recorder: recorder)) { error in
            guard case RemoteError.paused(let path, let kept) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(path, request.partialPath)
            XCTAssertGreaterThanOrEqual(kept, 5000)
        }
        XCTAssertEqual(recorder.states.last, .paused)
        XCTAssertTrue(exists(request.partialPath))
        assertNoFinalFile(request)
        let result = try fetch(request)
        XCTAssertGreaterThanOrEqual(result.resumedBytes, 5000)
        XCTAssertEqual(read(request.destination), bytes)
    }

    func testCancelDeletesPartialPromptly() throws {
        let bytes = payload(40_000)
        server.route("/cancel") { request in
            var response = LoopbackHTTPServer.Response.content(bytes, for: request)
            response.trickle = (bytes: 1000, delay: 0.05)
            return response
        }
        let request = DownloadRequest(url: server.url("/cancel"), destination: directory.file("cancel.bin"))
        let control = DownloadControl()
        let recorder = EventRecorder()
        recorder.onEvent = { event in
            if case .progress(let p) = event.kind, p.bytesDone >= 3000 { control.cancel() }
        }
        let start = Date()
        XCTAssertThrowsError(try fetch(request, control: control, recorder: recorder)) { error in
            XCTAssertEqual(error as? RemoteError, .cancelled(url: server.url("/cancel")))
        }
        XCTAssertLessThan(Date().timeIntervalSince(start), 1.5)
        XCTAssertEqual(recorder.states.last, .cancelled)
        XCTAssertEqual(directory.contents(), [])
    }

    func testAsyncFetchReportsProgress() async throws {
        let bytes = payload(100_000)
        server.serve("/async", bytes: bytes)
        let request = DownloadRequest(url: server.url("/async"), destination: directory.file("a.bin"), computeSHA256: true)
        let recorder = EventRecorder()
        let result = try await Downloader.fetch(request, options: fastOptions, events: recorder.handler)
        XCTAssertEqual(result.sha256, sha256(bytes))
        XCTAssertEqual(recorder.progress.last?.bytesTotal, 100_000)
    }
}
