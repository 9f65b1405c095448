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
        StridedCopy.copy(p.counts, from: x.ptr + base, strides: s, to: y.ptr, strides: contiguousStrides(p.counts))
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
    ///
    /// The innermost padded axis L is written row by row (a row being the x.shape[L] blocks of the unpadded
    /// trailing axes, copied whole, plus its border blocks); the borders of outer padded axes are then
    /// filled slab by slab from the interior, innermost axis first, so every slab's source is complete.
    public static func forward(_ x: Tensor, before: [Int], after: [Int], mode: PadMode) -> Tensor {
        let r = x.rank
        precondition(before.count == r && after.count == r, "pad: amounts for rank \(before.count), input \(x.shape)")
        let shape = (0..<r).map { x.shape[$0] + before[$0] + after[$0] }
        guard let last = (0..<r).last(where: { before[$0] + after[$0] > 0 }) else { return x }
        let y = Tensor(uninitializedShape: shape)
        if y.count == 0 { return y }
        var fill: Float = 0
        if case .constant(let v) = mode { fill = v }
        if x.count == 0 {   // only a constant can fill an empty source
            return Tensor(shape: shape, repeating: fill)
        }
        let xp = x.ptr, yp = y.ptr
        let yStrides = contiguousStrides(shape)
        // Rows along the innermost padded axis, in blocks of the unpadded trailing axes.
        let block = yStrides[last], n = x.shape[last], b = before[last], w = shape[last]
        let blockMap = (0..<w).map { source($0 - b, n, mode) ?? -1 }
        var base = 0
        for a in 0..<last { base += before[a] * yStrides[a] }
        StridedCopy.forEachPlane(Array(x.shape[..<last]), Array(contiguousStrides(x.shape)[..<last]),
                                 Array(yStrides[..<last])) { src, dst in
            let row = xp + src, out = yp + base + dst
            for j in 0..<b { borderBlock(out + j * block, row, blockMap[j], block, fill) }
            (out + b * block).update(from: row, count: n * block)
            for j in (b + n)..<w { borderBlock(out + j * block, row, blockMap[j], block, fill) }
        }
        // Borders of the outer padded axes: slabs interior on the axes before, whole on the axes after.
        for a in stride(from: last - 1, through: 0, by: -1) where before[a] + after[a] > 0 {
            var slab = shape
            for i in 0..<a { slab[i] = x.shape[i] }
            slab[a] = 1
            var origin = 0
            for i in 0..<a { origin += before[i] * yStrides[i] }
            for i in 0..<shape[a] where i < before[a] || i >= before[a] + x.shape[a] {
                let dst = yp + origin + i * yStrides[a]
                if let s = source(i - before[a], x.shape[a], mode) {
                    StridedCopy.copy(slab, from: yp + origin + (s + before[a]) * yStrides[a], strides: yStrides,
                                     to: dst, strides: yStrides)
                } else {
                    StridedCopy.fill(slab, dst, strides: yStrides, value: fill)
                }
            }
        }
        withExtendedLifetime(x) {}
        return y
    }

    /// One border block of a padded row: a copy of source block `s`, or the fill value when `s` < 0.
    @inline(__always)
    static func borderBlock(_ dst: UnsafeMutablePointer<Float>, _ row: UnsafePointer<Float>, _ s: Int, _ block: Int, _ fill: Float) {
        if s < 0 {
            if block == 1 { dst.pointee = fill } else { dst.update(repeating: fill, count: block) }
        } else {
            if block == 1 { dst.pointee = row[s] } else { dst.update(from: row + s * block, count: block) }
        }
    }
}
