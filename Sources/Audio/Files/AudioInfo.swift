/// What an audio file holds, read from its header without decoding samples.
public struct AudioInfo: Sendable, Equatable {
    /// Samples per channel.
    public var frameCount: Int
    /// Samples per second per channel.
    public var sampleRate: Int
    /// Number of channels.
    public var channelCount: Int
    /// A readable format name, e.g. "WAV 16-bit PCM", "FLAC 24-bit", "Ogg Vorbis".
    public var formatName: String

    // MARK: Derived

    /// Length in seconds.
    public var duration: Double { sampleRate > 0 ? Double(frameCount) / Double(sampleRate) : 0 }

    // MARK: Creating

    /// Creates a description from its parts.
    public init(frameCount: Int, sampleRate: Int, channelCount: Int, formatName: String) {
        self.frameCount = frameCount
        self.sampleRate = sampleRate
        self.channelCount = channelCount
        self.formatName = formatName
    }
}
