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
        if inner == 1 && xs.count <= 16 && xs.allSatisfy({ $0.shape[a] == 1 }) {
            // Every input adds one scalar per output row (stacking along a new last axis): interleave row by row.
            interleave(xs.map(\.ptr), rows: outer, into: y.ptr)
            withExtendedLifetime(xs) {}
            return y
        }
        var at = 0
        for x in xs {
            let block = x.shape[a] * inner
            StridedCopy.copy([outer, block], from: x.ptr, strides: [block, 1], to: y.ptr + at, strides: [rowOut, 1])
            at += block
        }
        withExtendedLifetime(xs) {}
        return y
    }

    /// y[r·k + i] = inputs[i][r] for k inputs of `rows` scalars each, writing y front to back.
    static func interleave(_ inputs: [UnsafeMutablePointer<Float>], rows: Int, into y: UnsafeMutablePointer<Float>) {
        let k = inputs.count
        inputs.withUnsafeBufferPointer { src in
            var out = y
            for r in 0..<rows {
                for i in 0..<k { out[i] = src[i][r] }
                out += k
            }
        }
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
            StridedCopy.copy([outer, block], from: dy.ptr + at, strides: [rowIn, 1], to: g.ptr, strides: [block, 1])
            at += block
            grads.append(g)
        }
        withExtendedLifetime(dy) {}
        return grads
    }
}
