// MARK: - MaskSpec

/// A mask generator and its parameters (ml4a `get_mask` configs), rendered at any size and time.
public enum MaskSpec: Sendable, Equatable {
    /// Every channel 1 everywhere.
    case solid(SolidMask)
    /// The whole frame fades from channel to channel over time.
    case interpolation(InterpolationMask)
    /// Concentric rings moving with time.
    case arcs(ArcsMask)
    /// Bands along a segment moving with time.
    case rects(RectsMask)
    /// Channels segmented from an image.
    case image(ImageMask)

    /// The generator's name as ml4a spells it (`solid`, `interpolation`, `arcs`, `rects`, `image`).
    public var kind: String {
        switch self {
        case .solid: return "solid"
        case .interpolation: return "interpolation"
        case .arcs: return "arcs"
        case .rects: return "rects"
        case .image: return "image"
        }
    }

    /// The number of channels the rendered mask has.
    public var channelCount: Int {
        switch self {
        case .solid(let m): return max(1, m.channels)
        case .interpolation(let m): return max(1, m.channels)
        case .arcs(let m): return max(1, m.channels)
        case .rects(let m): return max(1, m.channels)
        case .image(let m): return max(1, m.channels)
        }
    }

    /// The mask at `width × height` and time `t`; `previous` (the last frame's mask) keeps k-means
    /// labels stable and is ignored by the other generators.
    public func render(width: Int, height: Int, t: Double = 0, previous: Mask? = nil) -> Mask {
        switch self {
        case .solid(let m): return m.render(width: width, height: height)
        case .interpolation(let m): return m.render(width: width, height: height, t: t)
        case .arcs(let m): return m.render(width: width, height: height, t: t)
        case .rects(let m): return m.render(width: width, height: height, t: t)
        case .image(let m): return m.render(width: width, height: height, previous: previous)
        }
    }

    /// Throws `MaskSpecError` describing the first invalid parameter, if any.
    public func validate() throws {
        let n = channelCount
        guard n <= Mask.maxChannels else { throw MaskSpecError("num_channels \(n) is above \(Mask.maxChannels)") }
        switch self {
        case .solid(let m):
            if m.channels < 1 { throw MaskSpecError("num_channels must be at least 1") }
        case .interpolation(let m):
            if m.channels < 1 { throw MaskSpecError("num_channels must be at least 1") }
            if !(m.period > 0) { throw MaskSpecError("period must be positive") }
            if !(m.blend >= 0) { throw MaskSpecError("blend must be 0 or more") }
        case .arcs(let m):
            if m.channels < 1 { throw MaskSpecError("num_channels must be at least 1") }
            if !(m.period > 0) { throw MaskSpecError("period must be positive") }
            if !(m.radius > 0) { throw MaskSpecError("radius must be positive") }
            if !(m.blend >= 0) { throw MaskSpecError("blend must be 0 or more") }
        case .rects(let m):
            if m.channels < 1 { throw MaskSpecError("num_channels must be at least 1") }
            if !(m.period > 0) { throw MaskSpecError("period must be positive") }
            if m.p1 == m.p2 { throw MaskSpecError("p1 and p2 must differ") }
            if !(m.width > 0) { throw MaskSpecError("width must be positive") }
            if !(m.blend >= 0) { throw MaskSpecError("blend must be 0 or more") }
        case .image(let m):
            if m.channels < 1 { throw MaskSpecError("num_channels must be at least 1") }
            if m.image.width == 0 || m.image.height == 0 { throw MaskSpecError("the image is empty") }
            if m.blurSize < 1 { throw MaskSpecError("blur size must be at least 1") }
            if m.dilations < 0 { throw MaskSpecError("dilations must be 0 or more") }
            if case .threshold(let t) = m.method {
                if t.count != m.channels {
                    throw MaskSpecError("threshold needs one level per channel (\(m.channels)), got \(t.count)")
                }
                if t.contains(where: { !($0 >= 0 && $0 <= 1) }) { throw MaskSpecError("thresholds must be 0–1") }
            }
        }
    }
}

/// An invalid mask parameter, with a message naming it.
public struct MaskSpecError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What is wrong.
    public let description: String
    /// An error with this message.
    public init(_ description: String) { self.description = "mask: " + description }
}
