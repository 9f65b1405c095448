import Checkpoints
import Foundation
import TestSupport
import XCTest

/// PyTorch (legacy stream and zip, through the restricted unpickler), safetensors, npy and npz,
/// parsed straight from bytes by `WeightFile.read(bytes:)`: no catalog entry is needed to reach them.
final class WeightFuzzTests: XCTestCase {
    static func fixture(_ name: String) throws -> [UInt8] {
        try FuzzHarness.projectFile("Tests/CheckpointsTests/Fixtures/\(name)")
    }

    /// The parse under test: detection, parsing, and reading every tensor's values.
    static func parse(_ bytes: [UInt8]) throws {
        let tensors = try WeightFile.read(bytes: bytes, source: "mutant")
        for (_, tensor) in tensors { _ = tensor.count }
    }

    func testMutatedLegacyPyTorch() throws {
        FuzzHarness.run("pth-legacy", seeds: [try Self.fixture("small_legacy.pt")], seed: 0x50544C) { bytes, _ in try Self.parse(bytes) }
    }

    func testMutatedZipPyTorch() throws {
        FuzzHarness.run("pth-zip", seeds: [try Self.fixture("small_zip.pt"), try Self.fixture("nested_zip.pt")], seed: 0x50545A) { bytes, _ in
            try Self.parse(bytes)
        }
    }

    func testMutatedSafetensors() throws {
        let dir = try TemporaryDirectory(prefix: "mlwb-fuzz-st")
        defer { dir.remove() }
        var tensors = StateDict([("conv.weight", WeightTensor(shape: [2, 1, 2, 2], floats: (0..<8).map(Float.init), dtype: .float32)),
                                 ("conv.bias", WeightTensor(shape: [2], floats: [1, -1], dtype: .float16)),
                                 ("steps", WeightTensor(shape: [], integers: [7], dtype: .int64))])
        tensors.metadata = ["format": "pt"]
        try Safetensors.write(tensors, to: dir.file("seed.safetensors"))
        let seed = Array(try Data(contentsOf: URL(fileURLWithPath: dir.file("seed.safetensors"))))
        FuzzHarness.run("safetensors", seeds: [seed], seed: 0x5354) { bytes, _ in try Self.parse(bytes) }
    }

    func testMutatedNumpy() throws {
        let npy = try ["f4.npy", "f8_fortran.npy", "i4_be.npy", "v2.npy", "scalar.npy", "object.npy"].map(Self.fixture)
        FuzzHarness.run("npy", seeds: npy, seed: 0x4E5059) { bytes, _ in try Self.parse(bytes) }
        FuzzHarness.run("npz", seeds: [try Self.fixture("stored.npz"), try Self.fixture("deflated.npz")], seed: 0x4E505A) { bytes, _ in
            try Self.parse(bytes)
        }
    }
}
