import Audio
import Foundation
import Media
import Remote
import TestSupport
import XCTest

/// Nested subcommands and the one checkpoint download path, through the built binary.
final class SubcommandTests: XCTestCase {
    func testAnOptionOfAnotherSubcommandIsAUsageError() throws {
        let r = try ProcessRunner.mlwb(["datasets", "list", "--force", "--quick", "--rule", "nope", "--files"])
        XCTAssertEqual(r.status, 2, r.stderr)
        XCTAssertTrue(r.stderr.contains("unknown option '--force' for 'datasets list' (it is an option of 'datasets get')"), r.stderr)
        XCTAssertTrue(r.stderr.contains("Usage: mlwb datasets list"), r.stderr)
    }

    func testUnknownSubcommandsAndIDsSuggestTheRightWord() throws {
        let sub = try ProcessRunner.mlwb(["checkpoints", "lsit"])
        XCTAssertEqual(sub.status, 2)
        XCTAssertTrue(sub.stderr.contains("(did you mean list?)"), sub.stderr)
        let id = try ProcessRunner.mlwb(["checkpoints", "get", "mobilenet_v3"])
        XCTAssertEqual(id.status, 2, "an unknown id is a usage mistake")
        XCTAssertTrue(id.stderr.contains("did you mean mobilenet_v2?"), id.stderr)
        let top = try ProcessRunner.mlwb(["transcrbe"])
        XCTAssertEqual(top.status, 2)
        XCTAssertTrue(top.stderr.contains("did you mean transcribe?"), top.stderr)
    }

    func testAURLMlwbCannotFetchIsAUsageErrorBeforeAnyTransfer() throws {
        let dir = try TemporaryDirectory(prefix: "mlwb-cli-url")
        defer { dir.remove() }
        for url in ["ftp://example.com/y.bin", "gopher://x/y", "https:///nohost"] {
            let r = try ProcessRunner.mlwb(["download", url], directory: dir.path)
            XCTAssertEqual(r.status, 2, "\(url): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains("is not a URL mlwb can download (use http://, https://, file://"), r.stderr)
            XCTAssertFalse(r.stderr.contains("failed"), "no transfer was started: \(r.stderr)")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), [], "nothing written")
    }

    func testModelOptionsCarryTheModelsRanges() throws {
        // Checked before any file or checkpoint is touched: a usage error, whatever else is missing.
        let r = try ProcessRunner.mlwb(["transcribe", "/nonexistent.wav", "-o", "/tmp/x.mid", "--onset-threshold", "0.001"])
        XCTAssertEqual(r.status, 2, r.stderr)
        XCTAssertTrue(r.stderr.contains("--onset-threshold must be in 0.01…0.99, got 0.001"), r.stderr)
        let pitch = try ProcessRunner.mlwb(["pitch", "/nonexistent.wav", "-o", "/tmp/x.csv", "--fmin", "900", "--fmax", "300"])
        XCTAssertEqual(pitch.status, 2, pitch.stderr)
        XCTAssertTrue(pitch.stderr.contains("must not exceed fmax"), pitch.stderr)
    }

    func testOutputsAreCheckedBeforeAnyWork() throws {
        // No checkpoint is needed to find out that the output cannot be written: the error comes first.
        let home = try TemporaryDirectory(prefix: "mlwb-cli-home")
        defer { home.remove() }
        let r = try ProcessRunner.mlwb(["dream", "--start", "noise", "-o", "/nonexistent/dir/x.png"], environment: ["MLWB_HOME": home.path])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("directory /nonexistent/dir does not exist"), r.stderr)
        XCTAssertFalse(r.stderr.contains("checkpoint"), "the output was checked before the model was loaded: \(r.stderr)")
    }

    func testCheckpointsGetHonoursTheMirrorAndOfflineMode() throws {
        let weights = try SharedData.require("weights/swift-f0-0.3.0.onnx")
        let home = try TemporaryDirectory(prefix: "mlwb-cli-home")
        defer { home.remove() }
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        try server.serve("/mirror/swift-f0-0.3.0.onnx", file: weights)
        let environment = ["MLWB_HOME": home.path, "MLWB_ASSETS": SharedData.packageRoot + "/assets"]

        // Offline without a mirror: a clear failure, nothing fetched.
        let offline = try ProcessRunner.mlwb(["checkpoints", "get", "swift_f0", "--quiet"], environment: environment.merging(["MLWB_OFFLINE": "1"]) { $1 })
        XCTAssertEqual(offline.status, 1, offline.stderr)
        XCTAssertTrue(offline.stderr.contains("MLWB_OFFLINE=1 and the file is not available locally"), offline.stderr)
        XCTAssertTrue(server.requests.isEmpty)

        // Offline with the mirror: downloaded from it, verified, no stray files.
        let mirrored = environment.merging(["MLWB_OFFLINE": "1", "MLWB_MIRROR": server.url("/mirror")]) { $1 }
        let get = try ProcessRunner.mlwb(["checkpoints", "get", "swift_f0"], environment: mirrored)
        XCTAssertEqual(get.status, 0, get.stderr)
        XCTAssertTrue(get.stdout.contains("swift_f0: downloaded and verified"), get.stdout)
        XCTAssertEqual(server.requests(for: "/mirror/swift-f0-0.3.0.onnx").count, 1)
        let files = try FileManager.default.contentsOfDirectory(atPath: home.file("checkpoints")).filter { !$0.hasPrefix(".") }
        XCTAssertEqual(files, ["swift-f0-0.3.0.onnx"], "no .part or .part.part left")
        let list = try ProcessRunner.mlwb(["checkpoints"], environment: environment)
        let row = try XCTUnwrap(list.stdout.split(separator: "\n").first { $0.hasPrefix("swift_f0") })
        XCTAssertTrue(row.contains("verified"), String(row))
        XCTAssertTrue(row.contains(HumanReadable.bytes(Int64(try Data(contentsOf: URL(fileURLWithPath: weights)).count))), String(row))
        // A second get finds it in place.
        let again = try ProcessRunner.mlwb(["checkpoints", "get", "swift_f0"], environment: mirrored)
        XCTAssertTrue(again.stdout.contains("already in the store"), again.stdout)
        XCTAssertEqual(server.requests(for: "/mirror/swift-f0-0.3.0.onnx").count, 1)
    }
}

/// `mlwb beats`, `mlwb tempo` and `mlwb eval-beats` through the binary, with BeatNet's weights from ../shared.
final class BeatsCommandTests: XCTestCase {
    func testBeatsWritesTablesAClickTrackAndAPicture() throws {
        let home = try TemporaryDirectory(prefix: "mlwb-cli-beats")
        defer { home.remove() }
        let environment = ["MLWB_HOME": home.path, "MLWB_ASSETS": SharedData.packageRoot + "/assets", "COLORTERM": "truecolor"]
        let piece = try SharedData.require("mir/beats/beats_waltz_3-4_150.wav")
        let missing = try ProcessRunner.mlwb(["beats", piece, "-o", home.file("x.txt")], environment: environment)
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("mlwb checkpoints get beatnet_1"), missing.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: home.file("x.txt")))
        for n in 1...3 {
            let r = try ProcessRunner.mlwb(["checkpoints", "import", try SharedData.require("weights/beatnet-model\(n)-weights.pt")], environment: environment)
            XCTAssertEqual(r.status, 0, r.stderr)
        }
        let r = try ProcessRunner.mlwb(["beats", piece, "-o", home.file("w.txt"), "--csv", home.file("w.csv"), "--click", home.file("w.wav"),
                                        "--show", "--size", "60x10"], environment: environment)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("bars of 3"), r.stdout)
        XCTAssertTrue(r.stdout.contains("▀") || r.stdout.contains("▄"), "a picture was drawn")
        let eval = try ProcessRunner.mlwb(["eval-beats", try SharedData.require("mir/beats/beats_waltz_3-4_150.beats.txt"), home.file("w.txt"),
                                           "--min-beat-time", "0"], environment: environment)
        XCTAssertEqual(eval.status, 0, eval.stderr)
        let f = try XCTUnwrap(eval.stdout.split(separator: "\n").first { $0.hasPrefix("F-measure") }?.split(separator: " ").last.flatMap { Double($0) })
        XCTAssertGreaterThan(f, 0.95)
        XCTAssertTrue(eval.stdout.contains("Downbeat F-measure"))
        let click = try AudioFile.load(home.file("w.wav"))
        XCTAssertGreaterThan(click.duration, 26)
        XCTAssertTrue(try String(contentsOfFile: home.file("w.csv"), encoding: .utf8).hasPrefix("time_s,beat_in_bar,bar\n"))
        let tempo = try ProcessRunner.mlwb(["tempo", piece], environment: environment)
        XCTAssertTrue(tempo.stdout.hasPrefix("150.0 BPM"), tempo.stdout)
        let usage = try ProcessRunner.mlwb(["beats", piece, "-o", home.file("y.txt"), "--min-bpm", "200", "--max-bpm", "100"], environment: environment)
        XCTAssertEqual(usage.status, 2, usage.stderr)
    }
}
