// MARK: - Circular shift

/// torch.roll: circular shifts along axes (DeepDream jitter rolls H and W).
public enum Roll {
    /// x shifted by `shifts[i]` along `axes[i]`; element i moves to (i + shift) mod extent.
    public static func forward(_ x: Tensor, shifts: [Int], axes: [Int]) -> Tensor {
        precondition(shifts.count == axes.count, "roll needs one shift per axis")
        var cur = x
        for (shift, axis) in zip(shifts, axes) { cur = rollOne(cur, shift: shift, axis: axis) }
        return cur
    }

    /// dL/dx: the gradient rolled back.
    public static func backward(_ dy: Tensor, shifts: [Int], axes: [Int]) -> Tensor {
        forward(dy, shifts: shifts.map { -$0 }, axes: axes)
    }

    static func rollOne(_ x: Tensor, shift: Int, axis: Int) -> Tensor {
        let a = axis < 0 ? axis + x.rank : axis
        precondition(a >= 0 && a < x.rank, "roll axis \(axis) out of range for \(x.shape)")
        let len = x.shape[a]
        let s = len == 0 ? 0 : ((shift % len) + len) % len
        if s == 0 { return x }
        let outer = Tensor.elementCount(Array(x.shape[..<a])), inner = Tensor.elementCount(Array(x.shape[(a + 1)...]))
        let y = Tensor(uninitializedShape: x.shape)
        let xs = SharedPointer(x.ptr), ys = SharedPointer(y.ptr)
        parallelChunks(outer, costPerItem: len * inner) { range in
            for o in range {
                let src = xs.p + o * len * inner, dst = ys.p + o * len * inner
                // [0, len−s) moves to [s, len); [len−s, len) wraps to [0, s).
                (dst + s * inner).update(from: src, count: (len - s) * inner)
                dst.update(from: src + (len - s) * inner, count: s * inner)
            }
        }
        withExtendedLifetime(x) {}
        return y
    }
}
