// MARK: - Reductions

/// Sum and mean over axes, with the broadcast backward.
public enum Reduce {
    /// A reduction kind.
    public enum Kind: Sendable, Hashable {
        /// Σ over the axes.
        case sum
        /// Σ / count over the axes.
        case mean
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

    /// dL/dx: dL/dy broadcast back over the reduced axes (divided by their count for a mean).
    public static func backward(_ kind: Kind, _ dy: Tensor, inputShape: [Int], axes: [Int] = []) -> Tensor {
        let set = normalise(axes, rank: inputShape.count)
        let n = set.reduce(1) { $0 * inputShape[$1] }
        let scale: Float = kind == .mean ? 1 / Float(max(n, 1)) : 1
        let g = dy.reshaped(keptShape(inputShape, set))
        return Elementwise.forward(.add, Tensor.zeros(inputShape), Elementwise.forward(.mul, g, .scalar(scale)))
    }
}
