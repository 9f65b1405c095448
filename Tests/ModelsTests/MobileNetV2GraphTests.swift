import XCTest
import Engine
@testable import Models

final class MobileNetV2GraphTests: XCTestCase {
    /// Random weights under torchvision's state-dict keys.
    func randomStateDict() -> [String: Tensor] {
        var d: [String: Tensor] = [:]
        var seed: UInt64 = 0
        func bn(_ p: String, _ c: Int) {
            seed += 4
            d[p + ".weight"] = .uniform([c], in: 0.5...1.5, seed: seed); d[p + ".bias"] = .uniform([c], seed: seed + 1)
            d[p + ".running_mean"] = .uniform([c], seed: seed + 2); d[p + ".running_var"] = .uniform([c], in: 0.5...2, seed: seed + 3)
        }
        func conv(_ p: String, _ shape: [Int]) { seed += 1; d[p + ".weight"] = .uniform(shape, in: -0.2...0.2, seed: seed) }
        conv("features.0.0", [32, 3, 3, 3]); bn("features.0.1", 32)
        var c = 32, i = 1
        for s in MobileNetV2Graph.stages {
            for _ in 0..<s.n {
                let h = c * s.t, p = "features.\(i).conv"
                var l = 0
                if s.t != 1 { conv("\(p).0.0", [h, c, 1, 1]); bn("\(p).0.1", h); l = 1 }
                conv("\(p).\(l).0", [h, 1, 3, 3]); bn("\(p).\(l).1", h)
                conv("\(p).\(l + 1)", [s.c, h, 1, 1]); bn("\(p).\(l + 2)", s.c)
                c = s.c; i += 1
            }
        }
        conv("features.18.0", [1280, 320, 1, 1]); bn("features.18.1", 1280)
        d["classifier.1.weight"] = .uniform([1000, 1280], in: -0.05...0.05, seed: 999)
        d["classifier.1.bias"] = .uniform([1000], seed: 1000)
        return d
    }

    func testBuildsTorchvisionLayoutAndRuns() throws {
        let weights = randomStateDict()
        let graph = try MobileNetV2Graph.build(weights: weights)
        for n in ["image", "features.0", "features.14", "features.18", "logits"] { XCTAssertNotNil(graph.value(named: n), n) }
        let exec = Executor(graph)
        let x = Tensor.uniform([1, 3, 32, 32], seed: 1)
        let pass = try exec.forward(["image": x], outputs: ["logits", "features.14"])
        XCTAssertEqual(pass["logits"]!.shape, [1, 1000])
        XCTAssertEqual(pass["features.14"]!.shape, [1, 160, 1, 1])
        let dream = try MobileNetV2Graph.build(weights: weights, upTo: "features.14")
        let (_, g) = try Executor(dream).gradient(["image": x], target: "features.14", wrt: "image") { 2 * $0 }
        XCTAssertEqual(g.shape, x.shape)
        XCTAssertGreaterThan(g.maxAbs(), 0)
    }

    func testMissingWeightIsNamed() {
        var weights = randomStateDict()
        weights["features.7.conv.1.0.weight"] = nil
        XCTAssertThrowsError(try MobileNetV2Graph.build(weights: weights)) { e in
            XCTAssertEqual(e as? MobileNetV2Graph.BuildError, .missingWeight("features.7.conv.1.0.weight"))
        }
    }
}
