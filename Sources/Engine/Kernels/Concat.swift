// MARK: - Concatenation

/// Concatenation along one axis (the channel axis for NCHW) and its backward split.
public enum Concat {
    /// The inputs joined along `axis`; all other extents must agree.
    public static func forward(_ xs: [Tensor], axis: Int = 1) -> Tensor {
        precondition(!xs.isEmpty, "concat needs at least one input")
        let rank = xs[0].rank, a = axis < 0 ? axis + rank : axis
        var shape = xs[0].shape
        shape[a] = 0
        for x in xs {
            precondition(x.rank == rank && zip(x.shape, xs[0].shape).enumerated().allSatisfy { $0.offset == a || $0.element.0 == $0.element.1 },
                         "concat: incompatible shapes \(xs.map(\.shape)) along axis \(axis)")
            shape[a] += x.shape[a]
        }
        let outer = Tensor.elementCount(Array(shape[..<a])), inner = Tensor.elementCount(Array(shape[(a + 1)...]))
        let y = Tensor(uninitializedShape: shape)
        let rowOut = shape[a] * inner
        var at = 0
        for x in xs {
            let block = x.shape[a] * inner
            for o in 0..<outer { (y.ptr + o * rowOut + at).update(from: x.ptr + o * block, count: block) }
            at += block
        }
        withExtendedLifetime(xs) {}
        return y
    }

    /// Splits dL/dy back into one gradient per input shape.
    public static func backward(_ dy: Tensor, inputShapes: [[Int]], axis: Int = 1) -> [Tensor] {
        let a = axis < 0 ? axis + dy.rank : axis
        let outer = Tensor.elementCount(Array(dy.shape[..<a])), inner = Tensor.elementCount(Array(dy.shape[(a + 1)...]))
        let rowIn = dy.shape[a] * inner
        var at = 0
        var grads: [Tensor] = []
        for s in inputShapes {
            let block = s[a] * inner
            let g = Tensor(uninitializedShape: s)
            for o in 0..<outer { (g.ptr + o * block).update(from: dy.ptr + o * rowIn + at, count: block) }
            at += block
            grads.append(g)
        }
        withExtendedLifetime(dy) {}
        return grads
    }
}
