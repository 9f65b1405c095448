/// How Basic Pitch cuts audio into model windows and glues the windows' outputs back together.
///
/// The audio (22,050 Hz mono) gets 3,840 zeros (half the 7,680-sample overlap) in front; windows of
/// 43,844 samples start every 36,164 samples until the padded audio is used up, the last one zero-filled.
/// Each window yields 172 frames; dropping 15 frames at both ends leaves 142 per window, which are
/// concatenated and trimmed to ⌊samples × 86 / 22,050⌋ frames.
public enum BasicPitchWindowing {
    /// Number of windows for `sampleCount` samples of audio.
    public static func windowCount(sampleCount: Int) -> Int {
        let padded = sampleCount + BasicPitchConstants.leadingPadding
        return max(1, (padded + BasicPitchConstants.windowHop - 1) / BasicPitchConstants.windowHop)
    }

    /// Frames kept after unwrapping, as Basic Pitch 0.4.0 trims them.
    public static func frameCount(sampleCount: Int) -> Int {
        Int((Double(sampleCount) * (Double(BasicPitchConstants.framesPerSecond) / Double(BasicPitchConstants.sampleRate))).rounded(.down))
    }

    /// Writes windows `first..<first + count` of `audio` into `out` (`count × 43,844` samples).
    public static func fillWindows(_ audio: [Float], first: Int, count: Int, into out: UnsafeMutableBufferPointer<Float>) {
        let w = BasicPitchConstants.windowSamples
        let pad = BasicPitchConstants.leadingPadding
        precondition(out.count >= count * w)
        audio.withUnsafeBufferPointer { src in
            for k in 0..<count {
                let base = k * w
                // Window start in padded coordinates; padded[i] = audio[i - pad] for pad ≤ i < pad + n.
                let start = (first + k) * BasicPitchConstants.windowHop
                for j in 0..<w {
                    let i = start + j - pad
                    out[base + j] = (i >= 0 && i < src.count) ? src[i] : 0
                }
            }
        }
    }

    /// All windows of `audio`, `windowCount × 43,844` samples.
    public static func windows(_ audio: [Float]) -> [Float] {
        let n = windowCount(sampleCount: audio.count)
        var out = [Float](repeating: 0, count: n * BasicPitchConstants.windowSamples)
        out.withUnsafeMutableBufferPointer { fillWindows(audio, first: 0, count: n, into: $0) }
        return out
    }

    /// Appends the kept frames of `windows` outputs (`windows × 172 × bins`, row-major) to `unwrapped`.
    public static func appendUnwrapped(_ output: UnsafeBufferPointer<Float>, windows: Int, bins: Int, to unwrapped: inout [Float]) {
        let perWindow = BasicPitchConstants.framesPerWindow
        let half = BasicPitchConstants.overlapFrames / 2
        precondition(output.count == windows * perWindow * bins)
        for w in 0..<windows {
            let from = (w * perWindow + half) * bins
            let to = (w * perWindow + perWindow - half) * bins
            unwrapped.append(contentsOf: output[from..<to])
        }
    }
}
