import TestSupport
import XCTest
import Media
@testable import Checkpoints

final class CatalogTests: XCTestCase {
    func testProjectCatalog() throws {
        let catalog = try CheckpointCatalog.load(path: SharedData.asset("checkpoints.json"))
        XCTAssertEqual(catalog.entries.map(\.id), ["mobilenet_v2", "basic_pitch_icassp2022", "swift_f0", "beatnet_1", "beatnet_2", "beatnet_3"])
        let mobilenet = try catalog.entry("mobilenet_v2")
        XCTAssertEqual(mobilenet.file, "mobilenet_v2-b0353104.pth")
        XCTAssertEqual(mobilenet.size, 14_212_972)
        XCTAssertEqual(mobilenet.sha256, "b03531047ffacf1e2488318dcd2aba1126cde36e3bfe1aa5cb07700aeeee9889")
        XCTAssertEqual(mobilenet.weightFormat, .pytorchLegacy)
        XCTAssertEqual(catalog.entry(size: 230_444, sha256: "2C3C1D144BFA61AD236E92E169C13535C880469A12A047D4E73451F2C059A0EC")?.id,
                       "basic_pitch_icassp2022")
        XCTAssertThrowsError(try catalog.entry("resnet50")) { error in
            XCTAssertTrue("\(error)".contains("known: mobilenet_v2, basic_pitch_icassp2022, swift_f0, beatnet_1"), "\(error)")
        }
    }

    func testDefaultSearchFindsTheCheckoutAndHonoursMLWBAssets() throws {
        // The test binary lives under .build*/ in the checkout, so walking up finds assets/.
        let found = try CheckpointCatalog.load(environment: [:])
        XCTAssertEqual(found.entries.map(\.id), try CheckpointCatalog.load(path: SharedData.asset("checkpoints.json")).entries.map(\.id))

        let directory = try TemporaryDirectory(prefix: "mlwb-assets")
        defer { directory.remove() }
        let json = #"{"version":1,"checkpoints":[{"id":"x","name":"X","file":"x.safetensors","url":"https://example.org/x","size":4,"sha256":"\#(String(repeating: "a", count: 64))","licence":"MIT","model":"x","format":"safetensors"}]}"#
        _ = FileManager.default.createFile(atPath: directory.file("checkpoints.json"), contents: Data(json.utf8))
        let overridden = try CheckpointCatalog.load(environment: ["MLWB_ASSETS": directory.path])
        XCTAssertEqual(overridden.entries.map(\.id), ["x"])
        XCTAssertEqual(overridden.source, directory.file("checkpoints.json"))

        let candidates = AssetLocator.candidates(for: "checkpoints.json", environment: ["MLWB_ASSETS": "/a"], executable: "/opt/mlwb/bin/mlwb")
        XCTAssertEqual(Array(candidates.prefix(3)), ["/a/checkpoints.json", "/opt/mlwb/bin/assets/checkpoints.json",
                                                     "/opt/mlwb/bin/../share/mlwb/assets/checkpoints.json"])
    }

    func testInvalidEntriesAreRefused() {
        func entry(id: String = "a", file: String = "a.pth", sha: String = String(repeating: "0", count: 64),
                   format: String = "pytorch-zip") -> CheckpointEntry {
            CheckpointEntry(id: id, name: "A", file: file, url: "https://example.org/a", size: 1, sha256: sha,
                            licence: "MIT", model: "a", format: format)
        }
        XCTAssertNoThrow(try CheckpointCatalog(entries: [entry()]))
        for bad in [entry(file: "../escape.pth"), entry(file: "dir/a.pth"), entry(file: ".hidden"), entry(sha: "abc"),
                    entry(id: ""), entry(format: "pickle")] {
            XCTAssertThrowsError(try CheckpointCatalog(entries: [bad]), "\(bad)")
        }
        XCTAssertThrowsError(try CheckpointCatalog(entries: [entry(), entry(file: "b.pth")]))
        XCTAssertThrowsError(try CheckpointCatalog.decode(Array(#"{"version":2,"checkpoints":[]}"#.utf8)))
        XCTAssertThrowsError(try CheckpointCatalog.load(path: "/nonexistent/checkpoints.json"))
    }
}
