import Foundation
import Glibc
import TestSupport
import XCTest

/// A batch run stopped mid-way (Ctrl-C, or killed outright) leaves a manifest that parses and describes
/// exactly the outputs on disk, and the rerun does exactly the rest. Uses `mlwb transcribe` with Basic
/// Pitch's weights and the real pieces of ../shared/audio and ../shared/mir (16 files, ~4 s in all).
final class BatchInterruptTests: XCTestCase {
    var directory: TemporaryDirectory!
    var environment: [String: String] = [:]

    override func setUpWithError() throws {
        let weights = try SharedData.require("weights/basic-pitch-icassp2022-nmp.onnx")
        _ = try SharedData.require("mir/beats")
        directory = try TemporaryDirectory(prefix: "mlwb-batch-interrupt")
        environment = ["MLWB_HOME": directory.file("home"), "MLWB_ASSETS": SharedData.packageRoot + "/assets"]
        let r = try ProcessRunner.mlwb(["checkpoints", "import", weights], environment: environment)
        XCTAssertEqual(r.status, 0, r.stderr)
    }
    override func tearDown() { directory?.remove() }

    var inputs: [String] { [SharedData.root + "/audio", SharedData.root + "/mir"] }

    func testCtrlCStopsAfterTheCurrentItemWithAConsistentManifest() throws {
        try interrupt(with: SIGINT, expecting: 130)
    }

    func testAKillLeavesAConsistentManifest() throws {
        try interrupt(with: SIGKILL, expecting: nil)
    }

    /// Starts the run, sends `signal` once the manifest records an item, checks the folder, then reruns.
    func interrupt(with signal: Int32, expecting status: Int32?) throws {
        let out = directory.file("out")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try ProcessRunner.requireMLWB())
        process.arguments = ["transcribe"] + inputs + ["--out", out]
        process.environment = environment.merging(["PATH": "/usr/bin:/bin", "HOME": directory.path]) { a, _ in a }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let manifest = out + "/mlwb-transcribe.json"
        let deadline = Date().addingTimeInterval(60)
        while !FileManager.default.fileExists(atPath: manifest), process.isRunning, Date() < deadline { usleep(10_000) }
        XCTAssertTrue(process.isRunning, "the run ended before it could be interrupted")
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        if let status { XCTAssertEqual(process.terminationStatus, status) } else { XCTAssertEqual(process.terminationReason, .uncaughtSignal) }

        // Every recorded item's outputs are on disk with the recorded sha256; no half-written output under a final name.
        let items = try BatchFixtures.items(manifest)
        XCTAssertGreaterThan(items.count, 0)
        XCTAssertLessThan(items.count, 16, "stopped before the end")
        for (key, item) in items {
            XCTAssertEqual(item["status"] as? String, "ok", key)
            for output in try XCTUnwrap(item["outputs"] as? [[String: Any]]) {
                let path = out + "/" + (output["path"] as! String)
                let sha = try ProcessRunner.run("/usr/bin/env", ["sha256sum", path]).stdout.split(separator: " ").first.map(String.init)
                XCTAssertEqual(sha, output["sha256"] as? String, path)
            }
        }
        let midis = try BatchFixtures.tree(out).keys.filter { $0.hasSuffix(".mid") && !($0 as NSString).lastPathComponent.hasPrefix(".") }
        XCTAssertLessThanOrEqual(midis.count, items.count + 2, "at most the items in flight are on disk without a record")
        for midi in midis { XCTAssertTrue(try Data(contentsOf: URL(fileURLWithPath: out + "/" + midi)).starts(with: Array("MThd".utf8)), midi) }

        let rerun = try ProcessRunner.mlwb(["transcribe"] + inputs + ["--out", out], environment: environment)
        XCTAssertEqual(rerun.status, 0, rerun.stderr)
        XCTAssertEqual(BatchFixtures.plan(rerun.stdout)?.todo, 16 - items.count, rerun.stdout)
        XCTAssertEqual(BatchFixtures.plan(rerun.stdout)?.current, items.count, rerun.stdout)
        XCTAssertEqual(try BatchFixtures.items(manifest).count, 16)
    }
}
