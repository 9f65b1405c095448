import Checkpoints
import Engine
import Foundation
import Media
import Models
import TestSupport
import XCTest

/// Stores, networks and images shared by the model tests.
enum ModelTestSupport {
    /// A store rooted in `directory` (MLWB_HOME = directory) with the project's catalog.
    static func store(in directory: TemporaryDirectory) throws -> CheckpointStore {
        let catalog = try CheckpointCatalog.load(path: SharedData.asset("checkpoints.json"))
        return CheckpointStore(catalog: catalog, environment: ["MLWB_HOME": directory.path])
    }

    /// A context whose store holds the real MobileNetV2 (imported from ../shared), or a skip.
    static func contextWithRealWeights(_ directory: TemporaryDirectory) throws -> ModelContext {
        let pth = try SharedData.require("weights/mobilenet_v2-b0353104.pth")
        let store = try store(in: directory)
        try store.importFile(pth)
        return ModelContext(store: store, environment: ["MLWB_HOME": directory.path])
    }

    /// A tiny two-layer dream network with random weights ("features.0": 8 channels, "features.1": 12).
    static func tinyNetwork(seed: UInt64 = 3) -> DreamNetwork {
        let g = GraphBuilder()
        let x = g.input("image")
        let a = g.conv2d(x, weight: .uniform([8, 3, 3, 3], in: -0.5...0.5, seed: seed), bias: .uniform([8], in: -0.1...0.1, seed: seed + 1),
                         stride: 2, padding: 1, activation: .relu6, name: "features.0")
        let b = g.conv2d(a, weight: .uniform([12, 8, 3, 3], in: -0.3...0.3, seed: seed + 2), bias: nil,
                         stride: 2, padding: 1, name: "features.1")
        g.output(b, name: "output")
        return DreamNetwork(executor: Executor(g.build()), inputName: "image", layers: ["features.0", "features.1"],
                            channels: ["features.0": 8, "features.1": 12], mean: MobileNetV2.mean, std: MobileNetV2.std)
    }

    /// A smooth test picture.
    static func picture(width: Int = 48, height: Int = 40) -> Image {
        Image(width: width, height: height) { x, y in
            SIMD4(Float(x) / Float(width), Float(y) / Float(height), 0.5 + 0.3 * sinf(Float(x + y) * 0.3), 1)
        }
    }

    /// Small, fast dream settings for tests.
    static func quickSettings(layer: String = "features.1") -> DeepDreamSettings {
        var s = DeepDreamSettings()
        s.objectives = [DeepDreamObjective(layer: layer)]
        s.octaves = 1
        s.steps = 2
        s.size = 0
        s.jitter = 4
        s.lapLevels = 2
        s.stepSize = 8
        return s
    }
}
