// MARK: - Transpose

/// Axis permutation (ONNX Transpose, inference-only): output axis i is input axis perm[i].
public enum Transpose {
    /// The permuted shape.
    public static func outputShape(_ shape: [Int], _ perm: [Int]) -> [Int] { perm.map { shape[$0] } }

    /// x with its axes permuted.
    public static func forward(_ x: Tensor, perm: [Int]) -> Tensor {
        precondition(perm.count == x.rank && Set(perm) == Set(0..<x.rank), "transpose: bad permutation \(perm) for \(x.shape)")
        // Drop extent-1 axes and merge input-adjacent axes that stay adjacent, so loops see the simplest problem.
        var shape: [Int] = [], axes: [Int] = []
        for a in perm where x.shape[a] != 1 { axes.append(a); shape.append(x.shape[a]) }
        let yShape = outputShape(x.shape, perm)
        if axes == axes.sorted() { return x.reshaped(yShape) }   // no data movement
        let inStrides = contiguousStrides(x.shape)
        var mShape: [Int] = [], mStride: [Int] = []
        for (i, a) in axes.enumerated() {
            if i > 0, axes[i - 1] == a - 1 {
                mShape[mShape.count - 1] *= shape[i]; mStride[mStride.count - 1] = inStrides[a]
            } else { mShape.append(shape[i]); mStride.append(inStrides[a]) }
        }
        let y = Tensor(uninitializedShape: yShape)
        let xs = SharedPointer(x.ptr), ys = SharedPointer(y.ptr)
        let r = mShape.count
        if r == 2 {
            // A 2-D transpose in cache-friendly tiles.
            let (rows, cols, sr, sc) = (mShape[0], mShape[1], mStride[0], mStride[1])
            let tile = 32
            parallelChunks((rows + tile - 1) / tile, costPerItem: tile * cols) { range in
                for tb in range {
                    let r0 = tb * tile, r1 = min(r0 + tile, rows)
                    var c0 = 0
                    while c0 < cols {
                        let c1 = min(c0 + tile, cols)
                        for i in r0..<r1 { for j in c0..<c1 { ys.p[i * cols + j] = xs.p[i * sr + j * sc] } }
                        c0 = c1
                    }
                }
            }
        } else {
            StridedCopy.copy(mShape, from: x.ptr, strides: mStride, to: y.ptr, strides: contiguousStrides(mShape))
        }
        withExtendedLifetime(x) {}
        return y
    }
}
