import Foundation
import TestSupport
import XCTest
@testable import Checkpoints

/// `WeightFile.read(bytes:)`: every weight format parsed straight from bytes, with no catalog entry
/// and no file on disk, giving what `load(path:)` gives (the entry point the fuzz suite uses).
final class WeightFileTests: XCTestCase {
    func testBytesAndPathGiveTheSameTensors() throws {
        for name in ["small_legacy.pt", "small_zip.pt", "nested_zip.pt", "stored.npz", "deflated.npz"] {
            let fromBytes = try WeightFile.read(bytes: try Fixtures.bytes(name), source: name)
            XCTAssertEqual(fromBytes, try WeightFile.load(path: Fixtures.path(name)), name)
            XCTAssertFalse(fromBytes.isEmpty, name)
        }
        for name in ["f4.npy", "i8.npy", "f8_fortran.npy", "scalar.npy"] {
            let fromBytes = try WeightFile.read(bytes: try Fixtures.bytes(name))
            XCTAssertEqual(fromBytes["array"], try NumpyArray.read(path: Fixtures.path(name)), name)
        }
        let dir = try TemporaryDirectory(prefix: "mlwb-weightfile")
        defer { dir.remove() }
        let tensors = StateDict([("w", WeightTensor(shape: [2, 2], floats: [1, 2, 3, 4], dtype: .float32))])
        try Safetensors.write(tensors, to: dir.file("w.safetensors"))
        XCTAssertEqual(try WeightFile.read(bytes: Array(try Data(contentsOf: URL(fileURLWithPath: dir.file("w.safetensors"))))), tensors)
    }

    func testFormatsAreDetectedFromBytes() throws {
        XCTAssertEqual(try WeightFile.detect(bytes: try Fixtures.bytes("small_zip.pt")), .pytorchZip)
        XCTAssertEqual(try WeightFile.detect(bytes: try Fixtures.bytes("stored.npz")), .npz)
        XCTAssertEqual(try WeightFile.detect(bytes: try Fixtures.bytes("small_legacy.pt")), .pytorchLegacy)
        XCTAssertNil(try WeightFile.detect(bytes: Array("hello".utf8)))
    }

    func testBrokenBytesAreCleanErrors() {
        for bytes in [[], [0x80, 0x02], [0x50, 0x4b, 0x03, 0x04, 0, 0], Array("\u{93}NUMPY".utf8), [8, 0, 0, 0, 0, 0, 0, 0, 0x7b]] as [[UInt8]] {
            XCTAssertThrowsError(try WeightFile.read(bytes: bytes, source: "x.bin"), "\(bytes)") { error in
                XCTAssertTrue(error is CheckpointError, "\(error)")
            }
        }
    }
}
