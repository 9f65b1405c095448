// MARK: - Separable resampling

/// The interpolation taps of one axis: output j = Σₜ weights[j·width + t] · input[indices[j·width + t]].
///
/// An index of −1 marks an output position outside the input (its value is `fill`), which is how
/// ONNX Resize's `tf_crop_and_resize` extrapolates.
public struct ResampleTaps: Sendable, Hashable {
    /// Output length.
    public var outputSize: Int
    /// Taps per output position.
    public var width: Int
    /// Input index of every tap (−1 = outside).
    public var indices: [Int]
    /// Weight of every tap.
    public var weights: [Float]
    /// Value of outside positions.
    public var fill: Float

    /// Groups the arrays; `indices` and `weights` hold `outputSize × width` entries.
    public init(outputSize: Int, width: Int, indices: [Int], weights: [Float], fill: Float = 0) {
        precondition(indices.count == outputSize * width && weights.count == indices.count, "resample taps do not match")
        self.outputSize = outputSize; self.width = width; self.indices = indices; self.weights = weights; self.fill = fill
    }
}

/// Resampling along one axis with precomputed taps (nearest, linear and cubic Resize; inference-only).
public enum Resample {
    /// x resampled along `axis`.
    public static func forward(_ x: Tensor, axis: Int, taps: ResampleTaps) -> Tensor {
        let (outer, len, inner) = Softmax.split(x.shape, axis)
        var shape = x.shape
        shape[axis < 0 ? axis + x.rank : axis] = taps.outputSize
        let y = Tensor(uninitializedShape: shape)
        let xs = SharedPointer(x.ptr), ys = SharedPointer(y.ptr)
        let out = taps.outputSize, w = taps.width
        let idx = taps.indices, wt = taps.weights, fill = taps.fill
        for t in idx { precondition(t >= -1 && t < len, "resample tap \(t) outside an axis of \(len)") }
        parallelChunks(outer, costPerItem: out * inner * w) { range in
            for o in range {
                let src = xs.p + o * len * inner, dst = ys.p + o * out * inner
                for j in 0..<out {
                    let d = dst + j * inner
                    if idx[j * w] < 0 { d.update(repeating: fill, count: inner); continue }
                    d.update(repeating: 0, count: inner)
                    for t in 0..<w {
                        let s = src + idx[j * w + t] * inner, c = wt[j * w + t]
                        if c == 0 { continue }
                        for i in 0..<inner { d[i] += c * s[i] }
                    }
                }
            }
        }
        withExtendedLifetime(x) {}
        return y
    }
}
