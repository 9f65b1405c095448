@testable import Remote
import TestSupport
import XCTest

/// The hashing thread gives the same digests as hashing inline, whatever the chunking.
final class BackgroundDigesterTests: RemoteTestCase {
    func testChunkedBackgroundHashMatchesOneShotHash() {
        let bytes = payload(3_000_000, seed: 7)
        let digester = BackgroundDigester(algorithms: [.sha256, .md5])
        var offset = 0, step = 1
        bytes.withUnsafeBytes { raw in
            while offset < bytes.count {
                // Chunks from 1 byte to ~600 kB, more than the queue holds, so the writer must wait.
                let n = min(step, bytes.count - offset)
                digester.update(raw.baseAddress! + offset, count: n)
                offset += n
                step = step * 3 % 600_001 + 1
            }
        }
        XCTAssertEqual(digester.hex(.sha256), sha256(bytes))
        XCTAssertEqual(digester.hex(.md5), md5(bytes))
    }

    func testResetStartsOverAfterQueuedChunks() {
        let first = payload(1_000_000, seed: 1), second = payload(200_000, seed: 2)
        let digester = BackgroundDigester(algorithms: [.sha256])
        first.withUnsafeBytes { raw in
            for start in stride(from: 0, to: first.count, by: 65_536) {
                digester.update(raw.baseAddress! + start, count: min(65_536, first.count - start))
            }
        }
        digester.reset()
        second.withUnsafeBytes { digester.update($0.baseAddress!, count: $0.count) }
        XCTAssertEqual(digester.hex(.sha256), sha256(second))
        XCTAssertNil(digester.hex(.md5), "md5 was not asked for")
    }

    func testNoAlgorithmsNeedsNoThread() {
        let digester = BackgroundDigester(algorithms: [])
        [UInt8](repeating: 1, count: 10).withUnsafeBytes { digester.update($0.baseAddress!, count: 10) }
        XCTAssertNil(digester.hex(.sha256))
    }
}
