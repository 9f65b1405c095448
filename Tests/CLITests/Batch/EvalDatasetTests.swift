import Foundation
import TestSupport
import XCTest

/// `eval-chords|eval-beats|eval-notes --ref DIR --est DIR` through the binary.
final class EvalDatasetTests: XCTestCase {
    func testChordsOverTwoFoldersWithCSVJSONAndUnpairedFiles() throws {
        let directory = try TemporaryDirectory(prefix: "mlwb-eval-dataset")
        defer { directory.remove() }
        let input = directory.file("in")
        try BatchFixtures.progressions(in: input, count: 3)
        let est = directory.file("est")
        XCTAssertEqual(try ProcessRunner.mlwb(["chords", input, "--out", est]).status, 0)
        // References: the estimates themselves under the dataset naming, one missing, one extra.
        let ref = directory.file("ref")
        for (key, _) in try BatchFixtures.tree(est) where key.hasSuffix(".chords.lab") && key != "set2/take02.chords.lab" {
            let target = ref + "/" + key.replacingOccurrences(of: ".chords.lab", with: ".lab")
            try FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: est + "/" + key, toPath: target)
        }
        try Data("0.0\t3.0\tC:maj\n".utf8).write(to: URL(fileURLWithPath: ref + "/extra.lab"))
        let r = try ProcessRunner.mlwb(["eval-chords", "--ref", ref, "--est", est, "--csv", directory.file("s.csv"), "--json", directory.file("s.json")])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("item"), r.stdout)
        XCTAssertTrue(r.stdout.contains("mean of 2"), r.stdout)
        XCTAssertTrue(r.stdout.contains("references without an estimate (1): extra.lab"), r.stdout)
        XCTAssertTrue(r.stdout.contains("estimates without a reference (1): set2/take02.chords.lab"), r.stdout)
        let csv = try String(contentsOfFile: directory.file("s.csv"), encoding: .utf8).split(separator: "\n")
        XCTAssertTrue(csv[0].hasPrefix("item,reference,estimate,ref_segments,est_segments,root,"), String(csv[0]))
        XCTAssertEqual(csv.count, 4, "two items and the mean")
        XCTAssertTrue(csv[3].hasPrefix("mean,,,,,1.0,"), String(csv[3]))
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: directory.file("s.json")))) as? [String: Any])
        XCTAssertEqual((json["means"] as? [String: Any])?["majmin"] as? Double, 1)
        XCTAssertEqual((json["unpaired"] as? [String: [String]])?["references"], ["extra.lab"])

        let both = try ProcessRunner.mlwb(["eval-chords", "--ref", ref])
        XCTAssertEqual(both.status, 2)
        XCTAssertTrue(both.stderr.contains("needs both --ref DIR and --est DIR"), both.stderr)
        let none = try ProcessRunner.mlwb(["eval-notes", "--ref", ref, "--est", est])
        XCTAssertEqual(none.status, 1, "no note files pair up")
    }

    func testReferencesFromACatalogDatasetSplit() throws {
        let directory = try TemporaryDirectory(prefix: "mlwb-eval-maestro")
        defer { directory.remove() }
        let home = directory.file("home"), root = home + "/datasets/maestro-v2/data/maestro-v2.0.0"
        let midi = SharedData.asset("midi/arpeggio.mid")
        for year in ["2017", "2018"] {
            try FileManager.default.createDirectory(atPath: root + "/" + year, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: midi, toPath: root + "/\(year)/piece-\(year).midi")
            try FileManager.default.copyItem(atPath: SharedData.asset("audio/arpeggio.wav"), toPath: root + "/\(year)/piece-\(year).wav")
        }
        FileManager.default.createFile(atPath: home + "/datasets/maestro-v2/.extracted", contents: Data())
        // Estimates as a batch run over dataset:maestro-v2:test writes them: the dataset's tree under --out.
        try FileManager.default.createDirectory(atPath: directory.file("notes/2018"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: midi, toPath: directory.file("notes/2018/piece-2018.mid"))
        let r = try ProcessRunner.mlwb(["eval-notes", "--ref", "dataset:maestro-v2:test", "--est", directory.file("notes")],
                                       environment: ["MLWB_HOME": home])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("2018/piece-2018"), r.stdout)
        XCTAssertTrue(r.stdout.contains("1.0000     1.0000  1.0000"), r.stdout)
        XCTAssertFalse(r.stdout.contains("2017"), "the train split is not scored: \(r.stdout)")
        XCTAssertTrue(r.stdout.contains("mean of 1"), r.stdout)
    }
}
