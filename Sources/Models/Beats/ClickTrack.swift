import Audio
import Foundation

/// The input with a click on every beat — a high, louder click on downbeats — so a result can be checked by ear.
public enum ClickTrack {
    /// `clip` (all its channels) with clicks mixed in at `beats`; the mix is scaled down only if it would clip.
    public static func mix(_ clip: AudioClip, beats: [Beat], level: Float = 0.5) -> AudioClip {
        let rate = clip.sampleRate
        let length = Int(0.03 * Double(rate))
        func click(frequency: Double, gain: Float) -> [Float] {
            (0..<length).map { i in
                let t = Double(i) / Double(rate)
                return gain * Float(sin(2 * Double.pi * frequency * t) * exp(-t / 0.006))
            }
        }
        let downbeat = click(frequency: 1760, gain: level), other = click(frequency: 880, gain: level * 0.6)
        var channels = clip.channels.isEmpty ? [[Float](repeating: 0, count: clip.frameCount)] : clip.channels
        for beat in beats where beat.time.isFinite && beat.time >= 0 {
            let start = Int((beat.time * Double(rate)).rounded())
            guard start < clip.frameCount else { continue }
            let sound = beat.position == 1 ? downbeat : other
            for c in channels.indices {
                for i in 0..<min(length, clip.frameCount - start) { channels[c][start + i] += sound[i] }
            }
        }
        let peak = channels.reduce(Float(0)) { max($0, $1.reduce(0) { max($0, abs($1)) }) }
        if peak > 0.99 {
            let scale = 0.99 / peak
            for c in channels.indices { for i in channels[c].indices { channels[c][i] *= scale } }
        }
        return AudioClip(sampleRate: rate, channels: channels)
    }
}
