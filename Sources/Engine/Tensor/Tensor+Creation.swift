import Foundation

// MARK: - Random tensors

/// A small deterministic pseudo-random generator (SplitMix64) for reproducible tensors.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// A generator whose sequence is fixed by `seed`.
    public init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform Float in [0, 1).
    public mutating func nextUnit() -> Float { Float(next() >> 40) * (1.0 / Float(1 << 24)) }
}

extension Tensor {
    /// Uniform random scalars in `range`, reproducible from `seed`.
    public static func uniform(_ shape: [Int], in range: ClosedRange<Float> = -1...1, seed: UInt64) -> Tensor {
        var g = SeededGenerator(seed: seed)
        var t = Tensor(uninitializedShape: shape)
        let span = range.upperBound - range.lowerBound
        t.withUnsafeMutableBufferPointer { p in
            for i in 0..<p.count { p[i] = range.lowerBound + span * g.nextUnit() }
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
                let u1 = max(g.nextUnit(), 1e-7), u2 = g.nextUnit()
                let r = (-2 * logf(u1)).squareRoot()
                p[i] = mean + std * r * cosf(2 * .pi * u2)
                if i + 1 < p.count { p[i + 1] = mean + std * r * sinf(2 * .pi * u2) }
                i += 2
            }
        }
        return t
    }
}
