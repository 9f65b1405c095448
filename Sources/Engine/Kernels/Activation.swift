import Foundation

// MARK: - Activation functions

/// A pointwise activation; convolutions can apply one fused, and every kind's backward needs only its output.
public enum Activation: Sendable, Hashable {
    /// y = x.
    case identity
    /// y = max(x, 0).
    case relu
    /// y = min(max(x, 0), 6).
    case relu6
    /// y = min(max(x, lower), upper).
    case clip(lower: Float, upper: Float)
    /// y = x for x > 0, else slope·x (slope > 0).
    case leakyRelu(slope: Float)
    /// y = 1 / (1 + e^-x).
    case sigmoid
    /// y = tanh(x).
    case tanh

    /// Whether the gradient needs the output at all (identity does not).
    public var needsOutputForBackward: Bool { self != .identity }
}

// MARK: - Kernels

/// Forward and backward of pointwise activations.
public enum ActivationKernel {
    /// Applies `activation` in place to `count` scalars at `p`.
    @inline(__always)
    static func apply(_ activation: Activation, _ p: UnsafeMutablePointer<Float>, _ count: Int) {
        switch activation {
        case .identity: return
        case .relu: for i in 0..<count { p[i] = max(p[i], 0) }
        case .relu6: for i in 0..<count { p[i] = min(max(p[i], 0), 6) }
        case .clip(let lo, let hi): for i in 0..<count { p[i] = min(max(p[i], lo), hi) }
        case .leakyRelu(let s): for i in 0..<count { let v = p[i]; p[i] = v > 0 ? v : v * s }
        case .sigmoid: for i in 0..<count { p[i] = 1 / (1 + expf(-p[i])) }
        case .tanh: for i in 0..<count { p[i] = tanhf(p[i]) }
        }
    }

    /// Multiplies the gradient `g` in place by the activation's derivative, expressed through its output `y`.
    @inline(__always)
    static func backward(_ activation: Activation, grad g: UnsafeMutablePointer<Float>,
                         output y: UnsafePointer<Float>, _ count: Int) {
        switch activation {
        case .identity: return
        case .relu: for i in 0..<count { g[i] = y[i] > 0 ? g[i] : 0 }
        case .relu6: for i in 0..<count { let v = y[i]; g[i] = (v > 0 && v < 6) ? g[i] : 0 }
        case .clip(let lo, let hi): for i in 0..<count { let v = y[i]; g[i] = (v > lo && v < hi) ? g[i] : 0 }
        case .leakyRelu(let s): for i in 0..<count { g[i] = y[i] > 0 ? g[i] : g[i] * s }
        case .sigmoid: for i in 0..<count { let v = y[i]; g[i] *= v * (1 - v) }
        case .tanh: for i in 0..<count { let v = y[i]; g[i] *= 1 - v * v }
        }
    }

    /// y = activation(x).
    public static func forward(_ x: Tensor, _ activation: Activation) -> Tensor {
        let y = Tensor(uninitializedShape: x.shape)
        let src = SharedPointer(x.ptr), dst = SharedPointer(y.ptr)
        parallelChunks(x.count, costPerItem: 4) { r in
            (dst.p + r.lowerBound).update(from: src.p + r.lowerBound, count: r.count)
            apply(activation, dst.p + r.lowerBound, r.count)
        }
        withExtendedLifetime(x) {}
        return y
    }

    /// dx = dy ⊙ activation'(x), computed from the forward output `y`.
    public static func backward(_ dy: Tensor, output y: Tensor, _ activation: Activation) -> Tensor {
        var g = dy
        backwardInPlace(&g, output: y, activation)
        return g
    }

    /// Like `backward`, but overwrites `grad` (copying only if its storage is shared).
    public static func backwardInPlace(_ grad: inout Tensor, output y: Tensor, _ activation: Activation) {
        precondition(grad.shape == y.shape, "activation gradient \(grad.shape) vs output \(y.shape)")
        if activation == .identity { return }
        grad.makeUnique()
        let g = SharedPointer(grad.ptr), yp = SharedPointer(y.ptr)
        parallelChunks(grad.count, costPerItem: 4) { r in
            backward(activation, grad: g.p + r.lowerBound, output: yp.p + r.lowerBound, r.count)
        }
        withExtendedLifetime(y) {}
    }
}
