import Foundation
import TestSupport
import XCTest
@testable import CLI

/// The batch layer's pure parts: shards, output names, input expansion, manifests, eval pairing.
final class BatchShardTests: XCTestCase {
    func testShardsAreDisjointCoverEveryItemAndStayPut() throws {
        let keys = (0..<400).map { "set\($0 % 7)/take\($0).wav" }
        let shards = (0..<4).map { BatchShard(index: $0, count: 4) }
        var seen = Set<String>()
        for shard in shards {
            let mine = keys.filter(shard.contains)
            XCTAssertGreaterThan(mine.count, 60, "roughly a quarter each (\(mine.count))")
            XCTAssertTrue(seen.isDisjoint(with: mine))
            seen.formUnion(mine)
        }
        XCTAssertEqual(seen.count, keys.count)
        // The hash is fixed (the same on every machine and in every release): pinned values.
        // (Computed independently: FNV-1a 64 over the UTF-8 bytes, then SplitMix64's finaliser.)
        XCTAssertEqual(BatchShard.stableHash(""), 0xf52a_15e9_a9b5_e89b)
        XCTAssertEqual(BatchShard.stableHash("beats/beats_jig_6-8_92.wav"), 0x8bb5_ec09_8b97_3c68)
        XCTAssertTrue(BatchShard(index: 0, count: 4).contains("beats/beats_jig_6-8_92.wav"))
        XCTAssertEqual(BatchShard.stableHash("a/b.wav"), BatchShard.stableHash("a/b.wav"))
        XCTAssertNotEqual(BatchShard.stableHash("a/b.wav"), BatchShard.stableHash("a/c.wav"))
    }

    func testShardTextIsCheckedAsAUsageError() {
        XCTAssertEqual(try BatchShard(parsing: "3/8"), BatchShard(index: 3, count: 8))
        for bad in ["3", "8/8", "-1/4", "a/b", "1/0", "0/2000000"] {
            XCTAssertThrowsError(try BatchShard(parsing: bad), bad) { XCTAssertTrue($0 is UsageError, "\($0)") }
        }
    }
}

final class BatchOutputNamesTests: XCTestCase {
    func testOutputsMirrorTheTreeAndKeepExtensionsOnlyWhereNamesWouldCollide() {
        let items = ["a.wav", "a.flac", "set/b.wav", "set/c.v2.ogg", ".hidden"].map { BatchItem(source: "/in/" + $0, key: $0) }
        let names = BatchOutputNames.outputs(for: items, formats: [BatchFormat("lab", suffix: ".chords.lab"), BatchFormat("csv", suffix: ".chords.csv")])
        XCTAssertEqual(names["a.wav"], ["a.wav.chords.lab", "a.wav.chords.csv"])
        XCTAssertEqual(names["a.flac"], ["a.flac.chords.lab", "a.flac.chords.csv"])
        XCTAssertEqual(names["set/b.wav"], ["set/b.chords.lab", "set/b.chords.csv"])
        XCTAssertEqual(names["set/c.v2.ogg"], ["set/c.v2.chords.lab", "set/c.v2.chords.csv"])
        XCTAssertEqual(names[".hidden"], [".hidden.chords.lab", ".hidden.chords.csv"])
    }

    func testFoldersExpandByFormatLeavingOutHiddenFilesAndTheOutputFolder() throws {
        let directory = try TemporaryDirectory(prefix: "mlwb-batch-inputs")
        defer { directory.remove() }
        for name in ["x.wav", "sub/y.FLAC", "sub/notes.txt", ".z.wav", ".cache/w.wav", "out/old.wav"] {
            let path = directory.file("in/" + name)
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            FileManager.default.createFile(atPath: path, contents: Data([1]))
        }
        let items = try BatchInputs.expand([directory.file("in")], extensions: ["wav", "flac"], excluding: directory.file("in/out"),
                                           environment: [:])
        XCTAssertEqual(items.map(\.key), ["sub/y.FLAC", "x.wav"])
        XCTAssertThrowsError(try BatchInputs.expand([directory.file("in"), directory.file("in/x.wav")], extensions: ["wav"],
                                                    excluding: nil, environment: [:])) { error in
            XCTAssertTrue("\(error)".contains("two inputs are both 'x.wav'"), "\(error)")
        }
        XCTAssertThrowsError(try BatchInputs.expand([directory.file("in/sub")], extensions: ["png"], excluding: nil, environment: [:])) { error in
            XCTAssertTrue("\(error)".contains("holds no PNG file"), "\(error)")
        }
    }
}

final class EvalPairsTests: XCTestCase {
    func testPairsByRelativePathToleratingExtensionsAndListsTheRest() throws {
        let directory = try TemporaryDirectory(prefix: "mlwb-eval-pairs")
        defer { directory.remove() }
        let ref = ["a.notes.csv", "a.mid", "b.mid", "set/c.notes.csv", "only-ref.mid", "d.basicpitch.csv"]
        let est = ["a.mid", "b.notes.csv", "set/c.flac.mid", "only-est.mid", "mlwb-transcribe.json"]
        for (folder, names) in [("ref", ref), ("est", est)] {
            for name in names {
                let path = directory.file(folder + "/" + name)
                try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                FileManager.default.createFile(atPath: path, contents: Data())
            }
        }
        let pairs = try EvalPairs(reference: directory.file("ref"), estimate: directory.file("est"), extensions: ["csv", "mid"],
                                  preference: [".notes.csv", ".csv", ".mid"])
        XCTAssertEqual(pairs.pairs.map(\.key), ["a", "b", "set/c"])
        XCTAssertEqual(pairs.pairs.map { $0.reference.replacingOccurrences(of: directory.file("ref/"), with: "") }, ["a.mid", "b.mid", "set/c.notes.csv"])
        XCTAssertEqual(pairs.pairs.map { $0.estimate.replacingOccurrences(of: directory.file("est/"), with: "") }, ["a.mid", "b.notes.csv", "set/c.flac.mid"])
        XCTAssertEqual(pairs.unpairedReferences, ["a.notes.csv", "d.basicpitch.csv", "only-ref.mid"])
        XCTAssertEqual(pairs.unpairedEstimates, ["only-est.mid"])
    }
}
