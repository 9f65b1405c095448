// MARK: - InterpolationMask

/// The whole frame fades from channel to channel as `t` advances, one step per `period` (ml4a `interpolation`).
///
/// In period `k` the current channel is `k mod n` and the next is `k + 1 mod n`. The next channel rises
/// from 0 to 1 during the last `blend` fraction of the period (the whole period when `blend` is 0);
/// with `crossFade` the current channel falls as it rises, otherwise the current stays at 1.
public struct InterpolationMask: Sendable, Equatable {
    /// Number of channels (ml4a `num_channels`).
    public var channels: Int
    /// Time units per channel step (ml4a `period`; the default 1e8 is effectively static).
    public var period: Double
    /// Fraction of each period spent fading (0 = the whole period).
    public var blend: Double
    /// Step through the channels from last to first.
    public var reverse: Bool
    /// Fade the current channel out while the next fades in.
    public var crossFade: Bool
    /// Divide each pixel by its channel sum (ml4a `normalize`).
    public var normalize: Bool

    /// ml4a defaults (as `get_mask` fills them in).
    public init(channels: Int = 1, period: Double = 1e8, blend: Double = 0, reverse: Bool = false,
                crossFade: Bool = false, normalize: Bool = false) {
        self.channels = channels
        self.period = period
        self.blend = blend
        self.reverse = reverse
        self.crossFade = crossFade
        self.normalize = normalize
    }

    /// The per-channel weights at time `t` (the same at every pixel).
    public func weights(t: Double) -> [Float] {
        let n = max(1, channels)
        var w = [Float](repeating: 0, count: n)
        if n == 1 { w[0] = 1; return w }
        var first = period > 0 ? Int(floorMod((t / period).rounded(.down), Double(n))) : 0
        var second = (first + 1) % n
        if reverse { first = n - 1 - first; second = n - 1 - second }
        let pct = period > 0 ? floorMod(t, period) / period : 0
        let progress = blend > 0 ? min(1, (1 - pct) / blend) : 1 - pct
        let rising = 1 - progress
        w[first] = Float(crossFade ? 1 - rising : 1)
        w[second] = Float(rising)
        return w
    }

    /// The mask at time `t`.
    public func render(width: Int, height: Int, t: Double) -> Mask {
        let w = weights(t: t), n = w.count
        var data = [Float](repeating: 0, count: width * height * n)
        for i in 0..<(width * height) { for c in 0..<n { data[i * n + c] = w[c] } }
        let mask = Mask(width: width, height: height, channels: n, values: data)
        return normalize ? mask.normalized() : mask
    }
}

/// `a mod b` with the sign of `b` (Python's `%`).
@inlinable func floorMod(_ a: Double, _ b: Double) -> Double {
    let r = a.truncatingRemainder(dividingBy: b)
    return r != 0 && (r < 0) != (b < 0) ? r + b : r
}
