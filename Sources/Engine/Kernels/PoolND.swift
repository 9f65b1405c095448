// MARK: - N-d pooling geometry

/// Pooling over any number of spatial axes with dilations and asymmetric padding (ONNX semantics).
public struct PoolParameters: Sendable, Hashable {
    /// Window extent per spatial axis.
    public var kernel: [Int]
    /// Stride per spatial axis.
    public var strides: [Int]
    /// Dilation per spatial axis.
    public var dilations: [Int]
    /// Padding before each spatial axis.
    public var padsBegin: [Int]
    /// Padding after each spatial axis.
    public var padsEnd: [Int]
    /// Output extent per spatial axis (computed by the caller with its rounding rule).
    public var outputSize: [Int]
    /// Average pooling divides by every window position inside the padded input, not just the real ones.
    public var countIncludePad: Bool

    /// Groups the arrays (all of one length, the number of spatial axes).
    public init(kernel: [Int], strides: [Int], dilations: [Int], padsBegin: [Int], padsEnd: [Int],
                outputSize: [Int], countIncludePad: Bool) {
        self.kernel = kernel; self.strides = strides; self.dilations = dilations
        self.padsBegin = padsBegin; self.padsEnd = padsEnd; self.outputSize = outputSize
        self.countIncludePad = countIncludePad
    }
}

// MARK: - N-d pooling kernel

/// Max and average pooling over [N, C, spatial…] tensors (inference-only).
public enum PoolND {
    /// Output of max (`isMax`) or average pooling; for max pooling also the flat argmax index per output
    /// (row-major over the input's spatial axes, offset by the plane, as ONNX MaxPool's Indices) when `indices`.
    public static func forward(_ x: Tensor, _ p: PoolParameters, isMax: Bool, columnMajorIndices: Bool = false) -> (Tensor, Tensor) {
        let sp = p.kernel.count
        precondition(x.rank == sp + 2, "pool: input \(x.shape) for \(sp) spatial axes")
        let inSp = Array(x.shape[2...])
        let shape = [x.shape[0], x.shape[1]] + p.outputSize
        let y = Tensor(uninitializedShape: shape)
        let ind = Tensor(uninitializedShape: isMax ? shape : [0])
        let planes = x.shape[0] * x.shape[1]
        let inPlane = inSp.reduce(1, *), outPlane = p.outputSize.reduce(1, *)
        let windowSize = p.kernel.reduce(1, *)
        let inStrides = contiguousStrides(inSp)
        // Column-major strides for storage_order = 1 indices.
        var colStridesVar = [Int](repeating: 1, count: sp)
        for a in 1..<max(sp, 1) where sp > 1 { colStridesVar[a] = colStridesVar[a - 1] * inSp[a - 1] }
        let colStrides = colStridesVar
        let xs = SharedPointer(x.ptr), ys = SharedPointer(y.ptr), js = SharedPointer(ind.ptr)
        parallelChunks(planes, costPerItem: outPlane * windowSize) { range in
            var oIdx = [Int](repeating: 0, count: sp), kIdx = [Int](repeating: 0, count: sp)
            for plane in range {
                let src = xs.p + plane * inPlane
                for o in 0..<outPlane {
                    var rem = o
                    for a in stride(from: sp - 1, through: 0, by: -1) { oIdx[a] = rem % p.outputSize[a]; rem /= p.outputSize[a] }
                    var best = -Float.infinity, bestAt = -1, sum: Float = 0, real = 0, padded = 0
                    for a in 0..<sp { kIdx[a] = 0 }
                    for _ in 0..<windowSize {
                        var off = 0, inside = true, inPadded = true, colOff = 0
                        for a in 0..<sp {
                            let i = oIdx[a] * p.strides[a] - p.padsBegin[a] + kIdx[a] * p.dilations[a]
                            if i < 0 || i >= inSp[a] { inside = false }
                            if i < -p.padsBegin[a] || i >= inSp[a] + p.padsEnd[a] { inPadded = false }
                            off += i * inStrides[a]; colOff += i * colStrides[a]
                        }
                        if inPadded { padded += 1 }
                        if inside {
                            let v = src[off]
                            real += 1; sum += v
                            if v > best || bestAt < 0 { best = v; bestAt = columnMajorIndices ? colOff : off }
                        }
                        var a = sp - 1
                        while a >= 0 { kIdx[a] += 1; if kIdx[a] < p.kernel[a] { break }; kIdx[a] = 0; a -= 1 }
                    }
                    let d = plane * outPlane + o
                    if isMax {
                        ys.p[d] = bestAt < 0 ? -.infinity : best
                        js.p[d] = Float(plane * inPlane + max(bestAt, 0))
                    } else {
                        let n = p.countIncludePad ? padded : real
                        ys.p[d] = n > 0 ? sum / Float(n) : 0
                    }
                }
            }
        }
        withExtendedLifetime(x) {}
        return (y, ind)
    }
}
