// MARK: - Reductions

/// Sum and mean over axes, with the broadcast backward; max, min and product are inference-only.
public enum Reduce {
    /// A reduction kind.
    public enum Kind: Sendable, Hashable {
        /// Σ over the axes.
        case sum
        /// Σ / count over the axes.
        case mean
        /// Largest value (−∞ for an empty set; inference-only).
        case max
        /// Smallest value (+∞ for an empty set; inference-only).
        case min
        /// Π over the axes (1 for an empty set; inference-only).
        case prod

        /// Whether `Reduce.backward` supports the kind.
        public var isDifferentiable: Bool { self == .sum || self == .mean }
    }

    /// Normalised axes (empty = all axes).
    static func normalise(_ axes: [Int], rank: Int) -> Set<Int> {
        if axes.isEmpty { return Set(0..<rank) }
        return Set(axes.map { a in
            let b = a < 0 ? a + rank : a
            precondition(b >= 0 && b < rank, "reduction axis \(a) out of range for rank \(rank)")
            return b
        })
    }

    /// The shape with reduced axes set to 1.
    static func keptShape(_ shape: [Int], _ axes: Set<Int>) -> [Int] {
        shape.enumerated().map { axes.contains($0.offset) ? 1 : $0.element }
    }

    /// Output shape of a reduction.
    public static func outputShape(_ shape: [Int], axes: [Int], keepDims: Bool) -> [Int] {
        let set = normalise(axes, rank: shape.count)
        return keepDims ? keptShape(shape, set) : shape.enumerated().filter { !set.contains($0.offset) }.map(\.element)
    }

    /// Sum or mean of x over `axes` (all if empty); `keepDims` keeps reduced axes as extent 1.
    public static func forward(_ kind: Kind, _ x: Tensor, axes: [Int] = [], keepDims: Bool = false) -> Tensor {
        let set = normalise(axes, rank: x.rank)
        if !kind.isDifferentiable {
            return extremum(kind, x, set).reshaped(outputShape(x.shape, axes: axes, keepDims: keepDims))
        }
        var y: Tensor
        if set.count == x.rank {
            var acc: Double = 0
            x.withUnsafeBufferPointer { p in
                var i = 0
                while i < p.count {   // blocks of Float sums keep vectorisation, Double keeps precision
                    let end = min(i + 4096, p.count)
                    var s: Float = 0
                    for j in i..<end { s += p[j] }
                    acc += Double(s); i = end
                }
            }
            y = Tensor(shape: keptShape(x.shape, set), repeating: Float(acc))
        } else {
            y = Broadcast.sum(x, to: keptShape(x.shape, set))
        }
        if kind == .mean {
            let n = set.reduce(1) { $0 * x.shape[$1] }
            y = Elementwise.forward(.mul, y, .scalar(1 / Float(max(n, 1))))
        }
        return y.reshaped(outputShape(x.shape, axes: axes, keepDims: keepDims))
    }

    /// Max, min or product over the axes in `set`, keeping them as extent 1.
    static func extremum(_ kind: Kind, _ x: Tensor, _ set: Set<Int>) -> Tensor {
        let kept = keptShape(x.shape, set)
        let start: Float = kind == .max ? -.infinity : (kind == .min ? .infinity : 1)
        let y = Tensor(shape: kept, repeating: start)
        let so = Broadcast.strides(of: kept, in: x.shape)
        let zero = [Int](repeating: 0, count: x.rank)
        let op = y.ptr, xp = x.ptr
        Broadcast.forEachRun(x.shape, so, zero) { a, _, o, n, sa, _ in
            if sa == 0 && (kind == .max || kind == .min) {
                // A whole run folds into one output: keep the running extremum in a register.
                var m = op[a]
                if kind == .max { for i in 0..<n { let v = xp[o + i]; m = (v > m || v.isNaN) ? v : m } }
                else { for i in 0..<n { let v = xp[o + i]; m = (v < m || v.isNaN) ? v : m } }
                op[a] = m
                return
            }
            switch kind {
            case .max: for i in 0..<n { let v = xp[o + i], d = a + i * sa; op[d] = (v > op[d] || v.isNaN) ? v : op[d] }
            case .min: for i in 0..<n { let v = xp[o + i], d = a + i * sa; op[d] = (v < op[d] || v.isNaN) ? v : op[d] }
            default: for i in 0..<n { op[a + i * sa] *= xp[o + i] }
            }
        }
        withExtendedLifetime(x) {}
        return y
    }

    /// dL/dx: dL/dy broadcast back over the reduced axes (divided by their count for a mean).
    public static func backward(_ kind: Kind, _ dy: Tensor, inputShape: [Int], axes: [Int] = []) -> Tensor {
        let set = normalise(axes, rank: inputShape.count)
        let n = set.reduce(1) { $0 * inputShape[$1] }
        let scale: Float = kind == .mean ? 1 / Float(max(n, 1)) : 1
        let g = dy.reshaped(keptShape(inputShape, set))
        return Elementwise.forward(.add, Tensor.zeros(inputShape), Elementwise.forward(.mul, g, .scalar(scale)))
    }
}
