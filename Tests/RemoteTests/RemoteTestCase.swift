import Foundation
import Remote
import TestSupport
import XCTest

/// Shared set-up for Remote tests: a loopback server, a temporary directory, fast retry options
/// and an event recorder.
class RemoteTestCase: XCTestCase {
    var server: LoopbackHTTPServer!
    var directory: TemporaryDirectory!

    override func setUpWithError() throws {
        server = try LoopbackHTTPServer()
        directory = try TemporaryDirectory(prefix: "mlwb-remote")
    }

    override func tearDown() {
        server?.stop()
        directory?.remove()
    }

    /// Options for tests: quick retries, a 1 s stall timeout, no mirror, online.
    var fastOptions: DownloadOptions {
        DownloadOptions(retry: RetryPolicy(maxAttempts: 4, baseDelay: 0.01, maxDelay: 0.05, maxRetryAfter: 5),
                        connectTimeout: 2, stallTimeout: 1, driveBaseURL: server.baseURL, progressInterval: 0.02,
                        diskReserve: 0)
    }

    /// Deterministic pseudo-random bytes.
    func payload(_ count: Int, seed: UInt64 = 42) -> [UInt8] {
        var state = seed &* 6364136223846793005 &+ 1442695040888963407
        var out = [UInt8](repeating: 0, count: count)
        for i in 0..<count {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            out[i] = UInt8(truncatingIfNeeded: state >> 33)
        }
        return out
    }

    func sha256(_ bytes: [UInt8]) -> String {
        let digest = StreamingDigest(.sha256)
        digest.update(bytes)
        return digest.hex()
    }

    func md5(_ bytes: [UInt8]) -> String {
        let digest = StreamingDigest(.md5)
        digest.update(bytes)
        return digest.hex()
    }

    func read(_ path: String) -> [UInt8]? {
        FileManager.default.contents(atPath: path).map { Array($0) }
    }

    func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

    /// Runs a download, recording its events.
    @discardableResult
    func fetch(_ request: DownloadRequest, options: DownloadOptions? = nil, control: DownloadControl = DownloadControl(),
               recorder: EventRecorder = EventRecorder()) throws -> DownloadResult {
        try Downloader.fetchBlocking(request, options: options ?? fastOptions, control: control, events: recorder.handler)
    }

    /// Runs a download that must fail; returns the error.
    func fetchError(_ request: DownloadRequest, options: DownloadOptions? = nil, recorder: EventRecorder = EventRecorder(),
                    file: StaticString = #filePath, line: UInt = #line) -> RemoteError? {
        do {
            let result = try fetch(request, options: options, recorder: recorder)
            XCTFail("expected an error, got \(result)", file: file, line: line)
            return nil
        } catch let error as RemoteError {
            return error
        } catch {
            XCTFail("unexpected error type \(error)", file: file, line: line)
            return nil
        }
    }

    /// Asserts that nothing is under the final name.
    func assertNoFinalFile(_ request: DownloadRequest, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertFalse(exists(request.destination), "a file was left under the final name", file: file, line: line)
        XCTAssertFalse(exists(request.lockPath), "the lock file was left behind", file: file, line: line)
    }
}

/// Collects events from any thread.
final class EventRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [DownloadEvent] = []
    /// Called for each event after it is stored.
    var onEvent: (@Sendable (DownloadEvent) -> Void)?

    var handler: DownloadEventHandler {
        { [self] event in
            lock.lock()
            stored.append(event)
            let callback = onEvent
            lock.unlock()
            callback?(event)
        }
    }

    var events: [DownloadEvent] {
        lock.lock(); defer { lock.unlock() }
        return stored
    }

    var states: [DownloadState] {
        events.compactMap { if case .state(let s) = $0.kind { return s } else { return nil } }
    }

    var messages: [String] {
        events.compactMap { if case .message(let m) = $0.kind { return m } else { return nil } }
    }

    var progress: [DownloadProgress] {
        events.compactMap { if case .progress(let p) = $0.kind { return p } else { return nil } }
    }
}
