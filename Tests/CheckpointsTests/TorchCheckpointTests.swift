import TestSupport
import XCTest
@testable import Checkpoints

final class TorchCheckpointTests: XCTestCase {
    // MARK: Real MobileNetV2 (legacy stream)

    func testMobileNetV2LegacyFile() throws {
        let path = try SharedData.require("weights/mobilenet_v2-b0353104.pth")
        let checkpoint = try TorchCheckpoint.read(path: path)
        XCTAssertEqual(checkpoint.container, .legacy)
        let dict = try checkpoint.stateDict()
        // Values printed by PyTorch 2.13 (torch.load(..., weights_only=True)).
        XCTAssertEqual(dict.count, 314)
        XCTAssertEqual(dict.parameterCount, 3_539_036)
        XCTAssertEqual(dict.names.first, "features.0.0.weight")
        XCTAssertEqual(Array(dict.names.suffix(3)), ["features.18.1.num_batches_tracked", "classifier.1.weight", "classifier.1.bias"])

        let conv = try XCTUnwrap(dict["features.0.0.weight"])
        XCTAssertEqual(conv.shape, [32, 3, 3, 3])
        XCTAssertEqual(conv.dtype, .float32)
        XCTAssertEqual(Array(conv.floats[0..<3]), [0.013185339979827404, -0.004321294371038675, 0.014823135919868946])
        XCTAssertEqual(conv.floats[31 * 27 + 2 * 9 + 2 * 3 + 2], 0.10798239707946777)

        let fc = try XCTUnwrap(dict["classifier.1.weight"])
        XCTAssertEqual(fc.shape, [1000, 1280])
        XCTAssertEqual(Array(fc.floats[0..<3]), [-0.031177138909697533, 0.08958731591701508, -0.07481194287538528])
        XCTAssertEqual(fc.floats[999 * 1280 + 1279], -0.02534809149801731)
        XCTAssertEqual(Array(try XCTUnwrap(dict["classifier.1.bias"]).floats[0..<3]),
                       [0.04718802496790886, 0.00994938239455223, -0.03339512273669243])
        XCTAssertEqual(Array(try XCTUnwrap(dict["features.18.1.running_var"]).floats[0..<2]),
                       [0.017886118963360786, 0.019175060093402863])

        let tracked = try XCTUnwrap(dict["features.0.1.num_batches_tracked"])
        XCTAssertEqual(tracked.shape, [])
        XCTAssertEqual(tracked.dtype, .int64)
        XCTAssertEqual(tracked.integers, [1_431_430])

        XCTAssertEqual(try WeightFile.detect(path: path), .pytorchLegacy)
    }

    // MARK: Generated fixtures (zip and legacy, same content)

    func testZipFixture() throws {
        let checkpoint = try TorchCheckpoint.read(path: Fixtures.path("small_zip.pt"))
        XCTAssertEqual(checkpoint.container, .zip)
        try checkSmallFixture(try checkpoint.stateDict())
        XCTAssertEqual(try WeightFile.detect(path: Fixtures.path("small_zip.pt")), .pytorchZip)
    }

    func testLegacyFixture() throws {
        let checkpoint = try TorchCheckpoint.read(path: Fixtures.path("small_legacy.pt"))
        XCTAssertEqual(checkpoint.container, .legacy)
        try checkSmallFixture(try checkpoint.stateDict())
    }

    private func checkSmallFixture(_ dict: StateDict) throws {
        XCTAssertEqual(dict.names, ["conv.weight", "conv.weight_t", "row", "half", "bf16", "double", "ints", "i32",
                                    "flags", "bn.num_batches_tracked", "empty"])
        let base: [Float] = (0..<12).map { Float($0) / 4 - 1 }
        XCTAssertEqual(dict["conv.weight"], WeightTensor(shape: [3, 4], floats: base))
        // Transposed view of the same storage (strides (1, 4)).
        let transposed = (0..<4).flatMap { c in (0..<3).map { r in base[r * 4 + c] } }
        XCTAssertEqual(dict["conv.weight_t"], WeightTensor(shape: [4, 3], floats: transposed))
        // Offset view (storage offset 4).
        XCTAssertEqual(dict["row"], WeightTensor(shape: [4], floats: [0, 0.25, 0.5, 0.75]))
        XCTAssertEqual(dict["half"], WeightTensor(shape: [4], floats: [1.5, -2.25, 65504, 6.103515625e-05], dtype: .float16))
        XCTAssertEqual(dict["bf16"], WeightTensor(shape: [3], floats: [1.0, -3.5, 0.10009765625], dtype: .bfloat16))
        XCTAssertEqual(dict["double"], WeightTensor(shape: [1, 2], floats: [Float(1.0 / 3), -2.5], dtype: .float64))
        XCTAssertEqual(dict["ints"], WeightTensor(shape: [3], integers: [-7, 0, 1 << 40]))
        XCTAssertEqual(dict["i32"], WeightTensor(shape: [2], integers: [3, -4], dtype: .int32))
        XCTAssertEqual(dict["flags"], WeightTensor(shape: [3], integers: [1, 0, 1], dtype: .bool))
        XCTAssertEqual(dict["bn.num_batches_tracked"], WeightTensor(shape: [], integers: [42]))
        XCTAssertEqual(dict["empty"], WeightTensor(shape: [0, 5], floats: []))
    }

    func testNestedCheckpointIsFlattened() throws {
        let dict = try WeightFile.load(path: Fixtures.path("nested_zip.pt"))
        XCTAssertEqual(dict.names, ["model.fc.weight", "model.fc.bias"])
        XCTAssertEqual(dict["model.fc.weight"], WeightTensor(shape: [2, 2], floats: [1, 1, 1, 1]))
    }

    // MARK: Damaged files

    // MARK: Real BeatNet state dict (zip; eight LSTM tensors are views into one storage)

    /// BeatNet's eight LSTM tensors share storage 4 at element offsets 0, 90000, … 361800 (cuDNN layout):
    /// each must come out as its own slice of the raw storage bytes.
    func testBeatNetViewsHonourStorageOffsets() throws {
        let path = try SharedData.require("weights/beatnet-model1-weights.pt")
        let dict = try TorchCheckpoint.read(path: path).stateDict()
        XCTAssertEqual(dict.count, 14)
        let raw = try ZipReader.entries(path: path, format: "PyTorch", limit: 1 << 24) { $0.hasSuffix("/data/4") }
        XCTAssertEqual(raw.count, 1)
        let storage = raw[0].bytes.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
        XCTAssertEqual(storage.count, 362_400)
        let views: [(String, [Int], Int)] = [
            ("lstm.weight_ih_l0", [600, 150], 0), ("lstm.weight_hh_l0", [600, 150], 90_000),
            ("lstm.weight_ih_l1", [600, 150], 180_000), ("lstm.weight_hh_l1", [600, 150], 270_000),
            ("lstm.bias_ih_l0", [600], 360_000), ("lstm.bias_hh_l0", [600], 360_600),
            ("lstm.bias_ih_l1", [600], 361_200), ("lstm.bias_hh_l1", [600], 361_800),
        ]
        for (name, shape, offset) in views {
            let t = try XCTUnwrap(dict[name], name)
            XCTAssertEqual(t.shape, shape, name)
            XCTAssertEqual(t.floats, Array(storage[offset..<(offset + t.count)]), "\(name) must start at element \(offset)")
        }
        XCTAssertNotEqual(dict["lstm.bias_ih_l0"]?.floats, dict["lstm.bias_hh_l0"]?.floats)
        XCTAssertEqual(dict["conv1.weight"]?.shape, [2, 1, 10])
        XCTAssertEqual(dict["linear.weight"]?.shape, [3, 150])
    }

    func testTruncatedLegacyFileIsAnError() throws {
        let bytes = try Fixtures.bytes("small_legacy.pt")
        for cut in [0, 1, 10, 100, bytes.count / 2, bytes.count - 1] {
            XCTAssertThrowsError(try TorchCheckpoint.readLegacy(bytes: Array(bytes.prefix(cut))).stateDict(), "cut \(cut)")
        }
    }

    func testTruncatedZipFileIsAnError() throws {
        let directory = try TemporaryDirectory(prefix: "mlwb-ckpt")
        defer { directory.remove() }
        let bytes = try Fixtures.bytes("small_zip.pt")
        let path = directory.file("cut.pt")
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes.prefix(bytes.count / 2)))
        XCTAssertThrowsError(try TorchCheckpoint.read(path: path).stateDict()) { error in
            XCTAssertTrue("\(error)".contains(path), "\(error)")
        }
    }

    func testStorageViewOutOfBoundsIsAnError() throws {
        let storage = TorchStorageReference(key: "0", dtype: .float32, location: "cpu", count: 4, viewOffset: 0)
        let blob = [UInt8](repeating: 0, count: 16)
        let checkpoint = TorchCheckpoint(container: .zip, root: .none,
                                         storages: ["0": .init(bytes: blob, start: 0, count: 4, dtype: .float32)])
        XCTAssertNoThrow(try checkpoint.tensor(TorchTensorReference(storage: storage, offset: 0, shape: [2, 2], strides: [2, 1])))
        XCTAssertThrowsError(try checkpoint.tensor(TorchTensorReference(storage: storage, offset: 1, shape: [2, 2], strides: [2, 1])))
        XCTAssertThrowsError(try checkpoint.tensor(TorchTensorReference(storage: storage, offset: 0, shape: [1 << 40, 1 << 40], strides: [1, 1])))
        XCTAssertThrowsError(try checkpoint.tensor(TorchTensorReference(storage: storage, offset: 0, shape: [-1], strides: [1])))
    }
}
