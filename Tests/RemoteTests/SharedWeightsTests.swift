import Foundation
import Remote
import TestSupport
import XCTest

/// A real checkpoint through the loopback server (sendfile), verified by sha256.
final class SharedWeightsTests: RemoteTestCase {
    func testMobileNetV2CheckpointThroughLoopback() throws {
        let source = try SharedData.require("weights/mobilenet_v2-b0353104.pth")
        try server.serve("/weights/mobilenet_v2-b0353104.pth", file: source)
        let store = try TemporaryDirectory(prefix: "mlwb-store")
        defer { store.remove() }
        let expected = "b03531047ffacf1e2488318dcd2aba1126cde36e3bfe1aa5cb07700aeeee9889"
        let request = DownloadRequest(url: server.url("/weights/mobilenet_v2-b0353104.pth"),
                                      destination: store.file("mobilenet_v2-b0353104.pth"), sha256: expected)
        let result = try fetch(request)
        XCTAssertEqual(result.sha256, expected)
        XCTAssertEqual(try StreamingDigest.hex(file: result.path, algorithm: .sha256), expected)
        XCTAssertEqual(store.contents(), ["mobilenet_v2-b0353104.pth"])
    }
}
