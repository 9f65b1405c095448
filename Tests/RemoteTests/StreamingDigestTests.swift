import Foundation
import Media
import Remote
import TestSupport
import XCTest

/// mlwb's one digest type: known vectors, incremental feeding, files across chunk boundaries.
final class StreamingDigestTests: XCTestCase {
    func testKnownVectors() {
        XCTAssertEqual(StreamingDigest.hex(of: Array("abc".utf8)), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(StreamingDigest.hex(of: []), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(StreamingDigest.hex(of: Array("abc".utf8), algorithm: .md5), "900150983cd24fb0d6963f7d28e17f72")
        let sha = StreamingDigest(.sha256)
        sha.update(Array("abc".utf8))
        XCTAssertEqual(sha.hex(), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(sha.hex(), sha.hex(), "hex() copies the state; it can be read twice")
        sha.reset()
        XCTAssertEqual(sha.hex(), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    func testIncrementalEqualsOneShotAndFile() throws {
        let directory = try TemporaryDirectory(prefix: "mlwb-digest")
        defer { directory.remove() }
        var generator = SeededGenerator(seed: 7)
        // Just over 2 MiB so the file hash crosses chunk boundaries.
        let bytes = (0..<(2 * 1_048_576 + 12_345)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        let path = directory.file("blob")
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        let digest = StreamingDigest(.sha256)
        var offset = 0
        for size in [1, 1000, 65_536, 1_000_000, 5] + [Int](repeating: 333_333, count: 10) where offset < bytes.count {
            let end = min(bytes.count, offset + size)
            digest.update(bytes[offset..<end])
            offset = end
        }
        digest.update(bytes[offset...])
        XCTAssertEqual(digest.byteCount, Int64(bytes.count))
        XCTAssertEqual(digest.hex(), StreamingDigest.hex(of: bytes))
        var reported: Int64 = 0
        XCTAssertEqual(try StreamingDigest.hex(file: path) { reported = $0 }, digest.hex())
        XCTAssertEqual(reported, Int64(bytes.count))
        XCTAssertEqual(try StreamingDigest.hex(file: path, algorithm: .md5), StreamingDigest.hex(of: bytes, algorithm: .md5))
        let prefix = StreamingDigest(.sha256)
        XCTAssertEqual(try prefix.update(file: path, limit: 10), 10)
        XCTAssertEqual(prefix.hex(), StreamingDigest.hex(of: Array(bytes.prefix(10))))
    }

    func testRealCheckpointHash() throws {
        let path = try SharedData.require("weights/mobilenet_v2-b0353104.pth")
        XCTAssertEqual(try StreamingDigest.hex(file: path), "b03531047ffacf1e2488318dcd2aba1126cde36e3bfe1aa5cb07700aeeee9889")
    }

    func testMissingFileIsAnError() {
        XCTAssertThrowsError(try StreamingDigest.hex(file: "/nonexistent/mlwb/file")) { error in
            XCTAssertTrue("\(error)".contains("/nonexistent/mlwb/file"), "\(error)")
        }
    }

    func testHexValidation() {
        XCTAssertTrue(StreamingDigest.isValidHex(String(repeating: "aB", count: 32), for: .sha256))
        XCTAssertFalse(StreamingDigest.isValidHex(String(repeating: "a", count: 63), for: .sha256))
        XCTAssertFalse(StreamingDigest.isValidHex(String(repeating: "g", count: 32), for: .md5))
    }
}
