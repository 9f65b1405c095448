import Media

/// A stack of `channelCount` weight maps over an image, values in [0, 1], interleaved HWC, rows top to bottom.
///
/// Masks select where each canvas mod (or DeepDream objective) applies: channel `c` weights item `c`.
public struct Mask: Sendable, Equatable {
    /// Width in pixels.
    public let width: Int
    /// Height in pixels.
    public let height: Int
    /// Number of channels (weights per pixel).
    public let channelCount: Int
    /// Interleaved values, `width * height * channelCount` of them.
    public var values: [Float]

    /// The largest channel count `load` and `MaskSpec.validate` accept.
    public static let maxChannels = 64

    // MARK: Creating masks

    /// A mask over existing interleaved values; `values.count` must equal `width * height * channels`.
    public init(width: Int, height: Int, channels: Int, values: [Float]) {
        precondition(width >= 0 && height >= 0 && channels >= 1, "invalid mask shape")
        precondition(values.count == width * height * channels, "value count does not match the mask size")
        self.width = width
        self.height = height
        self.channelCount = channels
        self.values = values
    }

    /// A mask with every value equal to `fill`.
    public init(width: Int, height: Int, channels: Int, fill: Float = 0) {
        self.init(width: width, height: height, channels: channels,
                  values: [Float](repeating: fill, count: width * height * channels))
    }

    /// A mask stacked from planes (one `width * height` array per channel).
    public init(width: Int, height: Int, planes: [[Float]]) {
        precondition(!planes.isEmpty, "a mask needs at least one channel")
        let n = planes.count, count = width * height
        var data = [Float](repeating: 0, count: count * n)
        for (c, plane) in planes.enumerated() {
            precondition(plane.count == count, "plane size does not match the mask size")
            for i in 0..<count { data[i * n + c] = plane[i] }
        }
        self.init(width: width, height: height, channels: n, values: data)
    }

    /// A hard (one-hot) mask: channel `labels[i]` is 1 at pixel `i`, the others 0 (labels outside
    /// `0..<channels` give an empty pixel).
    public init(labels: [Int], width: Int, height: Int, channels: Int) {
        precondition(labels.count == width * height, "label count does not match the mask size")
        var data = [Float](repeating: 0, count: labels.count * channels)
        for (i, l) in labels.enumerated() where l >= 0 && l < channels { data[i * channels + l] = 1 }
        self.init(width: width, height: height, channels: channels, values: data)
    }

    /// A mask whose values are computed by `value(x, y, channel)`.
    public init(width: Int, height: Int, channels: Int, _ value: (Int, Int, Int) -> Float) {
        var data = [Float](repeating: 0, count: width * height * channels)
        var i = 0
        for y in 0..<height {
            for x in 0..<width {
                for c in 0..<channels { data[i] = value(x, y, c); i += 1 }
            }
        }
        self.init(width: width, height: height, channels: channels, values: data)
    }

    // MARK: Access

    /// The value of channel `c` at (x, y).
    @inlinable public subscript(x x: Int, y y: Int, c c: Int) -> Float {
        get { values[(y * width + x) * channelCount + c] }
        set { values[(y * width + x) * channelCount + c] = newValue }
    }

    /// Channel `c` as a plane of `width * height` values.
    public func channel(_ c: Int) -> [Float] {
        precondition(c >= 0 && c < channelCount, "channel \(c) out of range 0..<\(channelCount)")
        let n = channelCount
        return (0..<(width * height)).map { values[$0 * n + c] }
    }

    /// The index of the strongest channel per pixel (`width * height` labels; ties go to the lower index).
    public func argmax() -> [Int] {
        let n = channelCount
        var labels = [Int](repeating: 0, count: width * height)
        values.withUnsafeBufferPointer { v in
            for i in 0..<(width * height) {
                var best = 0, bestValue = v[i * n]
                for c in 1..<max(n, 1) where v[i * n + c] > bestValue { best = c; bestValue = v[i * n + c] }
                labels[i] = best
            }
        }
        return labels
    }

    /// The sum of the channels at each pixel (`width * height` values).
    public func pixelSums() -> [Float] {
        let n = channelCount
        var sums = [Float](repeating: 0, count: width * height)
        for i in 0..<(width * height) {
            var s: Float = 0
            for c in 0..<n { s += values[i * n + c] }
            sums[i] = s
        }
        return sums
    }

    // MARK: Transforming

    /// This mask resampled to `width × height` (values clamped to [0, 1] after filtering).
    public func resized(width newWidth: Int, height newHeight: Int, filter: ResizeFilter = .bilinear) -> Mask {
        if newWidth == width && newHeight == height { return self }
        var data = Resampling.resize(values, channels: channelCount, width: width, height: height,
                                     toWidth: newWidth, toHeight: newHeight, filter: filter)
        for i in data.indices { data[i] = min(max(data[i], 0), 1) }
        return Mask(width: newWidth, height: newHeight, channels: channelCount, values: data)
    }

    /// Each pixel's channels divided by their sum, so they sum to 1 (pixels whose channels are all 0 stay 0).
    public func normalized() -> Mask {
        let n = channelCount
        var copy = self
        copy.values.withUnsafeMutableBufferPointer { v in
            for i in 0..<(width * height) {
                var s: Float = 0
                for c in 0..<n { s += v[i * n + c] }
                guard s > 0 else { continue }
                let inv = 1 / s
                for c in 0..<n { v[i * n + c] *= inv }
            }
        }
        return copy
    }

    /// Every value clamped to [0, 1].
    public func clamped() -> Mask {
        var copy = self
        for i in copy.values.indices { copy.values[i] = min(max(copy.values[i], 0), 1) }
        return copy
    }

    /// This mask with its channels reordered: output channel `c` is input channel `order[c]`.
    public func reordered(_ order: [Int]) -> Mask {
        precondition(order.count == channelCount && Set(order).count == channelCount, "order must be a permutation")
        let n = channelCount
        var data = values
        for i in 0..<(width * height) {
            for c in 0..<n { data[i * n + c] = values[i * n + order[c]] }
        }
        return Mask(width: width, height: height, channels: n, values: data)
    }
}
