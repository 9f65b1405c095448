import Foundation
import Remote
import TestSupport
import XCTest

/// `mlwb download` end to end: the built binary against the loopback server.
final class DownloadCommandTests: RemoteTestCase {
    func testDownloadVerifiesAndPrintsResult() throws {
        let bytes = payload(250_000)
        server.serve("/files/model.pth", bytes: bytes)
        let result = try ProcessRunner.mlwb(["download", server.url("/files/model.pth"), "--sha256", sha256(bytes)],
                                            directory: directory.path)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "saved model.pth (250 kB, sha256 \(sha256(bytes)))\n")
        XCTAssertTrue(result.stderr.contains("model.pth: done 250 kB / 250 kB"), result.stderr)
        XCTAssertEqual(read(directory.file("model.pth")), bytes)
        XCTAssertEqual(directory.contents(), ["model.pth"])
    }

    func testSyncFlagFlushesAndStillVerifies() throws {
        let bytes = payload(180_000)
        server.serve("/files/synced.bin", bytes: bytes)
        let result = try ProcessRunner.mlwb(["download", server.url("/files/synced.bin"), "--sync", "--md5", md5(bytes)],
                                            directory: directory.path)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "saved synced.bin (180 kB, md5 \(md5(bytes)))\n")
        XCTAssertEqual(read(directory.file("synced.bin")), bytes)
        XCTAssertEqual(directory.contents(), ["synced.bin"])
    }

    func testCtrlCKeepsPartialAndNextRunResumes() throws {
        let bytes = payload(400_000)
        server.route("/slow.bin") { request in
            var response = LoopbackHTTPServer.Response.content(bytes, for: request, etag: "\"c\"")
            if request.hit == 1 { response.trickle = (bytes: 4000, delay: 0.02) }
            return response
        }
        let output = directory.file("slow.bin")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ProcessRunner.mlwbPath)
        process.arguments = ["download", server.url("/slow.bin"), "-o", output]
        let errPipe = Pipe()
        process.standardError = errPipe
        process.standardOutput = Pipe()
        try process.run()
        // Wait (bounded) until some bytes are in the .part, then press Ctrl-C.
        let deadline = Date(timeIntervalSinceNow: 10)
        while Date() < deadline {
            let size = (try? FileManager.default.attributesOfItem(atPath: output + ".part")[.size] as? Int) ?? 0
            if size >= 20_000 { break }
            usleep(10_000)
        }
        process.interrupt()
        let stderr = String(decoding: errPipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 130, stderr)
        XCTAssertTrue(stderr.contains(" kept in \(output).part; run the same command again to resume"), stderr)
        XCTAssertTrue(stderr.hasPrefix("interrupted: ") || stderr.contains("\ninterrupted: "), stderr)
        XCTAssertFalse(exists(output))
        XCTAssertTrue(exists(output + ".part"))

        let again = try ProcessRunner.mlwb(["download", server.url("/slow.bin"), "-o", output])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stdout.contains("resumed"), again.stdout)
        XCTAssertEqual(read(output), bytes)
        XCTAssertNotNil(server.requests(for: "/slow.bin").last?.header("Range"))
    }

    func testErrorsAndUsage() throws {
        let missing = try ProcessRunner.mlwb(["download", server.url("/nothing.bin")], directory: directory.path)
        XCTAssertEqual(missing.status, 1)
        XCTAssertEqual(missing.stderr.split(separator: "\n").last.map(String.init),
                       "mlwb download: error: \(server.url("/nothing.bin")): not found (HTTP 404); check the address, or the file may have moved — look for a newer link or use a mirror (MLWB_MIRROR)")
        XCTAssertEqual(directory.contents(), [])

        let both = try ProcessRunner.mlwb(["download", server.url("/x"), "--sha256", String(repeating: "a", count: 64),
                                           "--md5", String(repeating: "b", count: 32)])
        XCTAssertEqual(both.status, 2)
        XCTAssertTrue(both.stderr.contains("give --sha256 or --md5, not both"), both.stderr)

        let badHex = try ProcessRunner.mlwb(["download", server.url("/x"), "--sha256", "abc"])
        XCTAssertEqual(badHex.status, 2)
        XCTAssertTrue(badHex.stderr.contains("--sha256 expects 64 hexadecimal digits"), badHex.stderr)
    }

    func testOfflineWithMirrorDirectory() throws {
        let mirror = try TemporaryDirectory(prefix: "mlwb-mirror")
        defer { mirror.remove() }
        _ = FileManager.default.createFile(atPath: mirror.file("w.bin"), contents: Data([9, 8, 7]))
        let result = try ProcessRunner.mlwb(["download", "https://example.invalid/w.bin"], environment: [
            "MLWB_OFFLINE": "1", "MLWB_MIRROR": mirror.path,
        ], directory: directory.path)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(read(directory.file("w.bin")), [9, 8, 7])
    }

    // MARK: Names taken from the URL

    func testControlCharactersAndSeparatorsInTheURLNameNeverTouchOtherFiles() throws {
        // `notes%00.pdf` once cut the name to `notes` and deleted the user's file of that name.
        let bytes = payload(3000)
        server.route("/", prefix: true) { request in .content(bytes, for: request, etag: "\"n\"") }
        try "keep me\n".write(toFile: directory.file("notes"), atomically: true, encoding: .utf8)
        let result = try ProcessRunner.mlwb(["download", server.url("/notes%00.pdf")], directory: directory.path)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(try String(contentsOfFile: directory.file("notes"), encoding: .utf8), "keep me\n")
        XCTAssertEqual(directory.contents(), ["notes", "notes_.pdf"])
        XCTAssertEqual(read(directory.file("notes_.pdf")), bytes)

        for (path, name) in [("/a/..%2F..%2Fescape.bin", "_._.._escape.bin"), ("/b/%2e%2e", nil), ("/c/line%0Abreak.txt", "line_break.txt")] {
            let run = try ProcessRunner.mlwb(["download", server.url(path)], directory: directory.path)
            if let name {
                XCTAssertEqual(run.status, 0, "\(path): \(run.stderr)")
                XCTAssertTrue(exists(directory.file(name)), "\(path) → \(directory.contents())")
            } else {
                XCTAssertEqual(run.status, 2, "\(path): \(run.stderr)")
                XCTAssertTrue(run.stderr.contains("give -o PATH"), run.stderr)
            }
        }
        XCTAssertFalse(exists(directory.path + "/../escape.bin"))
    }
}
