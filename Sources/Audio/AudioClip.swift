import Media

/// A piece of sampled audio: planar 32-bit float channels in [-1, 1] at one sample rate.
///
/// Every loader produces this one type and every audio operation, renderer and model consumes it.
public struct AudioClip: Sendable, Equatable {
    /// Samples per second per channel.
    public var sampleRate: Int
    /// One array of samples per channel, all of the same length.
    public var channels: [[Float]]

    /// The largest number of samples (frames × channels) mlwb allocates for one clip (2^31).
    public static let maxSamples = 1 << 31
    /// The largest number of channels mlwb accepts.
    public static let maxChannels = 256
    /// The sample rates audio files may declare (1 kHz – 384 kHz); anything else is refused when read.
    public static let supportedSampleRates = 1000...384_000

    // MARK: Creating clips

    /// A clip over planar channels; every channel must have the same length and `sampleRate` must be positive.
    public init(sampleRate: Int, channels: [[Float]]) {
        precondition(sampleRate > 0, "sample rate must be positive")
        precondition(channels.allSatisfy { $0.count == channels.first?.count }, "channels differ in length")
        self.sampleRate = sampleRate
        self.channels = channels
    }

    /// A one-channel clip.
    public init(sampleRate: Int, mono samples: [Float]) {
        self.init(sampleRate: sampleRate, channels: [samples])
    }

    /// A clip of `frameCount` frames of silence.
    public init(silenceOf frameCount: Int, channelCount: Int = 1, sampleRate: Int) {
        self.init(sampleRate: sampleRate,
                  channels: Array(repeating: [Float](repeating: 0, count: max(0, frameCount)), count: channelCount))
    }

    // MARK: Shape

    /// Samples per channel.
    public var frameCount: Int { channels.first?.count ?? 0 }
    /// Number of channels.
    public var channelCount: Int { channels.count }
    /// Length in seconds.
    public var duration: Double { Double(frameCount) / Double(sampleRate) }
    /// The first channel's samples (empty for a clip without channels).
    public var samples: [Float] { channels.first ?? [] }

    // MARK: Levels

    /// The largest absolute sample value over all channels.
    public var peak: Float {
        var best: Float = 0
        for channel in channels {
            channel.withUnsafeBufferPointer { buffer in
                for x in buffer { best = max(best, abs(x)) }
            }
        }
        return best
    }

    /// The root-mean-square level over all channels (0 for an empty clip).
    public var rms: Float {
        var sum: Double = 0
        var count = 0
        for channel in channels {
            sum += channel.withUnsafeBufferPointer { AudioClip.sumOfSquares($0) }
            count += channel.count
        }
        return count == 0 ? 0 : Float((sum / Double(count)).squareRoot())
    }

    /// The sum of squares of `buffer`, accumulated in blocks of Float and totalled in Double.
    static func sumOfSquares(_ buffer: UnsafeBufferPointer<Float>) -> Double {
        var total: Double = 0
        var start = 0
        while start < buffer.count {
            let end = min(buffer.count, start + 4096)
            var block = SIMD4<Float>()
            var i = start
            while i + 4 <= end {
                let v = SIMD4<Float>(buffer[i], buffer[i + 1], buffer[i + 2], buffer[i + 3])
                block += v * v
                i += 4
            }
            var tail: Float = 0
            while i < end { tail += buffer[i] * buffer[i]; i += 1 }
            total += Double(block.sum()) + Double(tail)
            start = end
        }
        return total
    }

    // MARK: Derived clips

    /// A one-channel mixdown: the average of all channels at each frame.
    public func mono() -> AudioClip {
        if channelCount <= 1 { return AudioClip(sampleRate: sampleRate, channels: [samples]) }
        let n = frameCount
        var mix = [Float](repeating: 0, count: n)
        let scale = 1 / Float(channelCount)
        mix.withUnsafeMutableBufferPointer { out in
            for channel in channels {
                channel.withUnsafeBufferPointer { src in
                    for i in 0..<n { out[i] += src[i] }
                }
            }
            for i in 0..<n { out[i] *= scale }
        }
        return AudioClip(sampleRate: sampleRate, mono: mix)
    }

    /// The part between `start` and `end` seconds, clamped to the clip (empty if they do not overlap).
    public func slice(from start: Double, to end: Double) -> AudioClip {
        let rate = Double(sampleRate)
        let first = (start * rate).roundedInt(clampedTo: 0...frameCount) ?? 0
        let last = (end * rate).roundedInt(clampedTo: first...frameCount) ?? first
        return AudioClip(sampleRate: sampleRate, channels: channels.map { Array($0[first..<last]) })
    }
}

extension Int {
    /// The value limited to `low...high`.
    @inlinable func clamped(_ low: Int, _ high: Int) -> Int { Swift.min(Swift.max(self, low), high) }
}
