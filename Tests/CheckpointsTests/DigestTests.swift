import TestSupport
import XCTest
@testable import Checkpoints

final class DigestTests: XCTestCase {
    func testKnownVectors() {
        XCTAssertEqual(Digest.sha256(Array("abc".utf8)).hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(Digest.sha256([]).hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(Digest.md5(Array("abc".utf8)).hex, "900150983cd24fb0d6963f7d28e17f72")
    }

    func testIncrementalEqualsOneShotAndFile() throws {
        let directory = try TemporaryDirectory(prefix: "mlwb-ckpt")
        defer { directory.remove() }
        var generator = SplitMix(seed: 7)
        // Just over 2 MiB so the file hash crosses chunk boundaries.
        let bytes = (0..<(2 * 1_048_576 + 12_345)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        let path = directory.file("blob")
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        let hasher = DigestHasher(.sha256)
        var offset = 0
        for size in [1, 1000, 65_536, 1_000_000, 5] + [Int](repeating: 333_333, count: 10) where offset < bytes.count {
            let end = min(bytes.count, offset + size)
            hasher.update(bytes[offset..<end])
            offset = end
        }
        hasher.update(bytes[offset...])
        XCTAssertEqual(hasher.byteCount, bytes.count)
        let incremental = hasher.finalize()
        XCTAssertEqual(incremental, Digest.sha256(bytes))
        XCTAssertEqual(try Digest.sha256(file: path), incremental)
        XCTAssertEqual(try Digest.md5(file: path), Digest.md5(bytes))
        XCTAssertEqual(hasher.finalize(), incremental, "finalize is idempotent")
    }

    func testRealCheckpointHash() throws {
        let path = try SharedData.require("weights/mobilenet_v2-b0353104.pth")
        XCTAssertEqual(try Digest.sha256(file: path).hex, "b03531047ffacf1e2488318dcd2aba1126cde36e3bfe1aa5cb07700aeeee9889")
    }

    func testMissingFileIsAnError() {
        XCTAssertThrowsError(try Digest.sha256(file: "/nonexistent/mlwb/file")) { error in
            XCTAssertTrue("\(error)".contains("/nonexistent/mlwb/file"), "\(error)")
        }
    }

    /// Throughput benchmark; run with MLWB_BENCH=1 in a release build:
    /// `MLWB_BENCH=1 swift test -c release --scratch-path .build-ckpt --filter DigestTests/testSHA256Throughput`.
    func testSHA256Throughput() throws {
        guard ProcessInfo.processInfo.environment["MLWB_BENCH"] == "1" else {
            throw XCTSkip("benchmark: set MLWB_BENCH=1 (and use -c release) to measure sha256 throughput")
        }
        let directory = try TemporaryDirectory(prefix: "mlwb-bench")
        defer { directory.remove() }
        let path = directory.file("big.bin")
        let megabytes = Int(ProcessInfo.processInfo.environment["MLWB_BENCH_MB"] ?? "") ?? 1024
        let file = try XCTUnwrap(fopen(path, "wb"))
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        var generator = SplitMix(seed: 1)
        for i in 0..<chunk.count { chunk[i] = UInt8(truncatingIfNeeded: generator.next()) }
        for _ in 0..<megabytes { _ = chunk.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) } }
        fclose(file)
        _ = try Digest.sha256(file: path)  // warm the page cache
        var best = Double.infinity
        for _ in 0..<3 {
            let start = DispatchTime.now().uptimeNanoseconds
            _ = try Digest.sha256(file: path)
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        let rate = Double(megabytes << 20) / best / 1e9
        print(String(format: "sha256 throughput: %.2f GB/s (%d MiB in %.3f s, best of 3, page cache warm)", rate, megabytes, best))
        let md5Start = DispatchTime.now().uptimeNanoseconds
        _ = try Digest.md5(file: path)
        let md5Seconds = Double(DispatchTime.now().uptimeNanoseconds - md5Start) / 1e9
        print(String(format: "md5 throughput: %.2f GB/s", Double(megabytes << 20) / md5Seconds / 1e9))
    }
}
