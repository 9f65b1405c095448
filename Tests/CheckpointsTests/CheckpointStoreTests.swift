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
        XCTAssertEqual(try Digest.sha256(file: result.path).hex, mobilenetSHA)
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
        XCTAssertEqual(listing.map(\.entry.id), ["mobilenet_v2", "basic_pitch_icassp2022", "swift_f0"])
        XCTAssertEqual(listing.map(\.status), [.verified, .absent, .absent])
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

    // MARK: Downloader entry point

    func testInstallFromTemporaryFile() throws {
        let source = try SharedData.require("weights/swift-f0-0.3.0.onnx")
        let store = try makeStore()
        try store.prepare()
        let part = try store.partialPath(for: "swift_f0")
        XCTAssertEqual(part, directory.file("home/checkpoints/swift-f0-0.3.0.onnx.part"))

        // A "download" that went wrong: deleted, never installed.
        var bytes = try Fixtures.bytesAt(source)
        bytes[100] ^= 0xff
        _ = FileManager.default.createFile(atPath: part, contents: Data(bytes))
        XCTAssertThrowsError(try store.install(id: "swift_f0", from: part)) { error in
            guard case .checksumMismatch = error as? CheckpointError else { return XCTFail("\(error)") }
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: part))
        XCTAssertEqual(try store.status("swift_f0"), .absent)

        // A good download, hashed while "streaming", goes in without a second read.
        bytes[100] ^= 0xff
        let hasher = DigestHasher(.sha256)
        hasher.update(bytes)
        _ = FileManager.default.createFile(atPath: part, contents: Data(bytes))
        let path = try store.install(id: "swift_f0", from: part, digest: hasher.finalize())
        XCTAssertEqual(path, try store.path(for: "swift_f0"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: part))
        XCTAssertEqual(try store.status("swift_f0"), .verified)

        // A file from elsewhere (another directory) is verified by hashing.
        let other = directory.file("elsewhere.onnx")
        try FileManager.default.copyItem(atPath: source, toPath: other)
        XCTAssertTrue(try store.remove("swift_f0"))
        XCTAssertNoThrow(try store.install(id: "swift_f0", from: other))
        XCTAssertEqual(try store.verify("swift_f0", force: true), .verified)
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

final class CheckpointStoreEnsureTests: XCTestCase {
    func testEnsureFetchesOnceThenUsesTheStore() async throws {
        let source = try SharedData.require("weights/basic-pitch-icassp2022-nmp.onnx")
        let directory = try TemporaryDirectory(prefix: "mlwb-store")
        defer { directory.remove() }
        let catalog = try CheckpointCatalog.load(path: SharedData.asset("checkpoints.json"))
        let store = CheckpointStore(root: directory.path, catalog: catalog)

        do {
            _ = try await store.ensure("basic_pitch_icassp2022")
            XCTFail("expected notInstalled")
        } catch let error as CheckpointError {
            XCTAssertTrue("\(error)".contains("mlwb checkpoints get basic_pitch_icassp2022"), "\(error)")
        }

        let calls = Counter()
        let fetcher: CheckpointFetcher = { entry, partial in
            calls.increment()
            XCTAssertEqual(entry.id, "basic_pitch_icassp2022")
            try FileManager.default.copyItem(atPath: source, toPath: partial)
            return nil
        }
        let path = try await store.ensure("basic_pitch_icassp2022", fetch: fetcher)
        XCTAssertEqual(path, directory.path + "/checkpoints/basic-pitch-icassp2022-nmp.onnx")
        let again = try await store.ensure("basic_pitch_icassp2022", fetch: fetcher)
        XCTAssertEqual(again, path)
        XCTAssertEqual(calls.value, 1)
        XCTAssertEqual(try store.status("basic_pitch_icassp2022"), .verified)
    }
}

/// A thread-safe call counter for fetcher closures.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    var value: Int { lock.lock(); defer { lock.unlock() }; return count }
    func increment() { lock.lock(); count += 1; lock.unlock() }
}
