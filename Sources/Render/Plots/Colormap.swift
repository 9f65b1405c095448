import Media

/// A perceptually ordered dark-to-bright colour ramp for spectrograms and heat maps.
public struct Colormap: Sendable {
    private let stops: [SIMD3<Float>]

    /// A ramp through the given colours, evenly spaced.
    public init(stops: [SIMD3<Float>]) {
        precondition(stops.count >= 2, "a colormap needs two colours")
        self.stops = stops
    }

    /// Black → purple → red → orange → pale yellow (magma-like; stops chosen by hand).
    public static let ember = Colormap(stops: [
        SIMD3(0.00, 0.00, 0.02), SIMD3(0.17, 0.05, 0.34), SIMD3(0.45, 0.12, 0.50),
        SIMD3(0.75, 0.21, 0.45), SIMD3(0.96, 0.42, 0.33), SIMD3(0.99, 0.72, 0.47), SIMD3(0.99, 0.99, 0.75),
    ])

    /// The colour at `t` in [0, 1] (clamped).
    public func color(_ t: Float) -> SIMD3<Float> {
        let x = min(max(t.isNaN ? 0 : t, 0), 1) * Float(stops.count - 1)
        let i = min(Int(x), stops.count - 2)
        let f = x - Float(i)
        return stops[i] * (1 - f) + stops[i + 1] * f
    }
}
