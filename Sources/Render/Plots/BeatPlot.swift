import Audio
import Media

/// A waveform with a tick at every beat: downbeats as bright full-height lines, other beats as short dim ones.
public enum BeatPlot {
    /// `width × height` pixels covering `duration` seconds (default: the clip's length).
    public static func render(_ clip: AudioClip, beats: [(time: Double, downbeat: Bool)], width: Int, height: Int,
                              duration: Double? = nil) -> Image {
        let w = max(1, width), h = max(2, height)
        var image = AudioPlot.waveform(WaveformSummary(clip.mono(), columns: w), width: w, height: h,
                                       color: SIMD3(0.30, 0.55, 0.70))
        let span = max(duration ?? clip.duration, 1e-6)
        for beat in beats where beat.time.isFinite && beat.time >= 0 && beat.time <= span {
            let x = min(w - 1, Int(beat.time / span * Double(w)))
            let (top, color): (Int, SIMD4<Float>) = beat.downbeat ? (0, SIMD4(1.0, 0.78, 0.25, 1)) : (h * 2 / 3, SIMD4(0.85, 0.85, 0.9, 1))
            for y in top..<h { image.setPixel(x, y, color) }
        }
        return image
    }

    /// A line of text under such a picture with bar numbers at their downbeats' columns (as far as they fit).
    public static func barNumbers(_ downbeats: [Double], columns: Int, duration: Double) -> String {
        var line = [Character](repeating: " ", count: max(0, columns))
        let span = max(duration, 1e-6)
        var nextFree = 0
        for (bar, time) in downbeats.enumerated() where time.isFinite && time >= 0 {
            let label = Array(String(bar + 1))
            let x = min(columns - 1, Int(time / span * Double(columns)))
            guard x >= nextFree, x + label.count <= columns else { continue }
            for (i, c) in label.enumerated() { line[x + i] = c }
            nextFree = x + label.count + 1
        }
        return String(line)
    }
}
