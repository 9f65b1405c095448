import Foundation

// MARK: - Binary elementwise ops

/// Binary elementwise ops with NumPy broadcasting; add, sub and mul also have vector–Jacobian products.
///
/// Comparison and logic ops return 0/1 scalars; integer ops (`truncatingDivide`, `floorModulo`) treat their
/// float operands as integers. Only add, sub and mul are differentiable; the rest are inference-only.
public enum Elementwise {
    /// A binary elementwise operation.
    public enum Binary: Sendable, Hashable {
        /// a + b.
        case add
        /// a − b.
        case sub
        /// a · b.
        case mul
        /// a / b (inference-only).
        case div
        /// a^b (inference-only).
        case pow
        /// max(a, b), NaN-propagating (inference-only).
        case max
        /// min(a, b), NaN-propagating (inference-only).
        case min
        /// Integer division truncated toward zero (inference-only).
        case truncatingDivide
        /// Remainder with the sign of the divisor, as Python's % (inference-only).
        case floorModulo
        /// Remainder with the sign of the dividend, as C fmod (inference-only).
        case truncatingModulo
        /// 1 if a == b else 0 (inference-only).
        case equal
        /// 1 if a < b else 0 (inference-only).
        case less
        /// 1 if a ≤ b else 0 (inference-only).
        case lessOrEqual
        /// 1 if a > b else 0 (inference-only).
        case greater
        /// 1 if a ≥ b else 0 (inference-only).
        case greaterOrEqual
        /// Logical and of a ≠ 0 and b ≠ 0 (inference-only).
        case and
        /// Logical or (inference-only).
        case or
        /// Logical exclusive or (inference-only).
        case xor
        /// a if a ≥ 0 else a · b (parametric ReLU, inference-only).
        case prelu

        /// Whether `Elementwise.backward` supports the op.
        public var isDifferentiable: Bool { self == .add || self == .sub || self == .mul }
    }

    // MARK: Forward

    /// The same-shape loop, with `f` inlined so the compiler can vectorise it.
    @inline(__always)
    static func sameShape(_ n: Int, _ a: SharedPointer, _ b: SharedPointer, _ y: SharedPointer,
                          _ f: @escaping @Sendable (Float, Float) -> Float) {
        parallelChunks(n, costPerItem: 2) { r in
            let x = a.p, z = b.p, o = y.p
            for i in r { o[i] = f(x[i], z[i]) }
        }
    }

    /// The broadcasting loop over innermost runs.
    @inline(__always)
    static func broadcastRuns(_ shape: [Int], _ sa: [Int], _ sb: [Int], _ x: UnsafeMutablePointer<Float>,
                              _ z: UnsafeMutablePointer<Float>, _ o: UnsafeMutablePointer<Float>,
                              _ f: (Float, Float) -> Float) {
        Broadcast.forEachRun(shape, sa, sb) { oa, ob, oo, n, ia, ib in
            if ib == 0 {
                let bv = z[ob]
                if ia == 1 { for i in 0..<n { o[oo + i] = f(x[oa + i], bv) } } else { for i in 0..<n { o[oo + i] = f(x[oa + i * ia], bv) } }
            } else if ia == 0 {
                let av = x[oa]
                if ib == 1 { for i in 0..<n { o[oo + i] = f(av, z[ob + i]) } } else { for i in 0..<n { o[oo + i] = f(av, z[ob + i * ib]) } }
            } else {
                for i in 0..<n { o[oo + i] = f(x[oa + i * ia], z[ob + i * ib]) }
            }
        }
    }

    /// The scalar function of `op`.
    @inline(__always)
    static func function(_ op: Binary) -> @Sendable (Float, Float) -> Float {
        switch op {
        case .add: return { $0 + $1 }
        case .sub: return { $0 - $1 }
        case .mul: return { $0 * $1 }
        case .div: return { $0 / $1 }
        case .pow: return { Foundation.pow($0, $1) }
        case .max: return { $0.isNaN || $1.isNaN ? .nan : Swift.max($0, $1) }
        case .min: return { $0.isNaN || $1.isNaN ? .nan : Swift.min($0, $1) }
        case .truncatingDivide: return { $1 == 0 ? 0 : ($0 / $1).rounded(.towardZero) }
        case .floorModulo: return { a, b in
            if b == 0 { return .nan }
            let r = fmodf(a, b)
            return r != 0 && ((r < 0) != (b < 0)) ? r + b : r
        }
        case .truncatingModulo: return { fmodf($0, $1) }
        case .equal: return { $0 == $1 ? 1 : 0 }
        case .less: return { $0 < $1 ? 1 : 0 }
        case .lessOrEqual: return { $0 <= $1 ? 1 : 0 }
        case .greater: return { $0 > $1 ? 1 : 0 }
        case .greaterOrEqual: return { $0 >= $1 ? 1 : 0 }
        case .and: return { $0 != 0 && $1 != 0 ? 1 : 0 }
        case .or: return { $0 != 0 || $1 != 0 ? 1 : 0 }
        case .xor: return { ($0 != 0) != ($1 != 0) ? 1 : 0 }
        case .prelu: return { $0 >= 0 ? $0 : $0 * $1 }
        }
    }

    /// a ⊕ b with broadcasting.
    public static func forward(_ op: Binary, _ a: Tensor, _ b: Tensor) -> Tensor {
        if a.shape == b.shape {
            let y = Tensor(uninitializedShape: a.shape)
            let ap = SharedPointer(a.ptr), bp = SharedPointer(b.ptr), yp = SharedPointer(y.ptr)
            switch op {   // the hot cases get their own specialised loops
            case .add: sameShape(a.count, ap, bp, yp) { $0 + $1 }
            case .sub: sameShape(a.count, ap, bp, yp) { $0 - $1 }
            case .mul: sameShape(a.count, ap, bp, yp) { $0 * $1 }
            case .div: sameShape(a.count, ap, bp, yp) { $0 / $1 }
            default: sameShape(a.count, ap, bp, yp, function(op))
            }
            withExtendedLifetime((a, b)) {}
            return y
        }
        guard let shape = Broadcast.shape(a.shape, b.shape) else {
            preconditionFailure("cannot broadcast \(a.shape) with \(b.shape)")
        }
        let y = Tensor(uninitializedShape: shape)
        let sa = Broadcast.strides(of: a.shape, in: shape), sb = Broadcast.strides(of: b.shape, in: shape)
        let x = a.ptr, z = b.ptr, o = y.ptr
        switch op {
        case .add: broadcastRuns(shape, sa, sb, x, z, o) { $0 + $1 }
        case .sub: broadcastRuns(shape, sa, sb, x, z, o) { $0 - $1 }
        case .mul: broadcastRuns(shape, sa, sb, x, z, o) { $0 * $1 }
        case .div: broadcastRuns(shape, sa, sb, x, z, o) { $0 / $1 }
        default: broadcastRuns(shape, sa, sb, x, z, o, function(op))
        }
        withExtendedLifetime((a, b)) {}
        return y
    }

    // MARK: Backward

    /// (dL/da, dL/db) for y = a ⊕ b given dL/dy; `mul` needs both operands, add/sub only their shapes.
    public static func backward(_ op: Binary, _ dy: Tensor, a: Tensor, b: Tensor) -> (Tensor, Tensor) {
        backward(op, dy, aShape: a.shape, bShape: b.shape, a: a, b: b)
    }

    /// Backward from shapes alone (valid for add and sub; mul needs `a` and `b`; other ops are inference-only).
    public static func backward(_ op: Binary, _ dy: Tensor, aShape: [Int], bShape: [Int],
                                a: Tensor? = nil, b: Tensor? = nil) -> (Tensor, Tensor) {
        switch op {
        case .add:
            return (Broadcast.sum(dy, to: aShape), Broadcast.sum(dy, to: bShape))
        case .sub:
            let negated = forward(.mul, dy, .scalar(-1))
            return (Broadcast.sum(dy, to: aShape), Broadcast.sum(negated, to: bShape))
        case .mul:
            guard let a, let b else { preconditionFailure("mul backward needs both operands") }
            return (Broadcast.sum(forward(.mul, dy, b), to: aShape), Broadcast.sum(forward(.mul, dy, a), to: bShape))
        default:
            preconditionFailure("\(op) is inference-only (no backward)")
        }
    }
}
