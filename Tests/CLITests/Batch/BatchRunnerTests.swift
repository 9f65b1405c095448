import Audio
import Foundation
import TestSupport
import XCTest

/// Batch runs through the built binary, with `mlwb chords` (no learned weights) on real WAV files.
final class BatchRunnerTests: XCTestCase {
    var directory: TemporaryDirectory!
    override func setUpWithError() throws { directory = try TemporaryDirectory(prefix: "mlwb-batch") }
    override func tearDown() { directory.remove() }

    var input: String { directory.file("in") }

    func chords(_ arguments: [String]) throws -> ProcessRunner.Result {
        try ProcessRunner.mlwb(["chords"] + arguments, environment: ["MLWB_HOME": directory.file("home")])
    }

    func testTwoShardsTogetherEqualOneRunByteForByte() throws {
        try BatchFixtures.progressions(in: input, count: 7)
        let whole = try chords([input, "--out", directory.file("whole"), "--format", "lab,csv"])
        XCTAssertEqual(whole.status, 0, whole.stderr)
        var counts: [Int] = []
        for k in 0..<2 {
            let shard = try chords([input, "--out", directory.file("sharded"), "--format", "lab,csv", "--shard", "\(k)/2"])
            XCTAssertEqual(shard.status, 0, shard.stderr)
            counts.append(try BatchFixtures.items(directory.file("sharded/mlwb-chords.shard-\(k)-of-2.json")).count)
        }
        XCTAssertEqual(counts.reduce(0, +), 7, "the shards are disjoint and cover every item")
        XCTAssertTrue(counts.allSatisfy { $0 > 0 }, "\(counts)")
        let merge = try ProcessRunner.mlwb(["batch", "merge", directory.file("sharded")])
        XCTAssertEqual(merge.status, 0, merge.stderr)
        XCTAssertTrue(merge.stdout.contains("2 manifests checked, 7 items (7 ok, 0 failed)"), merge.stdout)
        // Outputs and the merged manifest are the unsharded run's, byte for byte.
        let sharded = try BatchFixtures.tree(directory.file("sharded")), single = try BatchFixtures.tree(directory.file("whole"))
        XCTAssertEqual(Set(sharded.keys), Set(single.keys))
        XCTAssertEqual(sharded, single)
        XCTAssertTrue(sharded.keys.contains("set1/take01.chords.lab"), "\(sharded.keys.sorted())")
    }

    func testRerunRedoesExactlyTheDeletedOutputAndChangedParametersRedoEverything() throws {
        try BatchFixtures.progressions(in: input, count: 5)
        let out = directory.file("out")
        let first = try chords([input, "--out", out])
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertEqual(BatchFixtures.plan(first.stdout)?.todo, 5, first.stdout)
        let again = try chords([input, "--out", out])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stdout.contains("all current"), again.stdout)

        let manifest = out + "/mlwb-chords.json"
        let recorded = try BatchFixtures.items(manifest)
        try FileManager.default.removeItem(atPath: out + "/set2/take02.chords.lab")
        let redo = try chords([input, "--out", out])
        XCTAssertEqual(redo.status, 0, redo.stderr)
        XCTAssertEqual(BatchFixtures.plan(redo.stdout)?.todo, 1, redo.stdout)
        XCTAssertEqual(BatchFixtures.plan(redo.stdout)?.current, 4, redo.stdout)
        XCTAssertTrue(redo.stdout.contains("set2/take02.wav → set2/take02.chords.lab"), redo.stdout)
        XCTAssertEqual(NSDictionary(dictionary: try BatchFixtures.items(manifest)), NSDictionary(dictionary: recorded),
                       "the same result is recorded again")

        // A touched but unchanged input is still current (same sha256); a changed one is redone.
        let touched = input + "/take00.wav"
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: 60)], ofItemAtPath: touched)
        let touchedRun = try chords([input, "--out", out])
        XCTAssertTrue(touchedRun.stdout.contains("all current"), touchedRun.stdout)

        let changed = try chords([input, "--out", out, "--self-transition", "0.95"])
        XCTAssertEqual(changed.status, 0, changed.stderr)
        XCTAssertEqual(BatchFixtures.plan(changed.stdout)?.todo, 5, changed.stdout)
        let settings = try XCTUnwrap(try BatchFixtures.manifest(manifest)["settings"] as? [String: [String: Any]])
        XCTAssertEqual(settings.count, 1, "only the settings in use are kept")
        let parameters = try XCTUnwrap(settings.values.first?["parameters"] as? [String: String])
        XCTAssertEqual(parameters["self-transition"], "0.95")
    }

    func testACorruptItemIsReportedRecordedAndSkipped() throws {
        try BatchFixtures.progressions(in: input, count: 3)
        try Data("not audio at all".utf8).write(to: URL(fileURLWithPath: input + "/broken.wav"))
        let wav = try Data(contentsOf: URL(fileURLWithPath: input + "/take00.wav"))
        try wav.prefix(2000).write(to: URL(fileURLWithPath: input + "/cut.wav"))
        let out = directory.file("out")
        let r = try chords([input, "--out", out, "--jobs", "2"])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("mlwb chords: broken.wav: error:"), r.stderr)
        XCTAssertTrue(r.stderr.contains("mlwb chords: cut.wav: error:"), r.stderr)
        XCTAssertTrue(r.stdout.contains("3 done, 2 failed"), r.stdout)
        let items = try BatchFixtures.items(out + "/mlwb-chords.json")
        XCTAssertEqual(items["broken.wav"]?["status"] as? String, "failed")
        XCTAssertTrue((items["cut.wav"]?["error"] as? String)?.contains("truncated") == true, "\(items["cut.wav"] ?? [:])")
        XCTAssertEqual(items["take00.wav"]?["status"] as? String, "ok")
        XCTAssertFalse(FileManager.default.fileExists(atPath: out + "/broken.chords.lab"), "no output for a failed item")
        // A rerun tries only the failed ones again.
        let again = try chords([input, "--out", out])
        XCTAssertEqual(again.status, 1)
        XCTAssertEqual(BatchFixtures.plan(again.stdout)?.todo, 2, again.stdout)
    }

    func testJobsTwoWritesWhatJobsOneWrites() throws {
        try BatchFixtures.progressions(in: input, count: 4)
        XCTAssertEqual(try chords([input, "--out", directory.file("one")]).status, 0)
        let two = try chords([input, "--out", directory.file("two"), "--jobs", "2"])
        XCTAssertEqual(two.status, 0, two.stderr)
        XCTAssertTrue(two.stdout.contains("2 jobs × 1 compute thread"), two.stdout)
        XCTAssertEqual(try BatchFixtures.tree(directory.file("one")), try BatchFixtures.tree(directory.file("two")))
    }

    func testADatasetSplitIsReadThroughTheCatalog() throws {
        let home = directory.file("home")
        let wavs = home + "/datasets/mir-1k/data/MIR-1K/Wavfile"
        try FileManager.default.createDirectory(atPath: wavs, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: home + "/datasets/mir-1k/.extracted", contents: Data())
        let made = try BatchFixtures.progressions(in: directory.file("src"), count: 9, seconds: 1)
        for (i, relative) in made.enumerated() {
            try FileManager.default.copyItem(atPath: directory.file("src/" + relative), toPath: wavs + String(format: "/clip%02d.wav", i))
        }
        let test = try chords(["dataset:mir-1k:test", "--out", directory.file("out")])
        XCTAssertEqual(test.status, 0, test.stderr)
        XCTAssertEqual(try BatchFixtures.items(directory.file("out/mlwb-chords.json")).keys.sorted(), ["Wavfile/clip08.wav"],
                       "88 % of 9 sorted files go to train: the last one is the test split")
        XCTAssertTrue(FileManager.default.fileExists(atPath: directory.file("out/Wavfile/clip08.chords.lab")))
        let unknown = try chords(["dataset:mir1k", "--out", directory.file("out")])
        XCTAssertEqual(unknown.status, 2)
        XCTAssertTrue(unknown.stderr.contains("unknown dataset 'mir1k' (did you mean mir-1k?)"), unknown.stderr)
        let split = try chords(["dataset:mir-1k:tset", "--out", directory.file("out")])
        XCTAssertEqual(split.status, 2)
        XCTAssertTrue(split.stderr.contains("did you mean test?"), split.stderr)
    }

    func testUsageMistakesAndTheSingleFileFormStayAsTheyWere() throws {
        try BatchFixtures.progressions(in: input, count: 2)
        let noOut = try chords([input])
        XCTAssertEqual(noOut.status, 2)
        XCTAssertTrue(noOut.stderr.contains("need --out DIR"), noOut.stderr)
        let withO = try chords([input, "--out", directory.file("o"), "-o", directory.file("x.lab")])
        XCTAssertEqual(withO.status, 2)
        XCTAssertTrue(withO.stderr.contains("--output is for one input"), withO.stderr)
        let jobs = try chords([input + "/take00.wav", "--jobs", "2"])
        XCTAssertEqual(jobs.status, 2)
        XCTAssertTrue(jobs.stderr.contains("--jobs is for batch mode"), jobs.stderr)
        let shard = try chords([input, "--out", directory.file("o"), "--shard", "2/2"])
        XCTAssertEqual(shard.status, 2)
        XCTAssertTrue(shard.stderr.contains("--shard: K must be in 0–1"), shard.stderr)
        let format = try chords([input, "--out", directory.file("o"), "--format", "lba"])
        XCTAssertEqual(format.status, 2)
        XCTAssertTrue(format.stderr.contains("did you mean lab?"), format.stderr)
        let single = try chords([input + "/take00.wav", "-o", directory.file("one.lab")])
        XCTAssertEqual(single.status, 0, single.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.file("mlwb-chords.json")), "a single run writes no manifest")
        XCTAssertTrue(single.stdout.contains("→ \(directory.file("one.lab"))"), single.stdout)
    }

    func testMergeRefusesMissingShardsAndChangedOutputs() throws {
        try BatchFixtures.progressions(in: input, count: 6)
        let out = directory.file("out")
        XCTAssertEqual(try chords([input, "--out", out, "--shard", "0/3"]).status, 0)
        let missing = try ProcessRunner.mlwb(["batch", "merge", out])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("no manifest for shard 1/3, 2/3"), missing.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out + "/mlwb-chords.json"), "nothing written")
        XCTAssertEqual(try chords([input, "--out", out, "--shard", "1/3"]).status, 0)
        XCTAssertEqual(try chords([input, "--out", out, "--shard", "2/3", "--self-transition", "0.95"]).status, 0)
        let mixed = try ProcessRunner.mlwb(["batch", "merge", out])
        XCTAssertEqual(mixed.status, 1)
        XCTAssertTrue(mixed.stderr.contains("different settings") && mixed.stderr.contains("--self-transition differ"), mixed.stderr)
        XCTAssertEqual(try chords([input, "--out", out, "--shard", "2/3"]).status, 0)
        let lab = try XCTUnwrap(try BatchFixtures.tree(out).keys.first { $0.hasSuffix(".chords.lab") })
        try Data("0\t1\tN\n".utf8).write(to: URL(fileURLWithPath: out + "/" + lab))
        let changed = try ProcessRunner.mlwb(["batch", "merge", out])
        XCTAssertEqual(changed.status, 1)
        XCTAssertTrue(changed.stderr.contains("is not the file the manifest records"), changed.stderr)
        // Two machines' folders merge into a third, outputs copied.
        let other = directory.file("other")
        XCTAssertEqual(try chords([input, "--out", other]).status, 0)
        let into = try ProcessRunner.mlwb(["batch", "merge", other, "--into", directory.file("merged")])
        XCTAssertEqual(into.status, 0, into.stderr)
        XCTAssertEqual(try BatchFixtures.tree(directory.file("merged")), try BatchFixtures.tree(other))
    }
}
