import Glibc
import Media

/// How a sweep's frequency moves from start to end.
public enum SweepSpacing: Sendable, Equatable {
    /// Frequency rises by equal Hz per second.
    case linear
    /// Frequency rises by equal octaves per second (start frequency must be positive).
    case logarithmic
}

extension AudioClip {
    // MARK: Test tones

    /// A mono sine of `frequency` Hz lasting `duration` seconds, starting at phase 0.
    public static func sine(frequency: Double, duration: Double, sampleRate: Int, amplitude: Float = 0.5) -> AudioClip {
        let n = frameCount(duration, sampleRate)
        let w = 2 * Double.pi * frequency / Double(sampleRate)
        let samples = (0..<n).map { amplitude * Float(sin(w * Double($0))) }
        return AudioClip(sampleRate: sampleRate, mono: samples)
    }

    /// A mono sine sweep from `from` Hz to `to` Hz over `duration` seconds, with continuous phase.
    public static func sweep(from start: Double, to end: Double, duration: Double, sampleRate: Int,
                             amplitude: Float = 0.5, spacing: SweepSpacing = .linear) -> AudioClip {
        precondition(duration > 0, "sweep duration must be positive")
        precondition(spacing == .linear || (start > 0 && end > 0), "a logarithmic sweep needs positive frequencies")
        let n = frameCount(duration, sampleRate)
        let rate = Double(sampleRate)
        let samples: [Float] = (0..<n).map { i in
            let t = Double(i) / rate
            let phase: Double
            switch spacing {
            case .linear:
                phase = 2 * Double.pi * (start * t + (end - start) * t * t / (2 * duration))
            case .logarithmic:
                let k = log(end / start)
                phase = abs(k) < 1e-12 ? 2 * Double.pi * start * t
                    : 2 * Double.pi * start * duration / k * (exp(k * t / duration) - 1)
            }
            return amplitude * Float(sin(phase))
        }
        return AudioClip(sampleRate: sampleRate, mono: samples)
    }

    /// The instantaneous frequency in Hz at time `t` of a sweep made by `sweep(from:to:duration:...)`.
    public static func sweepFrequency(at t: Double, from start: Double, to end: Double, duration: Double,
                                      spacing: SweepSpacing = .linear) -> Double {
        switch spacing {
        case .linear: return start + (end - start) * t / duration
        case .logarithmic: return start * pow(end / start, t / duration)
        }
    }

    // MARK: Notes

    /// Seconds each note rings on after its end before falling silent.
    public static let noteRelease = 0.1

    /// Renders notes (MIDI pitch, start and end in seconds, velocity 1–127) as a piano-like mono tone.
    ///
    /// Each note is a sum of six harmonics (amplitudes 1/k², higher ones decaying faster) with a 5 ms
    /// linear attack, an exponential decay whose time shortens with pitch, and a `noteRelease`
    /// fade after its end; loudness follows velocity. The clip lasts until the last release ends
    /// (or `duration` seconds if given) and is scaled down only if it would exceed 0.9.
    public static func notes(_ notes: [(pitch: Int, start: Double, end: Double, velocity: Int)], sampleRate: Int,
                             duration: Double? = nil) -> AudioClip {
        precondition(sampleRate > 0, "sample rate must be positive")
        let rate = Double(sampleRate)
        let total = duration ?? ((notes.map(\.end).max() ?? 0) + noteRelease)
        var mix = [Double](repeating: 0, count: frameCount(total, sampleRate))
        for note in notes where note.end > note.start && note.velocity > 0 {
            let f0 = 440 * pow(2, Double(note.pitch - 69) / 12)
            let gain = 0.25 * Double(min(127, note.velocity)) / 127
            let decay = 1.2 * pow(2, -Double(note.pitch - 60) / 24)     // seconds, shorter for high notes
            let first = (note.start * rate).roundedInt(clampedTo: 0...mix.count) ?? mix.count
            let last = ((note.end + noteRelease) * rate).roundedInt(clampedTo: 0...mix.count) ?? 0
            guard first < last else { continue }
            let harmonics = (1...6).filter { Double($0) * f0 < rate / 2 * 0.95 }
            for i in first..<last {
                let t = Double(i) / rate - note.start
                let attack = max(0, min(1, t / 0.005))
                let release = t > note.end - note.start ? max(0, 1 - (t - (note.end - note.start)) / noteRelease) : 1
                let envelope = attack * release * gain
                var v = 0.0
                for k in harmonics {
                    let kd = Double(k)
                    v += exp(-t * kd / decay) / (kd * kd) * sin(2 * Double.pi * kd * f0 * t)
                }
                mix[i] += envelope * v
            }
        }
        let peak = mix.reduce(0) { max($0, abs($1)) }
        let scale = peak > 0.9 ? 0.9 / peak : 1
        return AudioClip(sampleRate: sampleRate, mono: mix.map { Float($0 * scale) })
    }

    /// The number of frames in `duration` seconds at `sampleRate`, rounded.
    private static func frameCount(_ duration: Double, _ sampleRate: Int) -> Int {
        precondition(sampleRate > 0 && duration.isFinite, "invalid duration or sample rate")
        return max(0, Int((duration * Double(sampleRate)).rounded()))
    }
}
