import Foundation

// MARK: - Softmax

/// Numerically stable softmax along one axis.
public enum Softmax {
    /// Splits `shape` around `axis` into (outer, length, inner).
    static func split(_ shape: [Int], _ axis: Int) -> (Int, Int, Int) {
        let a = axis < 0 ? axis + shape.count : axis
        precondition(a >= 0 && a < shape.count, "axis \(axis) out of range for \(shape)")
        return (Tensor.elementCount(Array(shape[..<a])), shape[a], Tensor.elementCount(Array(shape[(a + 1)...])))
    }

    /// y = exp(x − max) / Σ exp(x − max) along `axis`.
    public static func forward(_ x: Tensor, axis: Int = -1) -> Tensor {
        let (outer, len, inner) = split(x.shape, axis)
        let y = Tensor(uninitializedShape: x.shape)
        let xp = x.ptr, yp = y.ptr
        for o in 0..<outer {
            for i in 0..<inner {
                let base = o * len * inner + i
                var m = -Float.infinity
                for k in 0..<len { m = max(m, xp[base + k * inner]) }
                var s: Float = 0
                for k in 0..<len { let e = expf(xp[base + k * inner] - m); yp[base + k * inner] = e; s += e }
                let inv = 1 / s
                for k in 0..<len { yp[base + k * inner] *= inv }
            }
        }
        withExtendedLifetime(x) {}
        return y
    }

    /// dL/dx = y ⊙ (dL/dy − Σ dL/dy ⊙ y), from the forward output y.
    public static func backward(_ dy: Tensor, output y: Tensor, axis: Int = -1) -> Tensor {
        precondition(dy.shape == y.shape, "softmax backward: gradient \(dy.shape) for output \(y.shape)")
        let (outer, len, inner) = split(y.shape, axis)
        let dx = Tensor(uninitializedShape: y.shape)
        let g = dy.ptr, yp = y.ptr, d = dx.ptr
        for o in 0..<outer {
            for i in 0..<inner {
                let base = o * len * inner + i
                var dot: Float = 0
                for k in 0..<len { dot += g[base + k * inner] * yp[base + k * inner] }
                for k in 0..<len { d[base + k * inner] = yp[base + k * inner] * (g[base + k * inner] - dot) }
            }
        }
        withExtendedLifetime((dy, y)) {}
        return dx
    }
}
