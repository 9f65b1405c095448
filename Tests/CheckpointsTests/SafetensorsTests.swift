import TestSupport
import XCTest
@testable import Checkpoints

final class SafetensorsTests: XCTestCase {
    private func sample() -> StateDict {
        var dict = StateDict([
            ("conv.weight", WeightTensor(shape: [2, 3], floats: [1, -2, 3.5, 0, 1e-7, -1e30])),
            ("half", WeightTensor(shape: [3], floats: [1.5, -2.25, 65504], dtype: .float16)),
            ("bf16", WeightTensor(shape: [2], floats: [1.0, -3.5], dtype: .bfloat16)),
            ("double", WeightTensor(shape: [1], floats: [0.25], dtype: .float64)),
            ("bn.num_batches_tracked", WeightTensor(shape: [], integers: [1_431_430])),
            ("i32", WeightTensor(shape: [2], integers: [-3, 7], dtype: .int32)),
            ("mask", WeightTensor(shape: [2], integers: [1, 0], dtype: .bool)),
            ("empty", WeightTensor(shape: [0, 4], floats: [])),
            ("name \"quoted\"\n", WeightTensor(shape: [1], floats: [2])),
        ])
        dict.metadata = ["format": "pt", "source": "mlwb test"]
        return dict
    }

    func testRoundTrip() throws {
        let directory = try TemporaryDirectory(prefix: "mlwb-ckpt")
        defer { directory.remove() }
        let path = directory.file("model.safetensors")
        try Safetensors.write(sample(), to: path)
        XCTAssertEqual(directory.contents(), ["model.safetensors"], "no temporary files left behind")
        let bytes = try Fixtures.bytesAt(path)
        let headerLength = Int(bytes[0]) | Int(bytes[1]) << 8
        XCTAssertEqual((8 + headerLength) % 8, 0, "header padded to 8 bytes")
        let loaded = try Safetensors.read(path: path)
        XCTAssertEqual(loaded, sample())
        XCTAssertEqual(try WeightFile.detect(path: path), .safetensors)
    }

    func testHeaderValidation() throws {
        func file(_ header: String, data: Int) -> [UInt8] {
            let json = Array(header.utf8)
            return withUnsafeBytes(of: UInt64(json.count).littleEndian) { Array($0) } + json + [UInt8](repeating: 0, count: data)
        }
        let good = file(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#, data: 8)
        XCTAssertEqual(try Safetensors.decode(good)["a"], WeightTensor(shape: [2], floats: [0, 0]))
        let bad: [[UInt8]] = [
            file(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,16]}}"#, data: 8),   // beyond data
            file(#"{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#, data: 8),    // size mismatch
            file(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#, data: 8), // overlap
            file(#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#, data: 8),    // trailing bytes
            file(#"{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}"#, data: 4),
            file(#"{"a":{"dtype":"F8_E4M3","shape":[1],"data_offsets":[0,1]}}"#, data: 1),
            file(#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}"#, data: 4),     // bad JSON
            file(#"["a"]"#, data: 0),
            [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f, UInt8(ascii: "{")],            // huge header length
            [1, 0, 0],
        ]
        for bytes in bad {
            XCTAssertThrowsError(try Safetensors.decode(bytes), String(decoding: bytes, as: UTF8.self))
        }
    }

    func testHalfPrecisionConversionRoundsToNearestEven() {
        for bits in UInt16(0)...UInt16(0x7bff) {
            let value = HalfPrecision.float(fromHalf: bits)
            XCTAssertEqual(HalfPrecision.half(from: value), bits)
            XCTAssertEqual(HalfPrecision.half(from: -value), bits | 0x8000)
        }
        XCTAssertEqual(HalfPrecision.half(from: 1e6), 0x7c00)
        XCTAssertEqual(HalfPrecision.half(from: 1 + 1.0 / 2048), 0x3c00)  // tie → even
        XCTAssertEqual(HalfPrecision.bfloat16(from: 1.0), 0x3f80)
    }
}

extension Fixtures {
    static func bytesAt(_ path: String) throws -> [UInt8] { Array(try Data(contentsOf: URL(fileURLWithPath: path))) }
}
