// MARK: - Strided slice

/// A normalised per-axis slice: output index i on axis a reads input index start[a] + i·step[a].
public struct SliceParameters: Sendable, Hashable {
    /// First input index per axis.
    public var starts: [Int]
    /// Step per axis (may be negative).
    public var steps: [Int]
    /// Output extent per axis.
    public var counts: [Int]

    /// Groups the three arrays (one entry per axis of the input).
    public init(starts: [Int], steps: [Int], counts: [Int]) {
        precondition(starts.count == steps.count && steps.count == counts.count, "slice parameters disagree in rank")
        self.starts = starts; self.steps = steps; self.counts = counts
    }
}

/// Strided slicing (ONNX Slice, inference-only).
public enum StridedSlice {
    /// x[starts + i·steps] for i < counts, per axis.
    public static func forward(_ x: Tensor, _ p: SliceParameters) -> Tensor {
        precondition(p.counts.count == x.rank, "slice: parameters for rank \(p.counts.count), input \(x.shape)")
        if p.counts == x.shape && p.starts.allSatisfy({ $0 == 0 }) && p.steps.allSatisfy({ $0 == 1 }) { return x }
        let strides = contiguousStrides(x.shape)
        var base = 0
        for a in 0..<x.rank where p.counts[a] > 0 { base += p.starts[a] * strides[a] }
        let s = zip(strides, p.steps).map { $0 * $1 }
        let y = Tensor(uninitializedShape: p.counts)
        let xp = x.ptr, yp = y.ptr, last = s.last ?? 0
        forEachStridedRun(p.counts, [s], bases: [base]) { off, flat, n in
            if last == 1 { (yp + flat).update(from: xp + off[0], count: n) } else { for i in 0..<n { yp[flat + i] = xp[off[0] + i * last] } }
        }
        withExtendedLifetime(x) {}
        return y
    }
}

// MARK: - Pad

/// How `Pad` fills the border.
public enum PadMode: Sendable, Hashable {
    /// A constant value.
    case constant(Float)
    /// Mirror without repeating the edge (numpy "reflect").
    case reflect
    /// Repeat the edge value.
    case edge
    /// Wrap around (circular).
    case wrap
}

/// Padding with non-negative per-axis amounts (ONNX Pad, inference-only).
public enum Pad {
    /// Source index on an axis of length `n` for padded position `i` (already shifted by the leading pad), or nil for a constant.
    @inline(__always)
    static func source(_ i: Int, _ n: Int, _ mode: PadMode) -> Int? {
        if i >= 0 && i < n { return i }
        switch mode {
        case .constant: return nil
        case .edge: return i < 0 ? 0 : n - 1
        case .wrap: return ((i % n) + n) % n
        case .reflect:
            if n == 1 { return 0 }
            let period = 2 * (n - 1)
            var m = ((i % period) + period) % period
            if m >= n { m = period - m }
            return m
        }
    }

    /// x padded by `before[a]` and `after[a]` on every axis a.
    public static func forward(_ x: Tensor, before: [Int], after: [Int], mode: PadMode) -> Tensor {
        let r = x.rank
        precondition(before.count == r && after.count == r, "pad: amounts for rank \(before.count), input \(x.shape)")
        let shape = (0..<r).map { x.shape[$0] + before[$0] + after[$0] }
        let y = Tensor(uninitializedShape: shape)
        if y.count == 0 { return y }
        var fill: Float = 0
        if case .constant(let v) = mode { fill = v }
        if x.count == 0 {   // only a constant can fill an empty source
            return Tensor(shape: shape, repeating: fill)
        }
        let inStrides = contiguousStrides(x.shape)
        let xp = x.ptr, yp = y.ptr
        if r == 0 { yp[0] = xp[0]; return y }
        let w = shape[r - 1], n = x.shape[r - 1], b = before[r - 1]
        // Source index map of the innermost axis (−1 = constant).
        let lastMap = (0..<w).map { source($0 - b, n, mode) ?? -1 }
        let outerShape = Array(shape.dropLast())
        var idx = [Int](repeating: 0, count: r - 1)
        let outer = outerShape.reduce(1, *)
        for o in 0..<outer {
            var src = 0, isConstant = false
            for a in 0..<(r - 1) {
                guard let s = source(idx[a] - before[a], x.shape[a], mode) else { isConstant = true; break }
                src += s * inStrides[a]
            }
            let dst = yp + o * w
            if isConstant {
                dst.update(repeating: fill, count: w)
            } else {
                let row = xp + src
                for j in 0..<w { let s = lastMap[j]; dst[j] = s < 0 ? fill : row[s] }
            }
            var ax = r - 2
            while ax >= 0 { idx[ax] += 1; if idx[ax] < outerShape[ax] { break }; idx[ax] = 0; ax -= 1 }
        }
        withExtendedLifetime(x) {}
        return y
    }
}
