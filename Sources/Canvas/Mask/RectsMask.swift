// MARK: - RectsMask

/// Parallel bands across the segment `p1 → p2`, one channel per band, that travel from `p1` towards
/// `p2` as `t` advances (ml4a `rects`).
///
/// Positions are projected onto the segment (x and y both 0–1); the `n` bands split its length and move
/// one band per `period`. At `t = 0` the band nearest `p2` is channel 0. Pixels farther than `width / 2`
/// from the line get no channel. `blend` feathers band edges by `blend` band widths.
public struct RectsMask: Sendable, Equatable {
    /// Number of channels (ml4a `num_channels`).
    public var channels: Int
    /// Time units for the bands to move one band width (ml4a `period`; 1e8 is effectively static).
    public var period: Double
    /// Start of the segment (0–1 each).
    public var p1: Vec2
    /// End of the segment (0–1 each).
    public var p2: Vec2
    /// Extent across the segment (default √2 covers the whole image for the diagonal).
    public var width: Double
    /// Feathering of band edges, as a fraction of a band.
    public var blend: Double
    /// Assign the channels to the bands in the opposite order.
    public var reverse: Bool
    /// Divide each pixel by its channel sum (ml4a `normalize`).
    public var normalize: Bool

    /// ml4a defaults: the diagonal from the top-left to the bottom-right corner.
    public init(channels: Int = 1, period: Double = 1e8, p1: Vec2 = .zero, p2: Vec2 = .one,
                width: Double = 1.41421356237, blend: Double = 0, reverse: Bool = false, normalize: Bool = false) {
        self.channels = channels
        self.period = period
        self.p1 = p1
        self.p2 = p2
        self.width = width
        self.blend = blend
        self.reverse = reverse
        self.normalize = normalize
    }

    /// The mask at time `t`.
    public func render(width w: Int, height h: Int, t: Double) -> Mask {
        let n = max(1, channels)
        var data = [Float](repeating: 0, count: w * h * n)
        let ux0 = p2.x - p1.x, uy0 = p2.y - p1.y
        let length = max((ux0 * ux0 + uy0 * uy0).squareRoot(), 1e-8)
        let ux = ux0 / length, uy = uy0 / length
        let band = 1 / Double(n)
        let feather = (blend + 1e-8) * band
        let offset = length - length * t / (Double(n) * period)
        let halfWidth = width / 2
        let sx = w > 1 ? 1 / Double(w - 1) : 0, sy = h > 1 ? 1 / Double(h - 1) : 0
        data.withUnsafeMutableBufferPointer { out in
            for y in 0..<h {
                let ry = Double(y) * sy - p1.y
                for x in 0..<w {
                    let rx = Double(x) * sx - p1.x
                    let along = rx * ux + ry * uy
                    let across = abs(rx * uy - ry * ux)
                    guard across <= halfWidth + 1e-9 else { continue }
                    let inside = along >= -1e-9 && along <= length + 1e-9
                    let pos = inside ? floorMod(along + offset, length) / length : 0
                    let base = (y * w + x) * n
                    for r in 0..<n {
                        let index = reverse ? n - r - 1 : r
                        let lower = band * Double(n - r - 1), upper = band * Double(n - r)
                        let a = min(max(1 - (lower - pos) / feather, 0), 1)
                        let b = min(max(1 - (pos - upper) / feather, 0), 1)
                        out[base + index] = Float(a * b)
                    }
                }
            }
        }
        let mask = Mask(width: w, height: h, channels: n, values: data)
        return normalize ? mask.normalized() : mask
    }
}
