import Media
import XCTest
@testable import Engine

// MARK: - Comparisons

/// Asserts two tensors have the same shape and agree within atol + rtol·|expected|.
func assertClose(_ actual: Tensor, _ expected: Tensor, atol: Float = 1e-4, rtol: Float = 1e-4,
                 _ message: String = "", file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(actual.shape, expected.shape, "shape \(message)", file: file, line: line)
    guard actual.shape == expected.shape else { return }
    let a = actual.scalars, e = expected.scalars
    var worst: Float = 0, at = 0
    for i in 0..<a.count {
        let excess = abs(a[i] - e[i]) - (atol + rtol * abs(e[i]))
        if excess > worst { worst = excess; at = i }
    }
    XCTAssertLessThanOrEqual(worst, 0, "\(message): element \(at) is \(a.isEmpty ? 0 : a[at]), expected \(e.isEmpty ? 0 : e[at])",
                             file: file, line: line)
}

// MARK: - Gradient checking

/// Σ r·f(x) in Double.
func projected(_ f: (Tensor) -> Tensor, _ x: Tensor, _ r: Tensor) -> Double {
    let y = f(x).scalars, rs = r.scalars
    var s: Double = 0
    for i in 0..<y.count { s += Double(y[i]) * Double(rs[i]) }
    return s
}

/// Checks `backward(r)` against central differences of Σ r·f(x) for up to `samples` input elements.
func checkGradient(_ name: String, x: Tensor, f: (Tensor) -> Tensor, backward: (Tensor) -> Tensor,
                   eps: Float = 1e-2, tolerance: Double = 2e-2, samples: Int = 60, seed: UInt64 = 99,
                   file: StaticString = #filePath, line: UInt = #line) {
    let y = f(x)
    let r = Tensor.uniform(y.shape, seed: seed)
    let analytic = backward(r)
    XCTAssertEqual(analytic.shape, x.shape, "\(name): gradient shape", file: file, line: line)
    guard analytic.shape == x.shape else { return }
    var g = SeededGenerator(seed: seed &+ 1)
    let indices = x.count <= samples ? Array(0..<x.count) : (0..<samples).map { _ in Int(g.next() % UInt64(x.count)) }
    var scale: Double = 1e-3
    for i in 0..<analytic.count { scale = max(scale, Double(abs(analytic[flat: i]))) }
    for i in indices {
        var plus = x, minus = x
        plus[flat: i] += eps
        minus[flat: i] -= eps
        let numeric = (projected(f, plus, r) - projected(f, minus, r)) / Double(2 * eps)
        let a = Double(analytic[flat: i])
        XCTAssertLessThanOrEqual(abs(numeric - a), tolerance * max(scale, abs(numeric)) + 1e-4,
                                 "\(name): d/dx[\(i)] analytic \(a) vs numeric \(numeric)", file: file, line: line)
    }
}

/// Random values kept away from 0 (and from ±`kink`) so piecewise-linear ops are differentiable at the sample.
func awayFromKinks(_ shape: [Int], seed: UInt64, kinks: [Float] = [0], margin: Float = 0.05, scale: Float = 1) -> Tensor {
    var t = Tensor.uniform(shape, in: -scale...scale, seed: seed)
    for i in 0..<t.count {
        for k in kinks where abs(t[flat: i] - k) < margin { t[flat: i] = k + (t[flat: i] >= k ? margin : -margin) * 2 }
    }
    return t
}

// MARK: - Naive references

/// Direct 7-loop convolution in Double.
func naiveConv(_ x: Tensor, _ w: Tensor, _ b: Tensor?, _ p: Conv2DParameters) -> Tensor {
    let (n, h, wd) = (x.shape[0], x.shape[2], x.shape[3])
    let (co, cg, kh, kw) = (w.shape[0], w.shape[1], w.shape[2], w.shape[3])
    let (ho, wo) = p.outputSize(height: h, width: wd, kh: kh, kw: kw)
    let cog = co / p.groups
    var y = Tensor.zeros([n, co, ho, wo])
    for b0 in 0..<n { for o in 0..<co { for oy in 0..<ho { for ox in 0..<wo {
        let g = o / cog
        var s = Double(b?[o] ?? 0)
        for ci in 0..<cg { for ky in 0..<kh { for kx in 0..<kw {
            let iy = oy * p.strideH - p.padTop + ky * p.dilationH
            let ix = ox * p.strideW - p.padLeft + kx * p.dilationW
            if iy < 0 || iy >= h || ix < 0 || ix >= wd { continue }
            s += Double(x[b0, g * cg + ci, iy, ix]) * Double(w[o, ci, ky, kx])
        } } }
        y[b0, o, oy, ox] = Float(s)
    } } } }
    return y
}
