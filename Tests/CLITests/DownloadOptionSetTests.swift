import Foundation
import Media
import TestSupport
import XCTest

/// `--retries`, `--timeout` and `--quiet`, shared by every downloading command, through the built binary
/// against the loopback server.
final class DownloadOptionSetTests: XCTestCase {
    private var server: LoopbackHTTPServer!
    private var directory: TemporaryDirectory!

    override func setUpWithError() throws {
        server = try LoopbackHTTPServer()
        directory = try TemporaryDirectory(prefix: "mlwb-cli-download")
    }

    override func tearDown() {
        server.stop()
        directory.remove()
    }

    /// Runs `mlwb download URL -o DIR/out.bin ARGS`; returns the result and the seconds it took.
    private func download(_ path: String, _ arguments: [String]) throws -> (result: ProcessRunner.Result, seconds: Double) {
        let start = MonotonicClock.seconds()
        let result = try ProcessRunner.mlwb(["download", server.url(path), "-o", directory.file("out.bin")] + arguments)
        return (result, MonotonicClock.seconds() - start)
    }

    func testRetriesZeroGivesUpAtTheFirstDroppedConnection() throws {
        // Headers promise 64 kB, then the connection closes before a byte of the body.
        server.route("/drop") { _ in LoopbackHTTPServer.Response(body: .bytes([UInt8](repeating: 7, count: 65_536)), dropAfter: 0) }
        let (r, seconds) = try download("/drop", ["--retries", "0"])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("download failed after 1 attempt"), r.stderr)
        XCTAssertFalse(r.stderr.contains("retrying"), r.stderr)
        XCTAssertEqual(server.requests(for: "/drop").count, 1, "no retry")
        XCTAssertLessThan(seconds, 5, "without retries there is no backoff (the default tries 6 times over ~25 s)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.file("out.bin")))
    }

    func testRetriesCountTheAttemptsAfterTheFirst() throws {
        server.route("/drop") { _ in LoopbackHTTPServer.Response(body: .bytes([UInt8](repeating: 7, count: 65_536)), dropAfter: 0) }
        let (r, _) = try download("/drop", ["--retries", "2"])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertEqual(server.requests(for: "/drop").count, 3, "the first attempt and 2 retries: \(r.stderr)")
        XCTAssertTrue(r.stderr.contains("(attempt 3 of 3)"), r.stderr)
    }

    func testTimeoutAbandonsAServerThatStalls() throws {
        // 1 kB of a 64 kB body, then silence for far longer than the test waits.
        server.route("/stall") { _ in
            LoopbackHTTPServer.Response(body: .bytes([UInt8](repeating: 1, count: 65_536)), stallAfter: 1_024, stallSeconds: 120)
        }
        let (r, seconds) = try download("/stall", ["--timeout", "1", "--retries", "0"])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("no data for 1 s"), r.stderr)
        XCTAssertLessThan(seconds, 10, "abandoned after about a second of silence, not the default 60 s")
        XCTAssertTrue(FileManager.default.fileExists(atPath: directory.file("out.bin.part")), "the bytes received are kept for a resume")
    }

    func testQuietPrintsNoProgressNotesOrBars() throws {
        // The first request fails with 503, so a normal run prints a retry note as well as its progress lines.
        let body = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        for path in ["/loud.bin", "/quiet.bin"] {
            server.route(path) { request in request.hit == 1 ? .text("busy\n", status: 503) : .content(body, for: request) }
        }
        let loud = try download("/loud.bin", []).result
        XCTAssertEqual(loud.status, 0, loud.stderr)
        XCTAssertTrue(loud.stderr.contains("retrying in"), loud.stderr)
        XCTAssertTrue(loud.stderr.contains("out.bin: done"), loud.stderr)
        try FileManager.default.removeItem(atPath: directory.file("out.bin"))

        let quiet = try download("/quiet.bin", ["--quiet"]).result
        XCTAssertEqual(quiet.status, 0, quiet.stderr)
        XCTAssertEqual(quiet.stderr, "", "nothing but errors on standard error")
        XCTAssertEqual(quiet.stdout.split(separator: "\n").count, 1, quiet.stdout)
        XCTAssertTrue(quiet.stdout.hasPrefix("saved \(directory.file("out.bin")) ("), quiet.stdout)
        XCTAssertEqual(server.requests(for: "/quiet.bin").count, server.requests(for: "/loud.bin").count,
                       "the quiet run went through the same retry, silently")
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: directory.file("out.bin"))), Data(body))
    }

    func testEveryDownloadingCommandTakesTheOptionsAndRejectsBadValues() throws {
        for command in [["download", server.url("/x.bin")], ["checkpoints", "get", "swift_f0"], ["checkpoints", "download", "swift_f0"],
                        ["datasets", "get", "mir-1k"], ["datasets", "download", "mir-1k"]] {
            let help = try ProcessRunner.mlwb(command + ["--help"])
            for option in ["--retries N", "--timeout SECONDS", "-q, --quiet"] {
                XCTAssertTrue(help.stdout.contains(option), "\(command): \(option)")
            }
            XCTAssertTrue(help.stdout.contains("(0–100; default: 5)"), "retries after the first attempt: \(help.stdout)")
            for bad in [["--retries", "-1"], ["--retries", "101"], ["--timeout", "-5"], ["--timeout", "0"], ["--timeout", "soon"]] {
                let r = try ProcessRunner.mlwb(command + bad, environment: ["MLWB_HOME": directory.path])
                XCTAssertEqual(r.status, 2, "\(command) \(bad): \(r.stderr)")
                XCTAssertTrue(r.stderr.contains(bad[0] + " "), r.stderr)
            }
        }
        XCTAssertTrue(server.requests.isEmpty, "a bad value is found before any transfer")
    }
}
