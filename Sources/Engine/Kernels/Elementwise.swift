// MARK: - Binary elementwise ops

/// Add, subtract and multiply with NumPy broadcasting, and their vector–Jacobian products.
public enum Elementwise {
    /// A binary elementwise operation.
    public enum Binary: Sendable, Hashable {
        /// a + b.
        case add
        /// a − b.
        case sub
        /// a · b.
        case mul
    }

    /// a ⊕ b with broadcasting.
    public static func forward(_ op: Binary, _ a: Tensor, _ b: Tensor) -> Tensor {
        if a.shape == b.shape {
            let y = Tensor(uninitializedShape: a.shape)
            let ap = SharedPointer(a.ptr), bp = SharedPointer(b.ptr), yp = SharedPointer(y.ptr)
            parallelChunks(a.count, costPerItem: 2) { r in
                let x = ap.p, z = bp.p, o = yp.p
                switch op {
                case .add: for i in r { o[i] = x[i] + z[i] }
                case .sub: for i in r { o[i] = x[i] - z[i] }
                case .mul: for i in r { o[i] = x[i] * z[i] }
                }
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
        Broadcast.forEachRun(shape, sa, sb) { oa, ob, oo, n, ia, ib in
            switch op {
            case .add: for i in 0..<n { o[oo + i] = x[oa + i * ia] + z[ob + i * ib] }
            case .sub: for i in 0..<n { o[oo + i] = x[oa + i * ia] - z[ob + i * ib] }
            case .mul: for i in 0..<n { o[oo + i] = x[oa + i * ia] * z[ob + i * ib] }
            }
        }
        withExtendedLifetime((a, b)) {}
        return y
    }

    /// (dL/da, dL/db) for y = a ⊕ b given dL/dy; `mul` needs both operands, add/sub only their shapes.
    public static func backward(_ op: Binary, _ dy: Tensor, a: Tensor, b: Tensor) -> (Tensor, Tensor) {
        backward(op, dy, aShape: a.shape, bShape: b.shape, a: a, b: b)
    }

    /// Backward from shapes alone (valid for add and sub; mul needs `a` and `b`).
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
        }
    }
}
