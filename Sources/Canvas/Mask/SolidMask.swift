// MARK: - SolidMask

/// Every channel is 1 everywhere (ml4a `solid`).
public struct SolidMask: Sendable, Equatable {
    /// Number of channels (ml4a `num_channels`).
    public var channels: Int
    /// Divide each pixel by its channel sum (ml4a `normalize`).
    public var normalize: Bool

    /// ml4a defaults: one channel, not normalised.
    public init(channels: Int = 1, normalize: Bool = false) {
        self.channels = channels
        self.normalize = normalize
    }

    /// The mask at any time (it does not change).
    public func render(width: Int, height: Int) -> Mask {
        let mask = Mask(width: width, height: height, channels: max(1, channels), fill: 1)
        return normalize ? mask.normalized() : mask
    }
}
