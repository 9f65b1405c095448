import Foundation
import XCTest
import Remote
import TestSupport
@testable import Datasets

/// `status` and `validate` on a small fake dataset laid out in a temporary store.
final class ValidationTests: XCTestCase {
    private var temp: TemporaryDirectory!
    override func setUpWithError() throws { temp = try TemporaryDirectory(prefix: "mlwb-validate") }
    override func tearDown() { temp.remove() }

    private func store(_ entries: [DatasetEntry]) throws -> DatasetStore {
        DatasetStore(root: temp.file("home"), catalog: try DatasetCatalog(entries: entries))
    }

    func testDefaultRootFollowsEnvironment() {
        XCTAssertEqual(DatasetStore.defaultRoot(environment: ["MLWB_HOME": "/x/m"]), "/x/m")
        XCTAssertEqual(DatasetStore.defaultRoot(environment: ["MLWB_HOME": "", "XDG_CACHE_HOME": "/c"]), "/c/mlwb")
        XCTAssertEqual(DatasetStore.defaultRoot(environment: ["HOME": "/h"]), "/h/.cache/mlwb")
    }

    func testManualDatasetPlacedByHandVerifies() throws {
        let store = try store([try MiniDataset.entry(manual: true)])
        XCTAssertEqual(try store.status("mir1k-mini"), .absent)
        try MiniDataset.lay(into: store.dataFolder("mir1k-mini"))
        XCTAssertEqual(try store.status("mir1k-mini"), .extracted)
        let report = try store.validate("mir1k-mini")
        XCTAssertTrue(report.isClean, "\(report)")
        XCTAssertEqual(report.filesHashed, 1)
        XCTAssertEqual(try store.status("mir1k-mini"), .verified)
        // Any change to the tree drops the verified state.
        try "more".write(toFile: store.dataFolder("mir1k-mini") + "/MIR-1K-mini/Wavfile/amy_1.wav", atomically: true, encoding: .utf8)
        XCTAssertEqual(try store.status("mir1k-mini"), .extracted)
        XCTAssertTrue(try store.remove("mir1k-mini"))
        XCTAssertEqual(try store.status("mir1k-mini"), .absent)
        XCTAssertFalse(try store.remove("mir1k-mini"))
    }

    func testReportsMissingCorruptUnexpectedAndSurplus() throws {
        let store = try store([try MiniDataset.entry(manual: true)])
        let root = store.dataFolder("mir1k-mini") + "/MIR-1K-mini"
        try MiniDataset.lay(into: store.dataFolder("mir1k-mini"))
        try FileManager.default.removeItem(atPath: root + "/Wavfile/amy_3.wav")
        try "tampered\n".write(toFile: root + "/Readme.txt", atomically: true, encoding: .utf8)
        try "?".write(toFile: root + "/stray.bin", atomically: true, encoding: .utf8)
        try "?".write(toFile: store.dataFolder("mir1k-mini") + "/outside-root.txt", atomically: true, encoding: .utf8)
        try "?".write(toFile: root + "/.DS_Store", atomically: true, encoding: .utf8)
        try "70\n".write(toFile: root + "/PitchLabel/extra.pv", atomically: true, encoding: .utf8)
        let report = try store.validate("mir1k-mini")
        XCTAssertFalse(report.isClean)
        XCTAssertEqual(report.missing, [.init(pattern: "MIR-1K-mini/Wavfile/*.wav", expected: 10, found: 9)])
        XCTAssertEqual(report.corrupt.map(\.path), ["data/MIR-1K-mini/Readme.txt"])
        XCTAssertEqual(report.unexpected.sorted(), ["MIR-1K-mini/stray.bin", "outside-root.txt"])
        XCTAssertEqual(report.surplus, [.init(pattern: "MIR-1K-mini/PitchLabel/*.pv", expected: 10, found: 11)])
        XCTAssertTrue(report.summary.contains("1 missing"), report.summary)
        XCTAssertNotEqual(try store.status("mir1k-mini"), .verified)
        // Folders and the root are reported when absent.
        try FileManager.default.removeItem(atPath: root + "/PitchLabel")
        let second = try store.validate("mir1k-mini", hashing: false)
        XCTAssertTrue(second.missing.contains(.init(pattern: "MIR-1K-mini/PitchLabel/", expected: 1, found: 0)))
        try FileManager.default.removeItem(atPath: root)
        let third = try store.validate("mir1k-mini", hashing: false)
        XCTAssertTrue(third.missing.contains(.init(pattern: "MIR-1K-mini/", expected: 1, found: 0)))
    }

    func testDownloadChecksumIsRecordedThenEnforced() throws {
        let store = try store([try MiniDataset.entry()])
        let id = "mir1k-mini"
        try FileManager.default.createDirectory(atPath: store.downloadsFolder(id), withIntermediateDirectories: true)
        let zip = store.downloadsFolder(id) + "/mir1k-mini.zip"
        try MiniDataset.zip(to: zip)
        XCTAssertEqual(try store.status(id), .downloaded)
        _ = FileManager.default.createFile(atPath: zip + ".part", contents: Data())
        if case .partial = try store.status(id) {} else { XCTFail("a .part file means partial") }
        try FileManager.default.removeItem(atPath: zip + ".part")

        let first = try store.validate(id)
        XCTAssertTrue(first.notes.contains { $0.contains("recorded sha256") }, "\(first.notes)")
        let recorded = try XCTUnwrap(store.recordedChecksums(id).files["mir1k-mini.zip"])
        XCTAssertEqual(recorded.sha256, try StreamingDigest.hex(file: zip))
        XCTAssertEqual(recorded.origin, "first-download")
        // Flip one byte: same size, different digest.
        var bytes = try Array(Data(contentsOf: URL(fileURLWithPath: zip)))
        bytes[bytes.count / 2] ^= 0xff
        try Data(bytes).write(to: URL(fileURLWithPath: zip))
        let second = try store.validate(id)
        XCTAssertEqual(second.corrupt.map(\.path), ["downloads/mir1k-mini.zip"])
        XCTAssertTrue(second.corrupt[0].expected.contains(recorded.sha256))
    }

    func testSplitOnTheStore() throws {
        let store = try store([try MiniDataset.entry(manual: true)])
        XCTAssertThrowsError(try store.split("mir1k-mini"))
        try MiniDataset.lay(into: store.dataFolder("mir1k-mini"))
        let split = try store.split("mir1k-mini")
        XCTAssertEqual(split.train.count, 18)   // round(10 × 0.88) = 9 wavs + their 9 .pv files
        XCTAssertEqual(split.test.count, 2)
        XCTAssertThrowsError(try store.split("mir1k-mini", rule: "nope"))
    }

    func testAnyRootResolvesToTheSingleTopFolder() throws {
        var entry = try MiniDataset.entry(manual: true)
        entry.layout.root = DatasetLayout.anyRoot
        let store = try store([entry])
        try MiniDataset.lay(into: store.dataFolder("mir1k-mini"))
        XCTAssertEqual(store.resolvedRoot(entry), "MIR-1K-mini")
        XCTAssertTrue(try store.validate("mir1k-mini").isClean)
    }
}
