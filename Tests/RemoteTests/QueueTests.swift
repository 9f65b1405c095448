import Foundation
import Remote
import TestSupport
import XCTest

/// A gate the server's handlers wait on, opened by the test (no fixed sleeps).
final class Gate: @unchecked Sendable {
    private let condition = NSCondition()
    private var open = false
    private(set) var waiting = 0
    private(set) var maxWaiting = 0

    func pass(timeout: Double = 10) {
        condition.lock()
        waiting += 1
        maxWaiting = max(maxWaiting, waiting)
        condition.broadcast()
        let deadline = Date(timeIntervalSinceNow: timeout)
        while !open, condition.wait(until: deadline) {}
        waiting -= 1
        condition.unlock()
    }

    /// Waits until `count` handlers are blocked at the gate.
    func waitFor(_ count: Int, timeout: Double = 10) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        let deadline = Date(timeIntervalSinceNow: timeout)
        while waiting < count { if !condition.wait(until: deadline) { return false } }
        return true
    }

    func release() {
        condition.lock()
        open = true
        condition.broadcast()
        condition.unlock()
    }
}

/// The download queue: concurrency, priorities, pause/resume/cancel, events, locks.
final class QueueTests: RemoteTestCase {
    func testConcurrencyLimitAndQueueEvents() async throws {
        let gate = Gate()
        let bytes = payload(5000)
        server.route("/q/", prefix: true) { request in
            gate.pass()
            return .content(bytes, for: request)
        }
        let queue = DownloadQueue(concurrency: 2, options: fastOptions)
        let handles = (0..<5).map { i in
            queue.enqueue(DownloadRequest(url: server.url("/q/\(i)"), destination: directory.file("q\(i).bin")))
        }
        XCTAssertTrue(gate.waitFor(2))
        XCTAssertEqual(handles.filter { queue.state(of: $0.id) == .queued }.count, 3)
        gate.release()
        for handle in handles {
            let result = try await handle.result()
            XCTAssertEqual(read(result.path), bytes)
        }
        XCTAssertEqual(gate.maxWaiting, 2, "never more than 2 transfers at once")
        // Per-download stream: ends with done.
        var last: DownloadState?
        for await event in handles[0].events { if case .state(let s) = event.kind { last = s } }
        XCTAssertEqual(last, .done(path: directory.file("q0.bin")))
    }

    func testHigherPriorityStartsFirst() async throws {
        let gate = Gate()
        server.route("/blocker") { request in
            gate.pass()
            return .content([1], for: request)
        }
        server.route("/p/", prefix: true) { request in .content([2], for: request) }
        let queue = DownloadQueue(concurrency: 1, options: fastOptions)
        let blocker = queue.enqueue(DownloadRequest(url: server.url("/blocker"), destination: directory.file("b")))
        XCTAssertTrue(gate.waitFor(1))
        let low = queue.enqueue(DownloadRequest(url: server.url("/p/low"), destination: directory.file("low"), priority: .low))
        let normal = queue.enqueue(DownloadRequest(url: server.url("/p/normal"), destination: directory.file("normal")))
        let high = queue.enqueue(DownloadRequest(url: server.url("/p/high"), destination: directory.file("high"), priority: .high))
        gate.release()
        for handle in [blocker, low, normal, high] { _ = try await handle.result() }
        // (Each download ends with a request for the bytes after its end: the length check.)
        XCTAssertEqual(server.requests.filter { $0.header("Range") == nil }.map(\.path), ["/blocker", "/p/high", "/p/normal", "/p/low"])
    }

    func testPauseResumeAndCancel() async throws {
        let bytes = payload(60_000)
        server.route("/slow/", prefix: true) { request in
            var response = LoopbackHTTPServer.Response.content(bytes, for: request, etag: "\"e\"")
            response.trickle = (bytes: 2000, delay: 0.03)
            return response
        }
        let queue = DownloadQueue(options: fastOptions)
        let a = queue.enqueue(DownloadRequest(url: server.url("/slow/a"), destination: directory.file("a.bin"), sha256: sha256(bytes)))
        let b = queue.enqueue(DownloadRequest(url: server.url("/slow/b"), destination: directory.file("b.bin")))

        // Pause a once bytes flow, then resume it.
        var sawPaused = false
        for await event in a.events {
            switch event.kind {
            case .progress(let p) where p.bytesDone >= 6000 && !sawPaused:
                a.pause()
            case .state(let state):
                guard state == .paused else { break }
                sawPaused = true
                let kept = (try? FileManager.default.attributesOfItem(atPath: directory.file("a.bin.part"))[.size] as? Int) ?? 0
                XCTAssertGreaterThanOrEqual(kept, 6000)
                XCTAssertEqual(queue.state(of: a.id), .paused)
                a.resume()
            default:
                break
            }
        }
        XCTAssertTrue(sawPaused)
        let result = try await a.result()
        XCTAssertEqual(read(result.path), bytes)
        XCTAssertGreaterThan(result.resumedBytes, 0)
        XCTAssertNotNil(server.requests(for: "/slow/a").last?.header("Range"))

        // Cancel b: its .part goes away and its result says cancelled.
        b.cancel()
        do {
            _ = try await b.result()
            XCTFail("expected cancellation")
        } catch let error as RemoteError {
            XCTAssertEqual(error, .cancelled(url: server.url("/slow/b")))
        }
        XCTAssertEqual(queue.state(of: b.id), .cancelled)
        XCTAssertFalse(exists(directory.file("b.bin.part")))
        XCTAssertFalse(exists(directory.file("b.bin")))
    }

    func testPausedWhileQueuedThenCancelled() async throws {
        let gate = Gate()
        server.route("/hold") { request in
            gate.pass()
            return .content([1, 2, 3], for: request)
        }
        let queue = DownloadQueue(concurrency: 1, options: fastOptions)
        let first = queue.enqueue(DownloadRequest(url: server.url("/hold"), destination: directory.file("h")))
        XCTAssertTrue(gate.waitFor(1))
        let second = queue.enqueue(DownloadRequest(url: server.url("/never"), destination: directory.file("n")))
        second.pause()
        XCTAssertEqual(queue.state(of: second.id), .paused)
        gate.release()
        _ = try await first.result()
        XCTAssertEqual(queue.state(of: second.id), .paused, "a paused download does not start")
        second.cancel()
        await XCTAssertThrowsErrorAsync(try await second.result())
        XCTAssertTrue(server.requests(for: "/never").isEmpty)
    }

    // MARK: Lock files

    func testLockHeldByAnotherDownloadIsBusy() throws {
        server.serve("/l", bytes: [1, 2, 3])
        let request = DownloadRequest(url: server.url("/l"), destination: directory.file("l.bin"))
        let held = try FileLock.acquire(request.lockPath)
        let error = fetchError(request)
        guard case .busy(let path, let owner)? = error else { return XCTFail("\(String(describing: error))") }
        XCTAssertEqual(path, request.destination)
        XCTAssertEqual(owner, "another download in this mlwb process")
        XCTAssertTrue(error!.description.contains("delete \(request.destination).part.lock if that process is gone"))
        held.release()
        try fetch(request)
        XCTAssertFalse(exists(request.lockPath))
    }

    func testStaleLockFromDeadProcessIsTakenOver() throws {
        server.serve("/s", bytes: [4, 5, 6])
        let request = DownloadRequest(url: server.url("/s"), destination: directory.file("s.bin"))
        var name = [CChar](repeating: 0, count: 256)
        gethostname(&name, 255)
        let host = name.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        try "999999 \(host)\n".write(toFile: request.lockPath, atomically: true, encoding: .utf8)
        try fetch(request)
        XCTAssertEqual(read(request.destination), [4, 5, 6])
        XCTAssertFalse(exists(request.lockPath))
    }

    func testLockHeldByAnotherProcessIsBusy() throws {
        // A real second process holds the flock: `flock FILE sleep` from util-linux, if present.
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/flock") else { throw XCTSkip("flock(1) not installed") }
        let request = DownloadRequest(url: server.url("/z"), destination: directory.file("z.bin"))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/flock")
        process.arguments = [request.lockPath, "sh", "-c", "echo locked; exec cat >/dev/null"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        defer {
            try? input.fileHandleForWriting.close()  // cat ends, flock releases and exits
            process.waitUntilExit()
        }
        // The child prints "locked" once it holds the lock.
        let line = output.fileHandleForReading.availableData
        XCTAssertEqual(String(decoding: line, as: UTF8.self), "locked\n")
        guard case .busy? = fetchError(request) else { return XCTFail("expected busy") }
    }
}

func XCTAssertThrowsErrorAsync<T>(_ expression: @autoclosure () async throws -> T, file: StaticString = #filePath, line: UInt = #line) async {
    do {
        _ = try await expression()
        XCTFail("expected an error", file: file, line: line)
    } catch {}
}
