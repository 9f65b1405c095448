// MARK: - Gather and scatter

/// Index-based gathers and scatters (ONNX Gather, GatherElements, ScatterElements; inference-only).
///
/// Indices are float-carried integers; negative indices count from the end; anything else out of range throws.
public enum Gather {
    /// How ScatterElements combines an update with the existing value.
    public enum Reduction: Sendable, Hashable {
        /// Overwrite.
        case none
        /// Add.
        case add
        /// Multiply.
        case mul
        /// Maximum.
        case max
        /// Minimum.
        case min
    }

    /// The validated integer index of `v` on an axis of length `n`.
    @inline(__always)
    static func index(_ v: Float, _ n: Int) throws -> Int {
        guard v.isFinite, abs(v) <= 1e15 else { throw EngineError.invalidArgument("index \(v) is not an integer") }
        var i = Int(v)
        if i < 0 { i += n }
        guard i >= 0 && i < n else { throw EngineError.invalidArgument("index \(Int(v)) is out of range for an axis of length \(n)") }
        return i
    }

    /// Output shape of `gather`: data[:axis] + indices + data[axis+1:].
    public static func outputShape(data: [Int], indices: [Int], axis: Int) -> [Int] {
        Array(data[..<axis]) + indices + Array(data[(axis + 1)...])
    }

    /// Takes whole slices of `data` along `axis` at `indices`.
    public static func forward(_ data: Tensor, indices: Tensor, axis: Int) throws -> Tensor {
        let a = axis < 0 ? axis + data.rank : axis
        let shape = outputShape(data: data.shape, indices: indices.shape, axis: a)
        let outer = data.shape[..<a].reduce(1, *), len = data.shape[a], inner = data.shape[(a + 1)...].reduce(1, *)
        let y = Tensor(uninitializedShape: shape)
        let m = indices.count
        let resolved = try (0..<m).map { try index(indices.ptr[$0], len) }
        let dp = data.ptr, yp = y.ptr
        for o in 0..<outer {
            for (j, i) in resolved.enumerated() {
                (yp + (o * m + j) * inner).update(from: dp + (o * len + i) * inner, count: inner)
            }
        }
        withExtendedLifetime((data, indices)) {}
        return y
    }

    /// y[i…] = data[i… with i[axis] replaced by indices[i…]]; the output has the indices' shape.
    public static func elementsForward(_ data: Tensor, indices: Tensor, axis: Int) throws -> Tensor {
        let a = axis < 0 ? axis + data.rank : axis
        let y = Tensor(uninitializedShape: indices.shape)
        let ds = contiguousStrides(data.shape)
        var other = ds; other[a] = 0
        let len = data.shape[a], sa = ds[a], lastStride = other.last ?? 0
        let dp = data.ptr, ip = indices.ptr, yp = y.ptr
        var failure: Error?
        forEachStridedRun(indices.shape, [other]) { off, flat, n in
            if failure != nil { return }
            do {
                for i in 0..<n { yp[flat + i] = dp[off[0] + i * lastStride + (try index(ip[flat + i], len)) * sa] }
            } catch { failure = error }
        }
        if let failure { throw failure }
        withExtendedLifetime((data, indices)) {}
        return y
    }

    /// A copy of `data` with `updates` written (or combined) at positions given by `indices` along `axis`.
    public static func scatterElements(_ data: Tensor, indices: Tensor, updates: Tensor, axis: Int,
                                       reduction: Reduction = .none) throws -> Tensor {
        let a = axis < 0 ? axis + data.rank : axis
        var y = data
        y.makeUnique()
        let ds = contiguousStrides(data.shape)
        var other = ds; other[a] = 0
        let len = data.shape[a], sa = ds[a], lastStride = other.last ?? 0
        let ip = indices.ptr, up = updates.ptr, yp = y.ptr
        var failure: Error?
        forEachStridedRun(indices.shape, [other]) { off, flat, n in
            if failure != nil { return }
            do {
                for i in 0..<n {
                    let d = off[0] + i * lastStride + (try index(ip[flat + i], len)) * sa
                    let u = up[flat + i]
                    switch reduction {
                    case .none: yp[d] = u
                    case .add: yp[d] += u
                    case .mul: yp[d] *= u
                    case .max: yp[d] = Swift.max(yp[d], u)
                    case .min: yp[d] = Swift.min(yp[d], u)
                    }
                }
            } catch { failure = error }
        }
        if let failure { throw failure }
        withExtendedLifetime((indices, updates)) {}
        return y
    }
}

// MARK: - Arg reductions

/// Index of the largest or smallest value along one axis (ONNX ArgMax/ArgMin, inference-only).
public enum ArgReduce {
    /// Which extreme to find.
    public enum Kind: Sendable, Hashable {
        /// The largest value.
        case max
        /// The smallest value.
        case min
    }

    /// Float-carried indices; ties go to the first occurrence unless `selectLast`.
    public static func forward(_ x: Tensor, kind: Kind, axis: Int, keepDims: Bool, selectLast: Bool) -> Tensor {
        let (outer, len, inner) = Softmax.split(x.shape, axis)
        let a = axis < 0 ? axis + x.rank : axis
        var shape = x.shape
        if keepDims { shape[a] = 1 } else { shape.remove(at: a) }
        let y = Tensor(uninitializedShape: shape)
        let xp = x.ptr, yp = y.ptr
        for o in 0..<outer {
            for i in 0..<inner {
                let base = o * len * inner + i
                var best = 0, bv = xp[base]
                for k in 1..<max(len, 1) {
                    let v = xp[base + k * inner]
                    let better = kind == .max ? (selectLast ? v >= bv : v > bv) : (selectLast ? v <= bv : v < bv)
                    if better { best = k; bv = v }
                }
                yp[o * inner + i] = Float(best)
            }
        }
        withExtendedLifetime(x) {}
        return y
    }
}
