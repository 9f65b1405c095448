import Remote
import TestSupport
import XCTest
@testable import Checkpoints

final class CheckpointStoreTests: XCTestCase {
    private let mobilenetSHA = "b03531047ffacf1e2488318dcd2aba1126cde36e3bfe1aa5cb07700aeeee9889"
    private var directory: TemporaryDirectory!

    override func setUpWithError() throws {
        directory = try TemporaryDirectory(prefix: "mlwb-store")
    }

    override func tearDown() {
        directory.remove()
    }

    private func makeStore() throws -> CheckpointStore {
        let catalog = try CheckpointCatalog.load(path: SharedData.asset("checkpoints.json"))
        return CheckpointStore(catalog: catalog, environment: ["MLWB_HOME": directory.file("home")])
    }

    // MARK: Root

    func testDefaultRoot() {
        XCTAssertEqual(CheckpointStore.defaultRoot(environment: ["MLWB_HOME": "/m", "XDG_CACHE_HOME": "/x", "HOME": "/h"]), "/m")
        XCTAssertEqual(CheckpointStore.defaultRoot(environment: ["MLWB_HOME": "", "XDG_CACHE_HOME": "/x", "HOME": "/h"]), "/x/mlwb")
        XCTAssertEqual(CheckpointStore.defaultRoot(environment: ["HOME": "/h"]), "/h/.cache/mlwb")
    }

    // MARK: Import of the real checkpoint

    func testImportRealCheckpointVerifiesAndSkipsReverification() throws {
        let source = try SharedData.require("weights/mobilenet_v2-b0353104.pth")
        let store = try makeStore()
        XCTAssertEqual(try store.status("mobilenet_v2"), .absent)

        let result = try store.importFile(source)
        XCTAssertEqual(result.entry.id, "mobilenet_v2")
        XCTAssertFalse(result.alreadyPresent)
        XCTAssertEqual(result.path, directory.file("home/checkpoints/mobilenet_v2-b0353104.pth"))
        XCTAssertEqual(try store.path(for: "mobilenet_v2"), result.path)
        XCTAssertEqual(try StreamingDigest.hex(file: result.path), mobilenetSHA)
        XCTAssertEqual(try store.status("mobilenet_v2"), .verified)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: store.directory).filter { $0.hasSuffix(".tmp") }
        XCTAssertEqual(leftovers, [])

        // The stored file loads as a state dict.
        XCTAssertEqual(try WeightFile.load(path: result.path).count, 314)

        // Verification is remembered: verify returns without hashing (proved by a progress callback never firing).
        var hashed = 0
        XCTAssertEqual(try store.verify("mobilenet_v2") { hashed = $0 }, .verified)
        XCTAssertEqual(hashed, 0)
        XCTAssertEqual(try store.verify("mobilenet_v2", force: true) { hashed = $0 }, .verified)
        XCTAssertEqual(hashed, 14_212_972)

        // Importing again (by explicit id) finds the verified copy.
        XCTAssertTrue(try store.importFile(source, id: "mobilenet_v2").alreadyPresent)
        // Importing the stored file itself verifies it in place.
        XCTAssertTrue(try store.importFile(result.path).alreadyPresent)

        let listing = store.list()
        XCTAssertEqual(listing.map(\.entry.id), store.catalog.entries.map(\.id))
        XCTAssertEqual(listing.map(\.status), [.verified] + [CheckpointStatus](repeating: .absent, count: store.catalog.entries.count - 1))
        XCTAssertEqual(store.unknownFiles(), [])

        // A change to the file (same size) invalidates the marker; verification then finds it corrupt.
        try flipByte(in: result.path, at: 5_000_000)
        XCTAssertEqual(try store.status("mobilenet_v2"), .presentUnverified)
        guard case .corrupt(let reason) = try store.verify("mobilenet_v2") else { return XCTFail("expected corrupt") }
        XCTAssertTrue(reason.contains("expected \(mobilenetSHA)"), reason)
        guard case .corrupt = try store.status("mobilenet_v2") else { return XCTFail("corrupt state is remembered") }

        XCTAssertTrue(try store.remove("mobilenet_v2"))
        XCTAssertEqual(try store.status("mobilenet_v2"), .absent)
        XCTAssertFalse(try store.remove("mobilenet_v2"))
    }

    func testCorruptedCopyIsRefused() throws {
        let source = try SharedData.require("weights/mobilenet_v2-b0353104.pth")
        let store = try makeStore()
        let corrupted = directory.file("mobilenet_v2-b0353104.pth")
        try FileManager.default.copyItem(atPath: source, toPath: corrupted)
        try flipByte(in: corrupted, at: 1_234_567)

        // Identified by size, refused by hash, with expected and actual sha256 in the message.
        XCTAssertThrowsError(try store.importFile(corrupted)) { error in
            guard case .checksumMismatch(let id, _, let expected, let actual)? = error as? CheckpointError else {
                return XCTFail("\(error)")
            }
            XCTAssertEqual(id, "mobilenet_v2")
            XCTAssertEqual(expected, self.mobilenetSHA)
            XCTAssertNotEqual(actual, self.mobilenetSHA)
            XCTAssertTrue("\(error)".contains(expected) && "\(error)".contains(actual), "\(error)")
        }
        XCTAssertEqual(try store.status("mobilenet_v2"), .absent)
        let left = (try? FileManager.default.contentsOfDirectory(atPath: store.directory)) ?? []
        XCTAssertEqual(left.filter { !$0.hasPrefix(".verified") }, [], "nothing left in the store")

        // A truncated copy is refused by size before any copying.
        let truncated = directory.file("short.pth")
        _ = FileManager.default.createFile(atPath: truncated, contents: Data(try Fixtures.bytesAt(source).prefix(1000)))
        XCTAssertThrowsError(try store.importFile(truncated, id: "mobilenet_v2")) { error in
            XCTAssertEqual(error as? CheckpointError,
                           .sizeMismatch(id: "mobilenet_v2", path: truncated, expected: 14_212_972, actual: 1000))
        }
        // An unknown file is not in the catalog.
        XCTAssertThrowsError(try store.importFile(truncated)) { error in
            guard case .notInCatalog(_, 1000, let sha)? = error as? CheckpointError else { return XCTFail("\(error)") }
            XCTAssertEqual(sha?.count, 64)
        }
    }

    func testUnknownIDAndStrayFiles() throws {
        let store = try makeStore()
        XCTAssertThrowsError(try store.path(for: "nope")) { error in
            XCTAssertTrue("\(error)".contains("unknown checkpoint 'nope'"), "\(error)")
        }
        try store.prepare()
        _ = FileManager.default.createFile(atPath: store.directory + "/old-model.pth", contents: Data([1, 2, 3]))
        XCTAssertEqual(store.unknownFiles(), ["old-model.pth"])
    }

    // MARK: Helpers

    private func flipByte(in path: String, at offset: UInt64) throws {
        let handle = try XCTUnwrap(FileHandle(forUpdatingAtPath: path))
        defer { try? handle.close() }
        try handle.seek(toOffset: offset)
        let byte = try XCTUnwrap(handle.readData(ofLength: 1).first)
        try handle.seek(toOffset: offset)
        handle.write(Data([byte ^ 0x5a]))
    }
}

/// The one download path for checkpoints (`CheckpointStore.download`), against a real HTTP server on loopback.
final class CheckpointDownloadTests: XCTestCase {
    private var directory: TemporaryDirectory!
    private var server: LoopbackHTTPServer!

    override func setUpWithError() throws {
        directory = try TemporaryDirectory(prefix: "mlwb-download")
        server = try LoopbackHTTPServer()
    }

    override func tearDown() {
        server.stop()
        directory.remove()
    }

    /// A store whose one entry is the real SwiftF0 model, published at `url`.
    private func store(url: String) throws -> (CheckpointStore, String) {
        let source = try SharedData.require("weights/swift-f0-0.3.0.onnx")
        let sha = try StreamingDigest.hex(file: source)
        let size = try XCTUnwrap(try FileManager.default.attributesOfItem(atPath: source)[.size] as? Int)
        let entry = CheckpointEntry(id: "swift_f0", name: "SwiftF0", file: "swift-f0-0.3.0.onnx", url: url, size: size, sha256: sha,
                                    licence: "MIT", model: "swift-f0", format: "onnx")
        return (CheckpointStore(root: directory.file("home"), catalog: try CheckpointCatalog(entries: [entry])), source)
    }

    func testDownloadVerifiesWhileStreamingAndFetchesOnce() async throws {
        let (store, source) = try store(url: server.url("/models/swift-f0-0.3.0.onnx"))
        try server.serve("/models/swift-f0-0.3.0.onnx", file: source)

        let first = try await store.download("swift_f0", options: DownloadOptions())
        XCTAssertTrue(first.fetched)
        XCTAssertEqual(first.path, directory.file("home/checkpoints/swift-f0-0.3.0.onnx"))
        // Recorded as verified from the digest computed during the transfer: `status` (which never hashes) says so.
        XCTAssertEqual(try store.status("swift_f0"), .verified)
        XCTAssertFalse(FileManager.default.fileExists(atPath: first.path + ".part"))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: store.directory).filter { !$0.hasPrefix(".") },
                       ["swift-f0-0.3.0.onnx"], "no .part, .part.part or lock files are left")

        let second = try await store.download("swift_f0", options: DownloadOptions())
        XCTAssertFalse(second.fetched)
        XCTAssertEqual(server.requests(for: "/models/swift-f0-0.3.0.onnx").count, 1, "a verified checkpoint is not fetched again")
    }

    func testDownloadUsesTheMirrorFromTheEnvironment() async throws {
        // The canonical URL is unreachable; MLWB_MIRROR (a base URL) has the file by name.
        let (store, source) = try store(url: "http://127.0.0.1:9/unreachable/swift-f0-0.3.0.onnx")
        try server.serve("/mirror/swift-f0-0.3.0.onnx", file: source)
        let options = DownloadOptions.from(environment: ["MLWB_MIRROR": server.url("/mirror"), "MLWB_OFFLINE": "1"])
        let result = try await store.download("swift_f0", options: options)
        XCTAssertTrue(result.source.contains("/mirror/"), result.source)
        XCTAssertEqual(try store.status("swift_f0"), .verified)
    }

    func testOfflineWithoutAMirrorFailsWithoutTouchingTheNetwork() async throws {
        let (store, _) = try store(url: server.url("/models/swift-f0-0.3.0.onnx"))
        do {
            _ = try await store.download("swift_f0", options: DownloadOptions.from(environment: ["MLWB_OFFLINE": "1"]))
            XCTFail("expected an offline error")
        } catch let error as RemoteError {
            guard case .offline = error else { return XCTFail("\(error)") }
        }
        XCTAssertTrue(server.requests.isEmpty)
        XCTAssertEqual(try store.status("swift_f0"), .absent)
    }

    func testCorruptBytesNeverReachTheFinalName() async throws {
        let (store, source) = try store(url: server.url("/bad.onnx"))
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: source)))
        bytes[1000] ^= 0xff
        server.serve("/bad.onnx", bytes: bytes)
        do {
            _ = try await store.download("swift_f0", options: DownloadOptions(retry: RetryPolicy(maxAttempts: 1)))
            XCTFail("expected a checksum mismatch")
        } catch let error as RemoteError {
            guard case .checksumMismatch = error else { return XCTFail("\(error)") }
        }
        XCTAssertEqual(try store.status("swift_f0"), .absent)
        XCTAssertFalse(FileManager.default.fileExists(atPath: try store.path(for: "swift_f0")))
    }

    func testACorruptStoredCopyIsReplaced() async throws {
        let (store, source) = try store(url: server.url("/models/swift-f0-0.3.0.onnx"))
        try server.serve("/models/swift-f0-0.3.0.onnx", file: source)
        _ = try await store.download("swift_f0", options: DownloadOptions())
        // Damage the stored copy in place (same size), as a bad disk would.
        let path = try store.path(for: "swift_f0")
        let handle = try XCTUnwrap(FileHandle(forUpdatingAtPath: path))
        try handle.seek(toOffset: 500)
        handle.write(Data([0x42, 0x42]))
        try handle.close()
        XCTAssertNotEqual(try store.verify("swift_f0", force: true), .verified)
        let again = try await store.download("swift_f0", options: DownloadOptions())
        XCTAssertTrue(again.fetched)
        XCTAssertEqual(try store.verify("swift_f0", force: true), .verified)
    }
}
