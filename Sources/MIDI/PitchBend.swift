/// A pitch-bend event: the whole channel's pitch from `time` on, in 14-bit bend units around centre.
public struct PitchBend: Sendable, Hashable {
    /// When the bend takes effect, in seconds.
    public var time: Double
    /// The MIDI channel, 0–15.
    public var channel: Int
    /// −8192…8191; 0 is no bend (how far that is in semitones is the synthesiser's bend range, ±2 by default).
    public var value: Int

    /// A bend; values outside −8192…8191 are clamped when written.
    public init(time: Double, channel: Int = 0, value: Int) {
        self.time = time; self.channel = channel; self.value = value
    }
}
