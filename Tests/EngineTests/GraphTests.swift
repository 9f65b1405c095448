import Foundation
import XCTest
@testable import Engine

final class GraphTests: XCTestCase {
    /// conv(bn folded, relu6) → depthwise → add (residual) → avg pool → flatten → linear → softmax.
    func makeTinyNetwork() -> (Graph, conv: (Tensor, Tensor), dw: Tensor, fc: (Tensor, Tensor), bn: BatchNormParameters) {
        let w1 = Tensor.uniform([4, 2, 3, 3], seed: 1)
        let bn = BatchNormParameters(gamma: Tensor.uniform([4], in: 0.5...1.5, seed: 2), beta: Tensor.uniform([4], seed: 3),
                                     mean: Tensor.uniform([4], in: -0.2...0.2, seed: 4), variance: Tensor.uniform([4], in: 0.5...1.5, seed: 5))
        let folded = BatchNormFolding.fold(weight: w1, bias: nil, gamma: bn.gamma, beta: bn.beta, mean: bn.mean, variance: bn.variance)
        let dw = Tensor.uniform([4, 1, 3, 3], seed: 6)
        let fw = Tensor.uniform([3, 4 * 2 * 2], seed: 7), fb = Tensor.uniform([3], seed: 8)
        let g = GraphBuilder()
        let x = g.input("image")
        let a = g.conv2d(x, weight: w1, batchNorm: bn, params: Conv2DParameters(stride: 1, padding: 1), activation: .relu6, name: "stem")
        let d = g.conv2d(a, weight: dw, stride: 1, padding: 1, groups: 4, name: "dw")
        let r = g.add(a, d, name: "residual")
        let p = g.averagePool(r, kernel: 2, name: "pool")
        let f = g.flatten(p)
        let l = g.linear(f, weight: fw, bias: fb, name: "logits")
        g.output(g.softmax(l), name: "probs")
        return (g.build(), (folded.weight, folded.bias), dw, (fw, fb), bn)
    }

    func testForwardMatchesHandComputation() throws {
        let (graph, conv, dw, fc, _) = makeTinyNetwork()
        let x = Tensor.uniform([1, 2, 4, 4], seed: 9)
        let exec = Executor(graph)
        let pass = try exec.forward(["image": x], outputs: ["probs", "stem"])
        // Independent computation with the naive reference and scalar code.
        let a = ActivationKernel.forward(naiveConv(x, conv.0, conv.1, Conv2DParameters(stride: 1, padding: 1)), .relu6)
        assertClose(pass["stem"]!, a, atol: 1e-5)
        let d = naiveConv(a, dw, nil, Conv2DParameters(stride: 1, padding: 1, groups: 4))
        var pooled = [Float](repeating: 0, count: 16)
        for c in 0..<4 { for py in 0..<2 { for px in 0..<2 {
            var s: Float = 0
            for dy in 0..<2 { for dx in 0..<2 { s += a[0, c, 2 * py + dy, 2 * px + dx] + d[0, c, 2 * py + dy, 2 * px + dx] } }
            pooled[c * 4 + py * 2 + px] = s / 4
        } } }
        var logits = [Float](repeating: 0, count: 3)
        for o in 0..<3 { logits[o] = fc.1[o]; for i in 0..<16 { logits[o] += fc.0[o, i] * pooled[i] } }
        let mx = logits.max()!, e = logits.map { Foundation.exp($0 - mx) }, z = e.reduce(0, +)
        assertClose(pass["probs"]!, Tensor(shape: [1, 3], scalars: e.map { $0 / z }), atol: 1e-5)
    }

    func testBackwardMatchesFiniteDifferencesEndToEnd() throws {
        let (graph, _, _, _, _) = makeTinyNetwork()
        let exec = Executor(graph)
        let x = Tensor.uniform([1, 2, 4, 4], seed: 10)
        let r = Tensor(shape: [1, 3], scalars: [0.3, -1.2, 0.8])
        var pass = try exec.forward(["image": x], outputs: ["probs"], recordForBackward: true)
        let grad = try exec.backward(&pass, seeds: ["probs": r], wrt: ["image"])["image"]!
        // Central differences of Σ r·probs for every input element.
        let eps: Float = 1e-3
        for i in 0..<x.count {
            var plus = x, minus = x
            plus[flat: i] += eps; minus[flat: i] -= eps
            let f = { (t: Tensor) in projected({ try! exec.forward(["image": $0], outputs: ["probs"])["probs"]! }, t, r) }
            XCTAssertEqual(Double(grad[flat: i]), (f(plus) - f(minus)) / Double(2 * eps), accuracy: 2e-3, "input \(i)")
        }
    }

    func testStopsAtRequestedValueAndFreesActivations() throws {
        let (graph, _, _, _, _) = makeTinyNetwork()
        let exec = Executor(graph)
        let x = Tensor.uniform([1, 2, 4, 4], seed: 11)
        let pass = try exec.forward(["image": x], outputs: ["dw"])
        XCTAssertNotNil(pass["dw"])
        XCTAssertNil(pass.shape(of: graph.value(named: "logits")!), "nothing past the requested value is computed")
        XCTAssertNil(pass.value(graph.value(named: "stem")!), "intermediates are freed when not recording")
        var recorded = try exec.forward(["image": x], outputs: ["residual"], recordForBackward: true)
        XCTAssertNotNil(recorded.value(graph.value(named: "stem")!), "relu6 output is kept for backward")
        let seed = recorded["residual"]! * 2
        let g = try exec.backward(&recorded, seeds: ["residual": seed], wrt: ["image"])
        XCTAssertEqual(g["image"]!.shape, x.shape)
        XCTAssertEqual(recorded.retainedBytes, 0, "backward releases everything it consumed")
    }

    func testErrorsNameTheProblem() {
        let (graph, _, _, _, _) = makeTinyNetwork()
        let exec = Executor(graph)
        XCTAssertThrowsError(try exec.forward(["image": .zeros([1, 2, 4, 4])], outputs: ["features.99"])) { e in
            guard case EngineError.unknownValue(let n, let valid) = e else { return XCTFail("\(e)") }
            XCTAssertEqual(n, "features.99")
            XCTAssertTrue(valid.contains("stem"))
        }
        XCTAssertThrowsError(try exec.forward([:], outputs: ["stem"])) { e in
            XCTAssertEqual(e as? EngineError, .missingInput("image"))
        }
    }

    func testGradientConvenienceForSumOfSquares() throws {
        let (graph, _, _, _, _) = makeTinyNetwork()
        let exec = Executor(graph)
        let x = Tensor.uniform([1, 2, 4, 4], seed: 12)
        let (value, grad) = try exec.gradient(["image": x], target: "residual", wrt: "image") { 2 * $0 }
        XCTAssertEqual(value.shape, [1, 4, 4, 4])
        checkGradient("sum of squares", x: x, f: { t in
            let v = try! exec.forward(["image": t], outputs: ["residual"])["residual"]!
            return Tensor.scalar(v.sumOfSquares())
        }, backward: { r in grad * r[flat: 0] }, eps: 1e-3, tolerance: 3e-2, samples: 32)
    }
}
