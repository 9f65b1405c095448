import Foundation
import XCTest
import TestSupport
import Remote
@testable import Datasets

/// `DatasetStore.get` end to end: a generated dataset zip served by a loopback HTTP server,
/// downloaded through the Remote module, checked, extracted and validated.
final class GetEndToEndTests: XCTestCase {
    private var temp: TemporaryDirectory!
    private var server: LoopbackHTTPServer!

    override func setUpWithError() throws {
        temp = try TemporaryDirectory(prefix: "mlwb-get")
        server = try LoopbackHTTPServer()
    }

    override func tearDown() {
        server.stop()
        temp.remove()
    }

    private var downloader: RemoteDatasetDownloader {
        RemoteDatasetDownloader(options: DownloadOptions(retry: RetryPolicy(maxAttempts: 2, baseDelay: 0.05, maxDelay: 0.1),
                                                         connectTimeout: 5, stallTimeout: 5))
    }

    /// Collects events from any thread.
    private final class EventLog: @unchecked Sendable {
        private let lock = NSLock()
        private var events: [DatasetEvent] = []
        func add(_ event: DatasetEvent) { lock.lock(); events.append(event); lock.unlock() }
        var all: [DatasetEvent] { lock.lock(); defer { lock.unlock() }; return events }
    }

    func testGetDownloadsExtractsAndVerifies() async throws {
        let zip = temp.file("served.zip")
        try MiniDataset.zip(to: zip)
        try server.serve("/data/mir1k-mini.zip", file: zip)
        let entry = try MiniDataset.entry(url: server.url("/data/mir1k-mini.zip"))
        let store = DatasetStore(root: temp.file("home"), catalog: try DatasetCatalog(entries: [entry]))
        let log = EventLog()

        let report = try await store.get("mir1k-mini", downloader: downloader) { log.add($0) }
        XCTAssertTrue(report.isClean, "\(report)")
        XCTAssertEqual(try store.status("mir1k-mini"), .verified)
        // The file, then the length check (no checksum is published): a request for the bytes after its end.
        XCTAssertEqual(server.requests(for: "/data/mir1k-mini.zip").map { $0.header("Range") ?? "" },
                       ["", "bytes=\(FileTree.size(zip) ?? 0)-"])
        let recorded = try XCTUnwrap(store.recordedChecksums("mir1k-mini").files["mir1k-mini.zip"])
        XCTAssertEqual(recorded.sha256, try StreamingDigest.hex(file: zip))
        XCTAssertEqual(recorded.origin, "first-download")
        XCTAssertEqual(try String(contentsOfFile: store.dataFolder("mir1k-mini") + "/MIR-1K-mini/Readme.txt", encoding: .utf8),
                       MiniDataset.readme)
        let events = log.all
        XCTAssertTrue(events.contains { if case .download = $0 { return true }; return false })
        XCTAssertTrue(events.contains { if case .extraction(let p) = $0 { return p.finished && p.entries == MiniDataset.files.count }; return false })

        // A second get fetches nothing and keeps the verified tree.
        let again = try await store.get("mir1k-mini", downloader: downloader)
        XCTAssertTrue(again.isClean)
        XCTAssertEqual(server.requests(for: "/data/mir1k-mini.zip").count, 2)

        // A kept download that no longer matches its recorded digest is refused before extraction.
        let kept = store.downloadsFolder("mir1k-mini") + "/mir1k-mini.zip"
        var bytes = try Array(Data(contentsOf: URL(fileURLWithPath: kept)))
        bytes[10] ^= 0xff
        try Data(bytes).write(to: URL(fileURLWithPath: kept))
        do {
            try await store.get("mir1k-mini", downloader: downloader, force: true)
            XCTFail("expected a checksum mismatch")
        } catch let error as DatasetError {
            guard case .checksumMismatch(let path, _, let expected, _) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(path, kept)
            XCTAssertEqual(expected, recorded.sha256)
        }

        XCTAssertTrue(try store.remove("mir1k-mini"))
        XCTAssertEqual(try store.status("mir1k-mini"), .absent)
    }

    func testGetStopsAtExtractionLimitsAndLeavesNoData() async throws {
        let zip = temp.file("bomb.zip")
        try ArchiveFixtures.zipBomb(zip, entry: "MIR-1K-mini/Wavfile/zeros.wav", megabytes: 16)
        try server.serve("/bomb.zip", file: zip)
        let entry = try MiniDataset.entry(url: server.url("/bomb.zip"))
        let store = DatasetStore(root: temp.file("home"), catalog: try DatasetCatalog(entries: [entry]))
        let limits = ExtractionLimits(maxTotalBytes: 4 << 20, maxEntries: 100, maxCompressionRatio: 1e9, ratioGraceBytes: 0)
        do {
            try await store.get("mir1k-mini", downloader: downloader, limits: limits)
            XCTFail("expected the size limit to stop extraction")
        } catch let error as DatasetError {
            guard case .limitExceeded(_, let name, _) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(name, "MIR-1K-mini/Wavfile/zeros.wav")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: store.dataFolder("mir1k-mini")))
        XCTAssertEqual(try store.status("mir1k-mini"), .downloaded)
        XCTAssertEqual(FileTree.entries(of: store.folder("mir1k-mini")).filter { $0.contains("staging") }, [])
    }

    func testStaleStagingFoldersOfDeadProcessesAreRemoved() async throws {
        let zip = temp.file("served.zip")
        try MiniDataset.zip(to: zip)
        try server.serve("/data/mir1k-mini.zip", file: zip)
        let entry = try MiniDataset.entry(url: server.url("/data/mir1k-mini.zip"))
        let store = DatasetStore(root: temp.file("home"), catalog: try DatasetCatalog(entries: [entry]))
        // A killed extraction left its staging folder; pid 1 (always alive) owns another one.
        let dead = try Self.deadProcessID()
        let folder = store.folder("mir1k-mini")
        let stale = folder + "/.data.staging-\(dead)-abc123", live = folder + "/.data.staging-1-def456"
        let staleOld = folder + "/.data.old-\(dead)-xyz"
        for path in [stale, live, staleOld] {
            try FileManager.default.createDirectory(atPath: path + "/MIR-1K-mini", withIntermediateDirectories: true)
            try Data(count: 1000).write(to: URL(fileURLWithPath: path + "/MIR-1K-mini/big.wav"))
        }
        XCTAssertEqual(try store.status("mir1k-mini"), .partial(detail: "interrupted extraction"))
        let report = try await store.get("mir1k-mini", downloader: downloader)
        XCTAssertTrue(report.isClean, "\(report)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: stale), "the dead process's staging folder stays")
        XCTAssertFalse(FileManager.default.fileExists(atPath: staleOld))
        XCTAssertTrue(FileManager.default.fileExists(atPath: live), "a live process's staging folder was removed")
    }

    /// The id of a process that has exited (and been reaped).
    static func deadProcessID() throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/true")
        try process.run()
        process.waitUntilExit()
        return process.processIdentifier
    }

    func testManualDatasetExplainsWhereToGetIt() async throws {
        let store = DatasetStore(root: temp.file("home"), catalog: try DatasetCatalog(entries: [try MiniDataset.entry(manual: true)]))
        do {
            try await store.get("mir1k-mini", downloader: downloader)
            XCTFail("manual datasets cannot be fetched")
        } catch let error as DatasetError {
            guard case .manualOnly(_, let text) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(text.contains(store.dataFolder("mir1k-mini")), text)
            XCTAssertTrue(text.contains("mlwb datasets verify mir1k-mini"), text)
        }
        XCTAssertEqual(server.requests.count, 0)
    }

    func testServerErrorBecomesDownloadFailure() async throws {
        server.route("/missing.zip") { _ in .text("not here", status: 404) }
        let entry = try MiniDataset.entry(url: server.url("/missing.zip"))
        let store = DatasetStore(root: temp.file("home"), catalog: try DatasetCatalog(entries: [entry]))
        do {
            try await store.get("mir1k-mini", downloader: downloader)
            XCTFail("expected a download failure")
        } catch let error as DatasetError {
            guard case .downloadFailed(let id, let file, _) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(id, "mir1k-mini")
            XCTAssertEqual(file, "mir1k-mini.zip")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: store.downloadsFolder("mir1k-mini") + "/mir1k-mini.zip"))
    }
}
