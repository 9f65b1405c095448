// MARK: - Broadcasting

/// NumPy-style broadcasting helpers shared by the binary elementwise ops and their backward.
public enum Broadcast {
    /// The broadcast shape of two shapes (aligned at the trailing axis), or nil if incompatible.
    public static func shape(_ a: [Int], _ b: [Int]) -> [Int]? {
        let r = max(a.count, b.count)
        var out = [Int](repeating: 1, count: r)
        for i in 0..<r {
            let da = i < r - a.count ? 1 : a[i - (r - a.count)]
            let db = i < r - b.count ? 1 : b[i - (r - b.count)]
            if da == db || db == 1 { out[i] = da } else if da == 1 { out[i] = db } else { return nil }
        }
        return out
    }

    /// Strides of `shape` seen through the broadcast `target` shape (0 on broadcast axes).
    public static func strides(of shape: [Int], in target: [Int]) -> [Int] {
        let r = target.count, off = r - shape.count
        var strides = [Int](repeating: 0, count: r)
        var s = 1
        for i in stride(from: shape.count - 1, through: 0, by: -1) {
            strides[i + off] = shape[i] == 1 ? 0 : s
            s *= shape[i]
        }
        return strides
    }

    /// Calls `body(offsetA, offsetB, outOffset, n, strideA, strideB)` for every innermost run of the broadcast.
    ///
    /// Extent-1 axes are dropped and axes both operands step through contiguously are merged first, so
    /// e.g. [1, 172, 309, 1] ⊕ [1] runs once over 53,148 scalars instead of 53,148 times over one.
    @inline(__always)
    static func forEachRun(_ shape: [Int], _ stridesA: [Int], _ stridesB: [Int],
                           _ body: (Int, Int, Int, Int, Int, Int) -> Void) {
        if shape.contains(0) { return }
        let (target, st) = StridedCopy.simplified(shape, [stridesA, stridesB])
        let sa = st[0], sb = st[1], r = target.count
        if r == 0 { body(0, 0, 0, 1, 0, 0); return }
        let inner = target[r - 1]
        let outer = Tensor.elementCount(Array(target.dropLast()))
        var idx = [Int](repeating: 0, count: max(r - 1, 0))
        var oa = 0, ob = 0
        for o in 0..<outer {
            body(oa, ob, o * inner, inner, sa[r - 1], sb[r - 1])
            var ax = r - 2
            while ax >= 0 {
                idx[ax] += 1; oa += sa[ax]; ob += sb[ax]
                if idx[ax] < target[ax] { break }
                oa -= sa[ax] * target[ax]; ob -= sb[ax] * target[ax]; idx[ax] = 0
                ax -= 1
            }
        }
    }

    /// Sums `t` over its broadcast axes so it has `shape` (the backward of broadcasting).
    public static func sum(_ t: Tensor, to shape: [Int]) -> Tensor {
        if t.shape == shape { return t }
        let out = Tensor.zeros(shape)
        let so = strides(of: shape, in: t.shape)
        let zero = [Int](repeating: 0, count: t.shape.count)
        let op = out.ptr, tp = t.ptr
        forEachRun(t.shape, so, zero) { a, _, o, n, sa, _ in
            if sa == 0 {
                var s: Float = 0
                for i in 0..<n { s += tp[o + i] }
                op[a] += s
            } else {
                for i in 0..<n { op[a + i * sa] += tp[o + i] }
            }
        }
        withExtendedLifetime(t) {}
        return out
    }
}
