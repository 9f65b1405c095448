import Foundation
import TestSupport
import XCTest

/// Every app command in batch mode with its real weights (from ../shared) on a few short real inputs:
/// one result per input under --out, a manifest naming the checkpoint's sha256, and a rerun with nothing to do.
final class BatchCommandsTests: XCTestCase {
    var directory: TemporaryDirectory!
    var environment: [String: String] = [:]

    override func setUpWithError() throws {
        directory = try TemporaryDirectory(prefix: "mlwb-batch-commands")
        environment = ["MLWB_HOME": directory.file("home"), "MLWB_ASSETS": SharedData.packageRoot + "/assets"]
    }
    override func tearDown() { directory.remove() }

    func importWeights(_ files: [String]) throws {
        for file in files {
            let r = try ProcessRunner.mlwb(["checkpoints", "import", try SharedData.require("weights/" + file)], environment: environment)
            XCTAssertEqual(r.status, 0, r.stderr)
        }
    }

    /// Runs `arguments` twice into `out`: the first run writes `expected` (relative paths), the second does nothing.
    func check(_ command: String, _ arguments: [String], out: String, expected: [String], checkpoint: String?) throws {
        let first = try ProcessRunner.mlwb([command] + arguments + ["--out", out], environment: environment)
        XCTAssertEqual(first.status, 0, "\(command): \(first.stderr)")
        let written = Set(try BatchFixtures.tree(out).keys)
        for file in expected { XCTAssertTrue(written.contains(file), "\(command) did not write \(file): \(written.sorted())") }
        let manifest = try BatchFixtures.manifest(out + "/mlwb-\(command).json")
        let settings = try XCTUnwrap((manifest["settings"] as? [String: [String: Any]])?.values.first)
        let checkpoints = try XCTUnwrap(settings["checkpoints"] as? [String: String])
        if let checkpoint { XCTAssertEqual(checkpoints[checkpoint]?.count, 64, "\(command) records \(checkpoint)'s sha256") }
        let again = try ProcessRunner.mlwb([command] + arguments + ["--out", out], environment: environment)
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stdout.contains("all current"), "\(command): \(again.stdout)")
    }

    func testAudioCommands() throws {
        try importWeights(["basic-pitch-icassp2022-nmp.onnx", "swift-f0-0.3.0.onnx", "beatnet-model1-weights.pt",
                           "beatnet-model2-weights.pt", "beatnet-model3-weights.pt"])
        let vocal = try SharedData.require("mir/vocal"), beats = try SharedData.require("mir/beats")
        try check("pitch", [vocal], out: directory.file("f0"), expected: ["vocal_choiraahs_solo_72.f0.csv"], checkpoint: "swift_f0")
        try check("beats", [beats, "--format", "txt,csv", "--jobs", "2"], out: directory.file("beats"),
                  expected: ["beats_waltz_3-4_150.beats.txt", "beats_waltz_3-4_150.beats.csv", "beats_jig_6-8_92.beats.txt"],
                  checkpoint: "beatnet_3")
        let eval = try ProcessRunner.mlwb(["eval-beats", "--ref", beats, "--est", directory.file("beats"), "--min-beat-time", "0"])
        XCTAssertEqual(eval.status, 0, eval.stderr)
        XCTAssertTrue(eval.stdout.contains("mean of 3"), eval.stdout)
        XCTAssertTrue(eval.stdout.contains("beats_jig_6-8_92.tempo.txt"), "unpaired references are listed: \(eval.stdout)")
        try check("transcribe", [vocal, "--format", "mid,csv"], out: directory.file("notes"),
                  expected: ["vocal_choiraahs_solo_72.mid", "vocal_choiraahs_solo_72.notes.csv"], checkpoint: "basic_pitch_icassp2022")
    }

    func testImageCommands() throws {
        try importWeights(["mobilenet_v2-b0353104.pth"])
        let media = try SharedData.require("media")
        try check("classify", [media, "--top", "3"], out: directory.file("classes"), expected: ["dog.classes.csv"], checkpoint: "mobilenet_v2")
        let dog = try String(contentsOfFile: directory.file("classes/dog.classes.csv"), encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(dog.count, 4)
        XCTAssertTrue(dog[1].hasPrefix("1,249,malamute,"), String(dog[1]))
        try check("dream", [SharedData.asset("images"), "--steps", "2", "--octaves", "1", "--jobs", "2"], out: directory.file("dreamed"),
                  expected: ["sample.png", "tilted.png", "swirl.png"], checkpoint: "mobilenet_v2")
        let noise = try ProcessRunner.mlwb(["dream", SharedData.asset("images"), "--out", directory.file("x"), "--start", "noise"], environment: environment)
        XCTAssertEqual(noise.status, 2, noise.stderr)
    }
}
