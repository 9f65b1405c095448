import XCTest
@testable import Engine

final class ConvTests: XCTestCase {
    /// (input shape, weight shape, parameters) covering every code path.
    static let cases: [(String, [Int], [Int], Conv2DParameters)] = [
        ("3x3 s1 p1", [2, 3, 7, 6], [4, 3, 3, 3], Conv2DParameters(stride: 1, padding: 1)),
        ("3x3 s2 p1", [1, 3, 9, 8], [5, 3, 3, 3], Conv2DParameters(stride: 2, padding: 1)),
        ("1x1 pointwise", [2, 6, 5, 4], [3, 6, 1, 1], Conv2DParameters()),
        ("1x1 stride 2", [1, 4, 7, 7], [3, 4, 1, 1], Conv2DParameters(stride: 2)),
        ("1x1 grouped", [1, 6, 4, 5], [4, 3, 1, 1], Conv2DParameters(groups: 2)),
        ("5x3 dilated asym", [1, 2, 11, 9], [3, 2, 5, 3],
         Conv2DParameters(strideH: 2, strideW: 1, padTop: 2, padLeft: 0, padBottom: 1, padRight: 3, dilationH: 2, dilationW: 2)),
        ("grouped 3x3", [1, 6, 6, 7], [4, 3, 3, 3], Conv2DParameters(stride: 1, padding: 1, groups: 2)),
        ("depthwise 3x3 s1", [2, 4, 7, 9], [4, 1, 3, 3], Conv2DParameters(stride: 1, padding: 1, groups: 4)),
        ("depthwise 3x3 s2", [1, 3, 9, 10], [3, 1, 3, 3], Conv2DParameters(stride: 2, padding: 1, groups: 3)),
        ("depthwise 3x3 s2 even", [1, 2, 8, 8], [2, 1, 3, 3], Conv2DParameters(stride: 2, padding: 1, groups: 2)),
        ("depthwise 5x5 s1 d2", [1, 3, 10, 9], [3, 1, 5, 5], Conv2DParameters(stride: 1, padding: 4, dilation: 2, groups: 3)),
        ("depthwise 3x3 s3 p0", [1, 2, 10, 11], [2, 1, 3, 3], Conv2DParameters(stride: 3, padding: 0, groups: 2)),
        ("depthwise 3x3 s1 d2 p1", [1, 2, 8, 8], [2, 1, 3, 3], Conv2DParameters(stride: 1, padding: 1, dilation: 2, groups: 2)),
        ("depthwise multiplier 2", [1, 2, 6, 6], [4, 1, 3, 3], Conv2DParameters(stride: 1, padding: 1, groups: 2)),
    ]

    func testForwardMatchesNaive() {
        for (i, (name, xs, ws, p)) in Self.cases.enumerated() {
            let x = Tensor.uniform(xs, seed: UInt64(i)), w = Tensor.uniform(ws, seed: UInt64(100 + i))
            let b = Tensor.uniform([ws[0]], seed: UInt64(200 + i))
            assertClose(Conv2D.forward(x, weight: w, bias: b, params: p), naiveConv(x, w, b, p), atol: 1e-4, name)
        }
    }

    func testBackwardMatchesFiniteDifferences() {
        for (i, (name, xs, ws, p)) in Self.cases.enumerated() {
            let x = Tensor.uniform(xs, seed: UInt64(i)), w = Tensor.uniform(ws, seed: UInt64(100 + i))
            checkGradient(name, x: x, f: { Conv2D.forward($0, weight: w, params: p) },
                          backward: { Conv2D.backwardInput($0, weight: w, inputShape: xs, params: p) })
        }
    }

    func testFusedActivationsAndTheirBackward() {
        let p = Conv2DParameters(stride: 1, padding: 1, groups: 3)
        let w = Tensor.uniform([3, 1, 3, 3], seed: 5), b = Tensor.uniform([3], seed: 6)
        let x = Tensor.uniform([1, 3, 6, 6], in: -3...3, seed: 7)
        for a in [Activation.relu, .relu6, .clip(lower: -0.5, upper: 0.5)] {
            let fused = Conv2D.forward(x, weight: w, bias: b, params: p, activation: a)
            let separate = ActivationKernel.forward(naiveConv(x, w, b, p), a)
            assertClose(fused, separate, "\(a)")
            let y = Conv2D.forward(x, weight: w, bias: b, params: p, activation: a)
            // Backward through the fused activation, checked by differences away from the kinks.
            let r = Tensor.uniform(y.shape, seed: 8)
            let masked = ActivationKernel.backward(r, output: y, a)
            let dx = Conv2D.backwardInput(masked, weight: w, inputShape: x.shape, params: p)
            let eps: Float = 1e-3
            for i in stride(from: 0, to: x.count, by: 7) {
                var plus = x, minus = x
                plus[flat: i] += eps; minus[flat: i] -= eps
                let f = { (t: Tensor) in projected({ Conv2D.forward($0, weight: w, bias: b, params: p, activation: a) }, t, r) }
                let numeric = (f(plus) - f(minus)) / Double(2 * eps)
                XCTAssertEqual(Double(dx[flat: i]), numeric, accuracy: 0.05, "\(a) at \(i)")
            }
        }
    }

    func testBatchNormFolding() {
        let x = Tensor.uniform([1, 3, 5, 5], seed: 1)
        let w = Tensor.uniform([4, 3, 3, 3], seed: 2), b = Tensor.uniform([4], seed: 3)
        let bn = BatchNormParameters(gamma: Tensor.uniform([4], in: 0.5...1.5, seed: 4), beta: Tensor.uniform([4], seed: 5),
                                     mean: Tensor.uniform([4], seed: 6), variance: Tensor.uniform([4], in: 0.1...2, seed: 7),
                                     epsilon: 1e-3)
        let p = Conv2DParameters(stride: 1, padding: 1)
        let z = naiveConv(x, w, b, p)
        var expected = z
        for c in 0..<4 {
            let s = bn.gamma[c] / (bn.variance[c] + bn.epsilon).squareRoot()
            for i in 0..<25 { expected[0, c, i / 5, i % 5] = (z[0, c, i / 5, i % 5] - bn.mean[c]) * s + bn.beta[c] }
        }
        let folded = BatchNormFolding.fold(weight: w, bias: b, gamma: bn.gamma, beta: bn.beta, mean: bn.mean,
                                           variance: bn.variance, epsilon: bn.epsilon)
        assertClose(Conv2D.forward(x, weight: folded.weight, bias: folded.bias, params: p), expected)
    }

    func testGEMMAndToeplitzPathsMatchNaive() {
        // Shapes routed through ToeplitzConv2D (wide kernels, small horizontal stride) and GEMMConv2D
        // (pixel chunks that split output rows), with batches and widths that aren't multiples of a block.
        let cases: [(String, [Int], [Int], Conv2DParameters)] = [
            ("toeplitz 3x39 same", [2, 3, 9, 70], [8, 3, 3, 39],
             Conv2DParameters(strideH: 1, strideW: 1, padTop: 1, padLeft: 19, padBottom: 1, padRight: 19)),
            ("toeplitz 1-D stride 2", [1, 1, 1, 20000], [1, 1, 1, 256], Conv2DParameters(stride: (1, 2), padding: (0, 0))),
            ("toeplitz 1-D 3 channels pad", [1, 2, 1, 2500], [3, 2, 1, 40],
             Conv2DParameters(strideH: 1, strideW: 1, padTop: 0, padLeft: 5, padBottom: 0, padRight: 7)),
            ("toeplitz 2x17 dilated rows s2", [1, 2, 40, 90], [5, 2, 2, 17],
             Conv2DParameters(strideH: 2, strideW: 1, padTop: 1, padLeft: 3, padBottom: 0, padRight: 2, dilationH: 2, dilationW: 1)),
            ("gemm chunks 3x3", [2, 1, 100, 203], [4, 1, 3, 3], Conv2DParameters(stride: 1, padding: 1)),
            ("gemm 5x5 s1x3", [1, 8, 30, 91], [32, 8, 5, 5],
             Conv2DParameters(strideH: 1, strideW: 3, padTop: 2, padLeft: 1, padBottom: 2, padRight: 1)),
            ("gemm one output row, 1 channel, wide stride", [1, 1, 1, 5000], [1, 1, 1, 256], Conv2DParameters(stride: (1, 128), padding: (0, 0))),
        ]
        for (name, xs, ws, p) in cases.prefix(4) {
            let (_, wo) = p.outputSize(height: xs[2], width: xs[3], kh: ws[2], kw: ws[3])
            XCTAssertTrue(ToeplitzConv2D.isApplicable(input: xs, weight: ws, params: p, outWidth: wo), name)
        }
        for (i, (name, xs, ws, p)) in cases.enumerated() {
            let x = Tensor.uniform(xs, seed: UInt64(300 + i)), w = Tensor.uniform(ws, seed: UInt64(400 + i))
            let b = Tensor.uniform([ws[0]], seed: UInt64(500 + i))
            assertClose(Conv2D.forward(x, weight: w, bias: b, params: p), naiveConv(x, w, b, p), atol: 1e-3, name)
        }
    }

    func testShiftAddPathMatchesNaive() {
        // Basic Pitch's one-channel heads, asymmetric padding with dilation, batches, and bands of rows.
        let cases: [(String, [Int], [Int], Conv2DParameters)] = [
            ("7x3 head", [1, 32, 17, 23], [1, 32, 7, 3],
             Conv2DParameters(strideH: 1, strideW: 1, padTop: 3, padLeft: 1, padBottom: 3, padRight: 1)),
            ("5x5 batch", [2, 8, 12, 30], [1, 8, 5, 5], Conv2DParameters(stride: 1, padding: 2)),
            ("3x3 33 channels", [1, 33, 9, 11], [1, 33, 3, 3], Conv2DParameters(stride: 1, padding: 1)),
            ("asym dilated 2 outputs", [1, 5, 14, 13], [2, 5, 3, 4],
             Conv2DParameters(strideH: 1, strideW: 1, padTop: 0, padLeft: 3, padBottom: 2, padRight: 0, dilationH: 2, dilationW: 1)),
            ("many bands", [1, 8, 100, 264], [1, 8, 5, 5], Conv2DParameters(stride: 1, padding: 2)),
            ("no padding", [2, 4, 6, 7], [3, 4, 2, 2], Conv2DParameters(stride: 1, padding: 0)),
        ]
        for (i, (name, xs, ws, p)) in cases.enumerated() {
            XCTAssertTrue(ShiftAddConv2D.isApplicable(input: xs, weight: ws, params: p), name)
            let x = Tensor.uniform(xs, seed: UInt64(600 + i)), w = Tensor.uniform(ws, seed: UInt64(700 + i))
            let b = Tensor.uniform([ws[0]], seed: UInt64(800 + i))
            let expected = naiveConv(x, w, b, p)
            let relu = Tensor(shape: expected.shape, scalars: expected.scalars.map { max($0, 0) })
            assertClose(Conv2D.forward(x, weight: w, bias: b, params: p, activation: .relu), relu, atol: 1e-3, name)
        }
    }

    func testLargeImageIm2ColChunking() {
        // Big enough that the im2col buffer is split into bands of rows.
        let p = Conv2DParameters(stride: 1, padding: 1)
        let x = Tensor.uniform([1, 64, 40, 300], seed: 1), w = Tensor.uniform([2, 64, 3, 3], seed: 2)
        let y = Conv2D.forward(x, weight: w, params: p)
        // Spot-check a few outputs against the naive formula.
        for (oy, ox) in [(0, 0), (17, 150), (39, 299)] {
            var s: Double = 0
            for c in 0..<64 { for ky in 0..<3 { for kx in 0..<3 {
                let iy = oy - 1 + ky, ix = ox - 1 + kx
                if iy < 0 || iy >= 40 || ix < 0 || ix >= 300 { continue }
                s += Double(x[0, c, iy, ix]) * Double(w[1, c, ky, kx])
            } } }
            XCTAssertEqual(Double(y[0, 1, oy, ox]), s, accuracy: 1e-3)
        }
    }
}
