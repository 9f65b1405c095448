// MARK: - ArcsMask

/// Concentric rings around `center`, one channel per ring, that move outwards (or inwards) with `t`
/// (ml4a `arcs`).
///
/// Each ring is `radius` wide (in units of the image side, measured with x and y both 0–1); the `n`
/// rings repeat every `n * radius` and advance one ring width per `period`. At `t = 0` channel 0 fills
/// the disc of `radius` around the centre. `blend` feathers ring edges by `blend * radius`.
public struct ArcsMask: Sendable, Equatable {
    /// Number of channels (ml4a `num_channels`).
    public var channels: Int
    /// Time units for the rings to move one ring width (ml4a `period`; 1e8 is effectively static).
    public var period: Double
    /// Centre of the rings (0–1 each; ml4a gives (x, y)).
    public var center: Vec2
    /// Width of one ring (default √½, so one ring covers the whole image from the centre).
    public var radius: Double
    /// Feathering of ring edges, as a fraction of `radius`.
    public var blend: Double
    /// Rings move towards the centre instead of away from it.
    public var inwards: Bool
    /// Assign the channels to the rings in the opposite order.
    public var reverse: Bool
    /// Divide each pixel by its channel sum (ml4a `normalize`).
    public var normalize: Bool

    /// ml4a defaults.
    public init(channels: Int = 1, period: Double = 1e8, center: Vec2 = .center, radius: Double = 0.70710678118,
                blend: Double = 0, inwards: Bool = false, reverse: Bool = false, normalize: Bool = false) {
        self.channels = channels
        self.period = period
        self.center = center
        self.radius = radius
        self.blend = blend
        self.inwards = inwards
        self.reverse = reverse
        self.normalize = normalize
    }

    /// The mask at time `t`.
    public func render(width: Int, height: Int, t: Double) -> Mask {
        let n = max(1, channels)
        let feather = (blend + 1e-8) * radius
        let span = radius * Double(n)
        let pct = floorMod((inwards ? -t : period + t) / (Double(n) * period), 1)
        let sx = width > 1 ? 1 / Double(width - 1) : 0, sy = height > 1 ? 1 / Double(height - 1) : 0
        var data = [Float](repeating: 0, count: width * height * n)
        data.withUnsafeMutableBufferPointer { out in
            for y in 0..<height {
                let dy = Double(y) * sy - center.y
                for x in 0..<width {
                    let dx = Double(x) * sx - center.x
                    let dist = (dx * dx + dy * dy).squareRoot()
                    let d = floorMod(dist + span * (1 - pct), span)
                    let base = (y * width + x) * n
                    for c in 0..<n {
                        let index = (reverse != inwards) ? n - c - 1 : c
                        let lower = radius * Double(n - c - 1), upper = radius * Double(n - c)
                        let a = min(max(1 - (lower - d) / feather, 0), 1)
                        let b = min(max(1 - (d - upper) / feather, 0), 1)
                        out[base + index] = Float(a * b)
                    }
                }
            }
        }
        let mask = Mask(width: width, height: height, channels: n, values: data)
        return normalize ? mask.normalized() : mask
    }
}
