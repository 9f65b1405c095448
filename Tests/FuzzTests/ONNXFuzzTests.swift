import Engine
import Foundation
import ONNX
import TestSupport
import XCTest

/// ONNX: the protobuf decoder, graph validation, the importer (shape inference and constant
/// folding run while lowering) and, for small graphs, the engine on zero inputs.
final class ONNXFuzzTests: XCTestCase {
    /// Node-test models of ../shared (ONNX's own test data) used as extra seeds when present.
    static let sharedModels = [
        "test_conv_with_strides_padding", "test_reshape_extended_dims", "test_reshape_negative_dim", "test_slice",
        "test_slice_negative_axes", "test_resize_upsample_scales_linear", "test_resize_downsample_sizes_nearest",
        "test_range_float_type_positive_delta", "test_range_int32_type_negative_delta", "test_edge_pad", "test_reflect_pad",
        "test_gather_0", "test_gather_elements_1", "test_concat_2d_axis_0", "test_transpose_default", "test_gemm_default_no_bias",
        "test_maxpool_2d_pads", "test_averagepool_2d_ceil", "test_reduce_mean_keepdims_example", "test_softmax_axis_1",
        "test_expand_dim_changed", "test_split_equal_parts_1d", "test_tile", "test_constantofshape_int_zeros",
        "test_where_example", "test_batchnorm_example", "test_matmul_2d", "test_unsqueeze_axis_0", "test_flatten_axis1",
        "test_squeeze", "test_cast_FLOAT_to_DOUBLE", "test_argmax_default_axis_example", "test_clip", "test_globalaveragepool",
    ]

    static func seeds() -> [[UInt8]] {
        var seeds = [ONNXSeedModels.convolution, ONNXSeedModels.shapes, ONNXSeedModels.resize]
        for name in sharedModels {
            let path = SharedData.root + "/onnx-node-tests/\(name)/model.onnx"
            if let data = FileManager.default.contents(atPath: path) { seeds.append(Array(data)) }
        }
        return seeds
    }

    /// The parse under test: load, import for the declared input shapes, run when small.
    static func parse(_ bytes: [UInt8]) throws {
        let model = try ONNXModel.load(bytes: bytes)
        _ = model.summary
        let session = try ONNXSession(model)
        var shapes: [String: [Int]] = [:]
        for input in model.inputs {
            let dims = (input.shape ?? []).map { $0.value.map { min(max($0, 0), 64) } ?? 1 }
            guard dims.reduce(1, { $0 * $1 }) <= 4096 else { return }
            shapes[input.name] = dims
        }
        let outputs = try session.outputShapes(for: shapes)
        guard outputs.values.allSatisfy({ shape in shape.allSatisfy { $0 >= 0 && $0 <= 1 << 12 }
                                              && shape.reduce(1, { $0 * $1 }) <= 1 << 16 }) else { return }
        _ = try session.run(shapes.mapValues { Tensor.zeros($0) })
    }

    func testMutatedModels() throws {
        let seeds = Self.seeds()
        XCTAssertGreaterThanOrEqual(seeds.count, 3)
        FuzzHarness.run("onnx", seeds: seeds, seed: 0x4F4E4E58, count: max(FuzzHarness.count, 4 * seeds.count)) { bytes, _ in
            try Self.parse(bytes)
        }
    }

    func testModelsWithHostileNumbers() throws {
        // Structure-aware: dimensions, attributes, packed data and floats replaced inside a valid framing.
        var seeded = Mutator.seededGenerator(FuzzHarness.seed(0x4649454C44))
        let mutants = ProtobufMutator.mutants(of: Self.seeds(), count: 2 * FuzzHarness.count, using: &seeded)
        XCTAssertEqual(mutants.count, 2 * FuzzHarness.count)
        FuzzHarness.feed("onnx-fields", mutants) { bytes, _ in try Self.parse(bytes) }
    }

    func testMutatedTensorFiles() throws {
        var seeds: [[UInt8]] = []
        for name in Self.sharedModels.prefix(12) {
            let path = SharedData.root + "/onnx-node-tests/\(name)/test_data_set_0/input_0.pb"
            if let data = FileManager.default.contents(atPath: path) { seeds.append(Array(data)) }
        }
        if seeds.isEmpty { throw XCTSkip("skipped: no TensorProto seeds (../shared/onnx-node-tests is absent)") }
        let dir = try TemporaryDirectory(prefix: "mlwb-fuzz-pb")
        defer { dir.remove() }
        FuzzHarness.run("onnx-tensor", seeds: seeds, seed: 0x5042) { bytes, _ in
            try FuzzHarness.write(bytes, to: dir.file("t.pb"))
            let tensor = try ONNXTensor.load(path: dir.file("t.pb"))
            _ = tensor.doubles
        }
    }
}
