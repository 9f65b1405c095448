// MARK: - Where

/// Elementwise selection `cond ? a : b` with three-way broadcasting (inference-only).
public enum Select {
    /// The broadcast shape of several shapes, or nil if incompatible.
    public static func shape(_ shapes: [[Int]]) -> [Int]? {
        var s: [Int] = []
        for t in shapes { guard let b = Broadcast.shape(s, t) else { return nil }; s = b }
        return s
    }

    /// cond ≠ 0 ? a : b.
    public static func forward(_ cond: Tensor, _ a: Tensor, _ b: Tensor) -> Tensor {
        guard let shape = shape([cond.shape, a.shape, b.shape]) else {
            preconditionFailure("where: cannot broadcast \(cond.shape), \(a.shape), \(b.shape)")
        }
        let y = Tensor(uninitializedShape: shape)
        let sc = Broadcast.strides(of: cond.shape, in: shape), sa = Broadcast.strides(of: a.shape, in: shape)
        let sb = Broadcast.strides(of: b.shape, in: shape)
        let c = cond.ptr, x = a.ptr, z = b.ptr, o = y.ptr
        let ic = sc.last ?? 0, ia = sa.last ?? 0, ib = sb.last ?? 0
        forEachStridedRun(shape, [sc, sa, sb]) { off, flat, n in
            let oc = off[0], oa = off[1], ob = off[2]
            for i in 0..<n { o[flat + i] = c[oc + i * ic] != 0 ? x[oa + i * ia] : z[ob + i * ib] }
        }
        withExtendedLifetime((cond, a, b)) {}
        return y
    }
}

// MARK: - Expand

/// Broadcasts a tensor to a larger shape by copying (ONNX Expand, inference-only).
public enum Expand {
    /// x broadcast to `shape` (which must already be the broadcast of x.shape and shape).
    public static func forward(_ x: Tensor, to shape: [Int]) -> Tensor {
        if x.shape == shape { return x }
        let y = Tensor(uninitializedShape: shape)
        let sx = Broadcast.strides(of: x.shape, in: shape)
        let xp = x.ptr, yp = y.ptr, ix = sx.last ?? 0
        forEachStridedRun(shape, [sx]) { off, flat, n in
            let o = off[0]
            if ix == 0 { (yp + flat).update(repeating: xp[o], count: n) } else { (yp + flat).update(from: xp + o, count: n) }
        }
        withExtendedLifetime(x) {}
        return y
    }
}
