import Foundation
import Media

// MARK: - Random tensors

extension Tensor {
    /// Uniform random scalars in `range`, reproducible from `seed`.
    public static func uniform(_ shape: [Int], in range: ClosedRange<Float> = -1...1, seed: UInt64) -> Tensor {
        var g = SeededGenerator(seed: seed)
        var t = Tensor(uninitializedShape: shape)
        let span = range.upperBound - range.lowerBound
        t.withUnsafeMutableBufferPointer { p in
            for i in 0..<p.count { p[i] = range.lowerBound + span * g.nextUnitFloat() }
        }
        return t
    }

    /// Normally distributed scalars (Box–Muller) with the given mean and standard deviation.
    public static func normal(_ shape: [Int], mean: Float = 0, std: Float = 1, seed: UInt64) -> Tensor {
        var g = SeededGenerator(seed: seed)
        var t = Tensor(uninitializedShape: shape)
        t.withUnsafeMutableBufferPointer { p in
            var i = 0
            while i < p.count {
                let u1 = max(g.nextUnitFloat(), 1e-7), u2 = g.nextUnitFloat()
                let r = (-2 * logf(u1)).squareRoot()
                p[i] = mean + std * r * cosf(2 * .pi * u2)
                if i + 1 < p.count { p[i + 1] = mean + std * r * sinf(2 * .pi * u2) }
                i += 2
            }
        }
        return t
    }
}
