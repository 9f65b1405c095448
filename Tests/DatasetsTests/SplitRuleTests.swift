import Foundation
import XCTest
import TestSupport
@testable import Datasets

/// omnizart's split rules applied to fake trees on disk.
final class SplitRuleTests: XCTestCase {
    private var temp: TemporaryDirectory!
    override func setUpWithError() throws { temp = try TemporaryDirectory(prefix: "mlwb-split") }
    override func tearDown() { temp.remove() }

    private func touch(_ relative: String) throws {
        let path = temp.file(relative)
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: path, contents: Data("x".utf8))
    }

    func testMaestroSplitByYearOnAFakeTree() throws {
        let catalog = try DatasetCatalog.load(path: SharedData.asset("datasets.json"))
        let rule = try XCTUnwrap(catalog.entry("maestro-v2").splits.first)
        let years = ["2004", "2006", "2008", "2009", "2011", "2013", "2014", "2015", "2017", "2018"]
        for year in years {
            for n in 0..<3 {
                try touch("\(year)/MIDI-Unprocessed_\(n).wav")
                try touch("\(year)/MIDI-Unprocessed_\(n).midi")
            }
        }
        try touch("maestro-v2.0.0.csv")
        try touch("2018/notes.txt")
        let split = rule.apply(toDirectory: temp.path)
        XCTAssertEqual(split.train.count, 9 * 6)
        XCTAssertEqual(split.test.count, 6)
        XCTAssertTrue(split.test.allSatisfy { $0.hasPrefix("2018/") })
        XCTAssertFalse(split.train.contains { $0.hasPrefix("2018/") })
        XCTAssertFalse((split.train + split.test).contains { $0.hasSuffix(".txt") || $0.hasSuffix(".csv") })
    }

    func testFractionSplitKeepsPartnersTogether() throws {
        let rule = SplitRule(kind: .fraction, files: [try FilePattern("*.wav")], folder: "Wavfile", trainFraction: 0.88,
                             pairs: [.init(folder: "PitchLabel", fileExtension: ".pv")])
        var paths: [String] = []
        for n in (0..<100).reversed() {
            paths.append(String(format: "Wavfile/abjones_%03d.wav", n))
            paths.append(String(format: "PitchLabel/abjones_%03d.pv", n))
        }
        paths.append("Wavfile/readme.txt")
        let split = rule.apply(to: paths)
        XCTAssertEqual(split.train.filter { $0.hasSuffix(".wav") }.count, 88)
        XCTAssertEqual(split.test.filter { $0.hasSuffix(".wav") }.count, 12)
        XCTAssertEqual(split.train.filter { $0.hasSuffix(".pv") }.count, 88)
        XCTAssertTrue(split.train.contains("Wavfile/abjones_000.wav"))
        XCTAssertTrue(split.test.contains("Wavfile/abjones_099.wav"))
        XCTAssertTrue(split.test.contains("PitchLabel/abjones_099.pv"))
        XCTAssertTrue(Set(split.train).isDisjoint(with: split.test))
    }

    func testMIR1KCatalogRuleOn1000Files() throws {
        let catalog = try DatasetCatalog.load(path: SharedData.asset("datasets.json"))
        let rule = try XCTUnwrap(catalog.entry("mir-1k").splits.first)
        let paths = (0..<1000).flatMap { ["Wavfile/s_\($0).wav", "PitchLabel/s_\($0).pv"] }
        let split = rule.apply(to: paths)
        XCTAssertEqual(split.train.count, 880 * 2)
        XCTAssertEqual(split.test.count, 120 * 2)
    }

    func testNumericFoldersSplit() throws {
        let catalog = try DatasetCatalog.load(path: SharedData.asset("datasets.json"))
        let rule = try XCTUnwrap(catalog.entry("mcgill-billboard").splits.first)
        let paths = ["McGill-Billboard-Features/0003/bothchroma.csv", "McGill-Billboard-MIREX/0003/majmin.lab",
                     "McGill-Billboard-Features/1000/bothchroma.csv", "McGill-Billboard-Features/1001/bothchroma.csv",
                     "McGill-Billboard-MIREX/1300/majmin.lab", "McGill-Billboard-MIREX/1300/full.lab",
                     "billboard-2.0-index.csv"]
        let split = rule.apply(to: paths)
        XCTAssertEqual(split.train, ["McGill-Billboard-Features/0003/bothchroma.csv", "McGill-Billboard-Features/1000/bothchroma.csv",
                                     "McGill-Billboard-MIREX/0003/majmin.lab"])
        XCTAssertEqual(split.test, ["McGill-Billboard-Features/1001/bothchroma.csv", "McGill-Billboard-MIREX/1300/majmin.lab"])
    }

    func testFoldersWithOnlyTestOrOnlyTrain() throws {
        let catalog = try DatasetCatalog.load(path: SharedData.asset("datasets.json"))
        let ext = try XCTUnwrap(catalog.entry("ext-su").splits.first)
        let split = ext.apply(to: ["1 Tchaikovsky/a.wav", "1 Tchaikovsky/a.mid", "SQ09_Ravel/b.wav", "other/c.wav"])
        XCTAssertEqual(split.train, [])
        XCTAssertEqual(split.test.count, 3)
        let cmedia = try XCTUnwrap(catalog.entry("cmedia").splits.first)
        let split2 = cmedia.apply(to: ["train_data/a.wav", "train_labels/a.csv"])
        XCTAssertEqual(split2.train.count, 2)
        XCTAssertEqual(split2.test, [])
    }
}
