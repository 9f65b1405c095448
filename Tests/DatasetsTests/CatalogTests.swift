import Foundation
import XCTest
import TestSupport
@testable import Datasets

/// The shipped catalog loads and every entry is well-formed; malformed catalogs are refused.
final class CatalogTests: XCTestCase {
    private func shipped() throws -> DatasetCatalog {
        try DatasetCatalog.load(path: SharedData.asset("datasets.json"))
    }

    func testShippedCatalogLoadsWithEveryDataset() throws {
        let catalog = try shipped()
        for id in ["maestro-v2", "musicnet", "mcgill-billboard", "bps-fh", "ext-su", "mir-1k", "cmedia",
                   "maps", "pop", "tonas", "medleydb"] {
            XCTAssertNoThrow(try catalog.entry(id), id)
        }
        for id in ["maps", "pop", "tonas", "medleydb"] {
            let entry = try catalog.entry(id)
            XCTAssertEqual(entry.availability, .manual, id)
            XCTAssertFalse(entry.manual?.steps.isEmpty ?? true, id)
            XCTAssertTrue(entry.files.isEmpty, id)
        }
        XCTAssertTrue(try catalog.entry("tonas").homepage.contains("1290722"))
        XCTAssertThrowsError(try catalog.entry("nope")) { error in
            XCTAssertTrue("\(error)".contains("maestro-v2"))
        }
    }

    func testEveryEntryIsWellFormed() throws {
        for entry in try shipped().entries {
            XCTAssertNil(entry.problem, entry.id)
            XCTAssertFalse(entry.description.isEmpty, entry.id)
            XCTAssertNotNil(URL(string: entry.homepage)?.host, entry.id)
            XCTAssertFalse(entry.licence.isEmpty, entry.id)
            for file in entry.files {
                if let url = file.url {
                    let parsed = URL(string: url)
                    XCTAssertNotNil(parsed?.host, url)
                    XCTAssertTrue(["http", "https"].contains(parsed?.scheme ?? ""), url)
                } else {
                    let id = try XCTUnwrap(file.driveID, entry.id)
                    XCTAssertTrue(DatasetFile.isPlausibleDriveID(id), id)
                    XCTAssertEqual(id.count, 33, "Google Drive file ids in the catalog are 33 characters: \(id)")
                }
                // None of these publishers give checksums; they are recorded on first download.
                XCTAssertNil(file.sha256, file.filename)
            }
            for rule in entry.layout.files { XCTAssertFalse(rule.pattern.text.isEmpty) }
            for split in entry.splits { XCTAssertNil(split.problem, entry.id) }
        }
    }

    func testKnownFactsAreEncoded() throws {
        let catalog = try shipped()
        let maestro = try catalog.entry("maestro-v2")
        XCTAssertEqual(maestro.files.first?.url, "https://storage.googleapis.com/magentadata/datasets/maestro/v2.0.0/maestro-v2.0.0.zip")
        XCTAssertEqual(maestro.layout.root, "maestro-v2.0.0")
        XCTAssertEqual(maestro.layout.files.first { $0.pattern.text == "*/*.midi" }?.count, 1184)
        XCTAssertEqual(maestro.layout.files.first { $0.pattern.text == "*/*.wav" }?.count, 1184)
        XCTAssertEqual(maestro.splits.first?.test, ["2018"])
        XCTAssertEqual(maestro.splits.first?.train.count, 9)
        let musicnet = try catalog.entry("musicnet")
        XCTAssertEqual(musicnet.files.first?.archive, .tarGz)
        XCTAssertEqual(musicnet.layout.files.first { $0.pattern.text == "train_data/*.wav" }?.count, 320)
        XCTAssertEqual(musicnet.layout.files.first { $0.pattern.text == "test_data/*.wav" }?.count, 10)
        let mir = try catalog.entry("mir-1k")
        XCTAssertEqual(mir.layout.files.first { $0.pattern.text == "Wavfile/*.wav" }?.count, 1000)
        XCTAssertEqual(mir.splits.first?.trainFraction, 0.88)
        XCTAssertEqual(try catalog.entry("mcgill-billboard").files.first?.driveID, "1_K_Fof4zt1IQvs1aDmf-5wY0wHqgcPlC")
        XCTAssertEqual(try catalog.entry("bps-fh").files.first?.driveID, "1nYq2FB5LQfYJoXyYZl3XcklpJkCOnwhV")
        XCTAssertEqual(try catalog.entry("ext-su").files.first?.driveID, "1Miw9G2O1Y8g253RQ2uQ4udM5XMKB-9p8")
        XCTAssertEqual(try catalog.entry("cmedia").files.first?.driveID, "15b298vSP9cPP8qARQwa2X_0dbzl6_Eu7")
    }

    func testLocatesCatalogThroughAssets() throws {
        let catalog = try DatasetCatalog.load(environment: ["MLWB_ASSETS": SharedData.packageRoot + "/assets"])
        XCTAssertEqual(catalog.source, SharedData.packageRoot + "/assets/datasets.json")
    }

    func testMalformedCatalogsAreRefused() throws {
        func decode(_ json: String) throws -> DatasetCatalog { try DatasetCatalog.decode(Array(json.utf8), source: "test.json") }
        let good = #"{"id":"a","name":"A","files":[{"filename":"a.zip","url":"https://example.org/a.zip","archive":"zip"}]}"#
        XCTAssertNoThrow(try decode(#"{"version":1,"datasets":[\#(good)]}"#))
        let bad: [(String, String)] = [
            (#"{"version":2,"datasets":[]}"#, "version"),
            (#"{"version":1,"datasets":[\#(good),\#(good)]}"#, "duplicate"),
            (#"{"version":1,"datasets":[{"id":"a","name":"A","files":[{"filename":"a.zip","url":"ftp:/x","archive":"zip"}]}]}"#, "URL"),
            (#"{"version":1,"datasets":[{"id":"a","name":"A","files":[{"filename":"a.zip","driveId":"short","archive":"zip"}]}]}"#, "Drive"),
            (#"{"version":1,"datasets":[{"id":"a","name":"A","files":[{"filename":"a.zip","url":"https://e.org/a","archive":"rar"}]}]}"#, "test.json"),
            (#"{"version":1,"datasets":[{"id":"a","name":"A","availability":"manual"}]}"#, "instructions"),
            (#"{"version":1,"datasets":[{"id":"a","name":"A","files":[{"filename":"a.zip","url":"https://e.org/a","archive":"zip"}],"layout":{"files":[{"pattern":"a/{b"}]}}]}"#, "unbalanced"),
            (#"{"version":1,"datasets":[{"id":"a","name":"A","files":[{"filename":"a.zip","url":"https://e.org/a","archive":"zip"}],"layout":{"root":"../x"}}]}"#, "root"),
            (#"{"version":1,"datasets":[{"id":"a","name":"A","files":[{"filename":"a.zip","url":"https://e.org/a","archive":"zip"}],"splits":[{"kind":"fraction","files":["*.wav"],"folder":"w","trainFraction":1.5}]}]}"#, "trainFraction"),
        ]
        for (json, expected) in bad {
            XCTAssertThrowsError(try decode(json), json) { error in
                XCTAssertTrue("\(error)".contains(expected), "\(error) should mention \(expected)")
            }
        }
    }
}
