import Foundation
import XCTest
@testable import Engine

final class KernelTests: XCTestCase {
    // MARK: Activations

    func testActivationsForwardAndGradient() {
        let x = awayFromKinks([2, 3, 4, 5], seed: 1, kinks: [0, 6, -0.5, 0.5], scale: 8)
        let refs: [(Activation, (Float) -> Float)] = [
            (.relu, { max($0, 0) }), (.relu6, { min(max($0, 0), 6) }), (.clip(lower: -0.5, upper: 0.5), { min(max($0, -0.5), 0.5) }),
            (.leakyRelu(slope: 0.1), { $0 > 0 ? $0 : 0.1 * $0 }), (.sigmoid, { 1 / (1 + exp(-$0)) }), (.tanh, { Foundation.tanh($0) }),
            (.identity, { $0 }),
        ]
        for (a, f) in refs {
            assertClose(ActivationKernel.forward(x, a), Tensor(shape: x.shape, scalars: x.scalars.map(f)), atol: 1e-5, "\(a)")
            checkGradient("\(a)", x: x, f: { ActivationKernel.forward($0, a) },
                          backward: { ActivationKernel.backward($0, output: ActivationKernel.forward(x, a), a) }, eps: 1e-2)
        }
    }

    // MARK: Elementwise

    func testBinaryOpsWithBroadcasting() {
        let shapes: [([Int], [Int])] = [([2, 3, 4], [2, 3, 4]), ([2, 3, 4, 5], [1, 3, 1, 1]), ([4, 1], [3]), ([2, 3], [])]
        for (i, (sa, sb)) in shapes.enumerated() {
            let a = Tensor.uniform(sa, seed: UInt64(i)), b = Tensor.uniform(sb, seed: UInt64(50 + i))
            let out = Broadcast.shape(sa, sb)!
            for op in [Elementwise.Binary.add, .sub, .mul] {
                // Reference through explicit index arithmetic.
                var ref = Tensor.zeros(out)
                let sA = Broadcast.strides(of: sa, in: out), sB = Broadcast.strides(of: sb, in: out)
                for flat in 0..<ref.count {
                    var rem = flat, oa = 0, ob = 0
                    for ax in stride(from: out.count - 1, through: 0, by: -1) {
                        let idx = rem % out[ax]; rem /= out[ax]
                        oa += idx * sA[ax]; ob += idx * sB[ax]
                    }
                    let u = a[flat: oa], v = b[flat: ob]
                    ref[flat: flat] = op == .add ? u + v : op == .sub ? u - v : u * v
                }
                assertClose(Elementwise.forward(op, a, b), ref, atol: 1e-6, "\(op) \(sa) \(sb)")
                checkGradient("\(op) a", x: a, f: { Elementwise.forward(op, $0, b) },
                              backward: { Elementwise.backward(op, $0, a: a, b: b).0 })
                checkGradient("\(op) b", x: b, f: { Elementwise.forward(op, a, $0) },
                              backward: { Elementwise.backward(op, $0, a: a, b: b).1 })
            }
        }
    }

    // MARK: Structure

    func testConcatAndSplit() {
        let a = Tensor.uniform([2, 2, 3, 3], seed: 1), b = Tensor.uniform([2, 3, 3, 3], seed: 2)
        let y = Concat.forward([a, b], axis: 1)
        XCTAssertEqual(y.shape, [2, 5, 3, 3])
        XCTAssertEqual(y[1, 1, 2, 0], a[1, 1, 2, 0])
        XCTAssertEqual(y[1, 4, 0, 2], b[1, 2, 0, 2])
        checkGradient("concat a", x: a, f: { Concat.forward([$0, b]) }, backward: { Concat.backward($0, inputShapes: [a.shape, b.shape])[0] })
        checkGradient("concat b", x: b, f: { Concat.forward([a, $0]) }, backward: { Concat.backward($0, inputShapes: [a.shape, b.shape])[1] })
    }

    func testRoll() {
        let x = Tensor(shape: [1, 1, 2, 3], scalars: [0, 1, 2, 3, 4, 5])
        XCTAssertEqual(Roll.forward(x, shifts: [1, -1], axes: [2, 3]).scalars, [4, 5, 3, 1, 2, 0])
        let big = Tensor.uniform([1, 2, 5, 6], seed: 3)
        checkGradient("roll", x: big, f: { Roll.forward($0, shifts: [2, 7], axes: [2, 3]) },
                      backward: { Roll.backward($0, shifts: [2, 7], axes: [2, 3]) })
    }

    // MARK: Pooling

    func naivePool(_ x: Tensor, _ p: Pool2DParameters, max isMax: Bool) -> Tensor {
        let shape = Pool2D.outputShape(x.shape, p)
        var y = Tensor.zeros(shape)
        for n in 0..<shape[0] { for c in 0..<shape[1] { for oy in 0..<shape[2] { for ox in 0..<shape[3] {
            var m = -Float.infinity, s: Double = 0, valid = 0, padded = 0
            for ky in 0..<p.kernelH { for kx in 0..<p.kernelW {
                let iy = oy * p.strideH - p.padH + ky, ix = ox * p.strideW - p.padW + kx
                if iy < x.shape[2] + p.padH && ix < x.shape[3] + p.padW { padded += 1 }
                if iy < 0 || ix < 0 || iy >= x.shape[2] || ix >= x.shape[3] { continue }
                m = max(m, x[n, c, iy, ix]); s += Double(x[n, c, iy, ix]); valid += 1
            } }
            y[n, c, oy, ox] = isMax ? m : Float(s / Double(p.countIncludePad ? padded : valid))
        } } } }
        return y
    }

    func testPooling() {
        let x = Tensor.uniform([2, 3, 7, 8], seed: 4)
        let params = [Pool2DParameters(kernel: 2), Pool2DParameters(kernel: 3, stride: 2, padding: 1),
                      Pool2DParameters(kernel: 3, stride: 2, ceilMode: true),
                      Pool2DParameters(kernel: 3, stride: 2, padding: 1, ceilMode: true, countIncludePad: false)]
        for p in params {
            assertClose(Pool2D.maxForward(x, p), naivePool(x, p, max: true), "max \(p)")
            assertClose(Pool2D.averageForward(x, p), naivePool(x, p, max: false), "avg \(p)")
            checkGradient("max \(p)", x: x, f: { Pool2D.maxForward($0, p) }, backward: { Pool2D.maxBackward($0, input: x, p) }, eps: 1e-3)
            checkGradient("avg \(p)", x: x, f: { Pool2D.averageForward($0, p) },
                          backward: { Pool2D.averageBackward($0, inputShape: x.shape, p) })
        }
        XCTAssertEqual(Pool2D.outputShape([1, 1, 112, 112], Pool2DParameters(kernel: 3, stride: 2, ceilMode: true)), [1, 1, 56, 56])
    }

    func testGlobalAveragePool() {
        let x = Tensor.uniform([2, 3, 4, 5], seed: 5)
        let y = Pool2D.globalAverageForward(x)
        XCTAssertEqual(y.shape, [2, 3, 1, 1])
        var s: Float = 0
        for i in 0..<20 { s += x[1, 2, i / 5, i % 5] }
        XCTAssertEqual(y[1, 2, 0, 0], s / 20, accuracy: 1e-6)
        checkGradient("gap", x: x, f: Pool2D.globalAverageForward, backward: { Pool2D.globalAverageBackward($0, inputShape: x.shape) })
    }

    // MARK: Heads

    func testLinear() {
        let x = Tensor.uniform([3, 5], seed: 6), w = Tensor.uniform([4, 5], seed: 7), b = Tensor.uniform([4], seed: 8)
        var ref = Tensor.zeros([3, 4])
        for n in 0..<3 { for o in 0..<4 { var s = b[o]; for i in 0..<5 { s += x[n, i] * w[o, i] }; ref[n, o] = s } }
        assertClose(Linear.forward(x, weight: w, bias: b), ref, atol: 1e-5)
        checkGradient("linear", x: x, f: { Linear.forward($0, weight: w, bias: b) },
                      backward: { Linear.backwardInput($0, weight: w, inputShape: x.shape) })
    }

    func testSoftmax() {
        let x = Tensor.uniform([2, 5], in: -3...3, seed: 9)
        let y = Softmax.forward(x)
        for n in 0..<2 {
            let e = (0..<5).map { exp(Double(x[n, $0])) }, z = e.reduce(0, +)
            for k in 0..<5 { XCTAssertEqual(Double(y[n, k]), e[k] / z, accuracy: 1e-6) }
        }
        checkGradient("softmax", x: x, f: { Softmax.forward($0) }, backward: { Softmax.backward($0, output: y) })
        let x3 = Tensor.uniform([2, 3, 4], seed: 10)
        let y3 = Softmax.forward(x3, axis: 1)
        checkGradient("softmax axis 1", x: x3, f: { Softmax.forward($0, axis: 1) }, backward: { Softmax.backward($0, output: y3, axis: 1) })
    }

    // MARK: Resize and reductions

    func testBilinearResizeMatchesHalfPixelFormula() {
        let x = Tensor.uniform([1, 2, 4, 5], seed: 11)
        let y = Resize.bilinearForward(x, height: 7, width: 3)
        func sample(_ c: Int, _ oy: Int, _ ox: Int) -> Float {
            func coord(_ o: Int, _ inS: Int, _ outS: Int) -> (Int, Int, Float) {
                let s = max((Float(o) + 0.5) * Float(inS) / Float(outS) - 0.5, 0)
                let i0 = min(Int(s.rounded(.down)), inS - 1)
                return (i0, min(i0 + 1, inS - 1), s - Float(i0))
            }
            let (y0, y1, ly) = coord(oy, 4, 7), (x0, x1, lx) = coord(ox, 5, 3)
            return (1 - ly) * ((1 - lx) * x[0, c, y0, x0] + lx * x[0, c, y0, x1]) + ly * ((1 - lx) * x[0, c, y1, x0] + lx * x[0, c, y1, x1])
        }
        for c in 0..<2 { for oy in 0..<7 { for ox in 0..<3 { XCTAssertEqual(y[0, c, oy, ox], sample(c, oy, ox), accuracy: 1e-5) } } }
        // Identity size is a copy.
        assertClose(Resize.bilinearForward(x, height: 4, width: 5), x, atol: 1e-6)
        checkGradient("resize up", x: x, f: { Resize.bilinearForward($0, height: 9, width: 11) },
                      backward: { Resize.bilinearBackward($0, inputShape: x.shape) })
        checkGradient("resize down", x: x, f: { Resize.bilinearForward($0, height: 3, width: 2) },
                      backward: { Resize.bilinearBackward($0, inputShape: x.shape) })
    }

    func testReductions() {
        let x = Tensor.uniform([2, 3, 4], seed: 12)
        XCTAssertEqual(Reduce.forward(.sum, x).shape, [])
        XCTAssertEqual(Double(Reduce.forward(.sum, x)[flat: 0]), x.scalars.reduce(0) { $0 + Double($1) }, accuracy: 1e-4)
        let m = Reduce.forward(.mean, x, axes: [0, 2], keepDims: true)
        XCTAssertEqual(m.shape, [1, 3, 1])
        var s: Float = 0
        for a in 0..<2 { for c in 0..<4 { s += x[a, 1, c] } }
        XCTAssertEqual(m[0, 1, 0], s / 8, accuracy: 1e-5)
        XCTAssertEqual(Reduce.forward(.sum, x, axes: [-1]).shape, [2, 3])
        for (kind, axes) in [(Reduce.Kind.sum, [Int]()), (.mean, [1]), (.sum, [0, 2]), (.mean, [])] {
            checkGradient("\(kind) \(axes)", x: x, f: { Reduce.forward(kind, $0, axes: axes) },
                          backward: { Reduce.backward(kind, $0, inputShape: x.shape, axes: axes) })
        }
        XCTAssertEqual(Tensor(shape: [3], scalars: [1, -2, 3]).sumOfSquares(), 14)
    }
}
