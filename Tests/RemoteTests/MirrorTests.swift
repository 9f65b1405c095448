import Foundation
import Remote
import TestSupport
import XCTest

/// `MLWB_MIRROR` (directory or base URL) and `MLWB_OFFLINE`.
final class MirrorTests: RemoteTestCase {
    func testOptionsFromEnvironment() {
        let options = DownloadOptions.from(environment: ["MLWB_MIRROR": "/srv/mirror", "MLWB_OFFLINE": "1"])
        XCTAssertEqual(options.mirror, "/srv/mirror")
        XCTAssertTrue(options.offline)
        XCTAssertFalse(DownloadOptions.from(environment: [:]).offline)
    }

    func testMirrorDirectoryIsUsedFirst() throws {
        let bytes = payload(12_345)
        let mirror = try TemporaryDirectory(prefix: "mlwb-mirror")
        defer { mirror.remove() }
        _ = FileManager.default.createFile(atPath: mirror.file("model.pth"), contents: Data(bytes))
        server.serve("/weights/model.pth", bytes: payload(10, seed: 9))
        var options = fastOptions
        options.mirror = mirror.path
        let request = DownloadRequest(url: server.url("/weights/model.pth"), destination: directory.file("model.pth"), sha256: sha256(bytes))
        let result = try fetch(request, options: options)
        XCTAssertEqual(result.source, mirror.file("model.pth"))
        XCTAssertEqual(read(request.destination), bytes)
        XCTAssertTrue(server.requests.isEmpty, "the origin is not contacted")
    }

    func testBadMirrorCopyFallsBackToOrigin() throws {
        let bytes = payload(2000)
        let mirror = try TemporaryDirectory(prefix: "mlwb-mirror")
        defer { mirror.remove() }
        _ = FileManager.default.createFile(atPath: mirror.file("m.bin"), contents: Data(payload(2000, seed: 5)))
        server.serve("/m.bin", bytes: bytes)
        var options = fastOptions
        options.mirror = mirror.path
        let request = DownloadRequest(url: server.url("/m.bin"), destination: directory.file("m.bin"), sha256: sha256(bytes))
        let recorder = EventRecorder()
        try fetch(request, options: options, recorder: recorder)
        XCTAssertEqual(read(request.destination), bytes)
        XCTAssertTrue(recorder.messages.contains { $0.hasPrefix("mirror \(mirror.file("m.bin")) failed") }, "\(recorder.messages)")
    }

    func testMirrorURLThenOrigin() throws {
        let bytes = payload(3000)
        server.serve("/mirror/data.tar.gz", bytes: bytes)
        server.serve("/origin/data.tar.gz", bytes: payload(3000, seed: 7))
        var options = fastOptions
        options.mirror = server.url("/mirror/")
        let request = DownloadRequest(url: server.url("/origin/data.tar.gz"), destination: directory.file("d.tgz"))
        let result = try fetch(request, options: options)
        XCTAssertEqual(result.source, server.url("/mirror/data.tar.gz"))
        XCTAssertEqual(read(request.destination), bytes)

        // A mirror without the file (404) falls back to the origin.
        let other = DownloadRequest(url: server.url("/origin/other.bin"), destination: directory.file("o.bin"))
        server.serve("/origin/other.bin", bytes: bytes)
        XCTAssertEqual(try fetch(other, options: options).source, server.url("/origin/other.bin"))
    }

    func testOfflineUsesOnlyMirrors() throws {
        var options = fastOptions
        options.offline = true
        let request = DownloadRequest(url: server.url("/a.bin"), destination: directory.file("a.bin"))
        XCTAssertEqual(fetchError(request, options: options)?.description,
                       "\(server.url("/a.bin")): MLWB_OFFLINE=1 and the file is not available locally (no mirror is set (MLWB_MIRROR)); put the file in a mirror directory, or unset MLWB_OFFLINE")
        let mirror = try TemporaryDirectory(prefix: "mlwb-mirror")
        defer { mirror.remove() }
        options.mirror = mirror.path
        let error = fetchError(request, options: options)
        XCTAssertEqual(error, .offline(url: server.url("/a.bin"), searched: [mirror.file("a.bin")]))
        _ = FileManager.default.createFile(atPath: mirror.file("a.bin"), contents: Data([1, 2, 3]))
        XCTAssertEqual(try fetch(request, options: options).size, 3)
        XCTAssertTrue(server.requests.isEmpty)
    }

    func testFileURLIsCopied() throws {
        let source = directory.file("src.bin")
        _ = FileManager.default.createFile(atPath: source, contents: Data(payload(4096)))
        let request = DownloadRequest(url: "file://" + source, destination: directory.file("copy.bin"), md5: md5(payload(4096)))
        try fetch(request)
        XCTAssertEqual(read(request.destination), payload(4096))
    }
}
