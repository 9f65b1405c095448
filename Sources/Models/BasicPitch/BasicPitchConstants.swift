import Media

/// The fixed geometry of Spotify's Basic Pitch (ICASSP 2022) model: sample rate, hop, window and
/// output sizes, and the published note-creation defaults.
public enum BasicPitchConstants {
    /// The model's input sample rate.
    public static let sampleRate = 22_050
    /// Samples between output frames.
    public static let hop = 256
    /// Nominal output frames per second as Basic Pitch counts them (22050 // 256 = 86).
    public static let framesPerSecond = sampleRate / hop
    /// Samples per model window: two seconds minus one hop.
    public static let windowSamples = 2 * sampleRate - hop  // 43,844
    /// Output frames per model window (two seconds of annotation frames).
    public static let framesPerWindow = 2 * framesPerSecond  // 172
    /// Frames shared by neighbouring windows.
    public static let overlapFrames = 30
    /// Samples shared by neighbouring windows.
    public static let overlapSamples = overlapFrames * hop  // 7,680
    /// Samples between window starts.
    public static let windowHop = windowSamples - overlapSamples  // 36,164
    /// Zeros put in front of the audio (half the overlap).
    public static let leadingPadding = overlapSamples / 2  // 3,840
    /// Piano keys (note and onset bins).
    public static let pitchCount = 88
    /// Contour bins (three per semitone).
    public static let contourBins = 264
    /// Contour bins per semitone.
    public static let contourBinsPerSemitone = 3
    /// MIDI pitch of the lowest bin (A0).
    public static let lowestMIDIPitch = 21
    /// Frequency of the lowest bin (A0).
    public static let baseFrequency = 27.5

    /// Default onset threshold.
    public static let defaultOnsetThreshold = 0.5
    /// Default frame threshold.
    public static let defaultFrameThreshold = 0.3
    /// Default minimum note length in milliseconds.
    public static let defaultMinimumNoteMilliseconds = 127.70
    /// Frames below the frame threshold tolerated inside a note.
    public static let energyTolerance = 11
    /// Basic Pitch's empirical alignment correction per window (seconds).
    public static let alignmentOffset = 0.0018
    /// The GM program Basic Pitch writes its notes with (Electric Piano 1).
    public static let midiProgram = 4

    /// Minimum note length in frames for a length in milliseconds, rounded as Basic Pitch rounds it.
    /// (Any length, even ∞ or NaN from an option, gives a count in 0…Int.max / 2.)
    public static func minimumNoteFrames(milliseconds: Double) -> Int {
        (milliseconds / 1000 * (Double(sampleRate) / Double(hop))).roundedInt(.toNearestOrEven, clampedTo: 0...(Int.max / 2)) ?? 0
    }

    /// The time in seconds Basic Pitch gives output frame `frame` of an unwrapped posteriorgram:
    /// the frame's nominal time minus a per-window correction (the windows are a fraction of a
    /// frame shorter than 172 hops, plus a small empirical alignment), counted per 172 frames.
    public static func frameTime(_ frame: Int) -> Double {
        let nominal = Double(frame * hop) / Double(sampleRate)
        let windowIndex = Double(frame / framesPerWindow)
        let perWindow = (Double(hop) / Double(sampleRate))
            * (Double(framesPerWindow) - Double(windowSamples) / Double(hop)) + alignmentOffset
        return nominal - perWindow * windowIndex
    }
}
