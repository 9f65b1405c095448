import Audio
import Foundation
import Media

/// A pitch contour: time to the right, log frequency upwards, octave lines at every C; voiced frames
/// bright amber, unvoiced ones dim by confidence; optionally over the input's spectrogram on the same
/// log-frequency axis, so the contour can be checked against the harmonics it follows.
public enum PitchContourPlot {
    /// One frame of the contour.
    public struct Point: Sendable, Equatable {
        public var time: Double
        public var frequency: Double
        public var confidence: Double
        public var voiced: Bool
        public init(time: Double, frequency: Double, confidence: Double, voiced: Bool) {
            self.time = time; self.frequency = frequency; self.confidence = confidence; self.voiced = voiced
        }
    }

    // MARK: Axis

    /// The frequency range drawn: the voiced frames' range widened by a third of an octave each way
    /// (at least an octave); `fmin…fmax` when nothing is voiced.
    public static func range(_ points: [Point], fmin: Double, fmax: Double) -> (low: Double, high: Double) {
        let voiced = points.filter { $0.voiced && $0.frequency > 0 && $0.frequency.isFinite }.map(\.frequency)
        var low = (voiced.min() ?? fmin) / pow(2, 1.0 / 6), high = (voiced.max() ?? fmax) * pow(2, 1.0 / 6)
        if log2(high / low) < 1 { let mid = sqrt(low * high); low = mid / sqrt(2); high = mid * sqrt(2) }
        return (low, high)
    }

    /// Where `hz` sits on the axis: 0 at the top (high), 1 at the bottom (low); nil outside the range.
    public static func position(of hz: Double, low: Double, high: Double) -> Double? {
        guard hz > 0, low > 0, high > low else { return nil }
        let v = (log2(hz) - log2(low)) / (log2(high) - log2(low))
        return v >= 0 && v <= 1 ? 1 - v : nil
    }

    /// The C's inside the range as (frequency, MIDI pitch), lowest first.
    public static func octaveLines(low: Double, high: Double) -> [(hz: Double, pitch: Int)] {
        guard low > 0, high > low else { return [] }
        var pitch = 12 * Int(ceil((69 + 12 * log2(low / 440)) / 12))
        var out: [(Double, Int)] = []
        while true {
            let hz = 440 * pow(2, Double(pitch - 69) / 12)
            if hz > high || out.count > 20 { break }
            if hz >= low { out.append((hz, pitch)) }
            pitch += 12
        }
        return out
    }

    // MARK: Drawing

    /// The contour in `width × height` pixels over `duration` seconds, optionally over `spectrogram`.
    public static func render(_ points: [Point], width: Int, height: Int, fmin: Double, fmax: Double,
                              duration: Double, spectrogram: Spectrogram? = nil) -> Image {
        var image = Image(width: max(1, width), height: max(1, height), fill: [0.05, 0.05, 0.08])
        guard width > 0, height > 0 else { return image }
        let (low, high) = range(points, fmin: fmin, fmax: fmax)
        let span = max(duration, points.last?.time ?? 0, 1e-3)
        func y(_ hz: Double) -> Int? {
            position(of: hz, low: low, high: high).map { min(height - 1, max(0, Int(($0 * Double(height - 1)).rounded()))) }
        }
        if let spectrogram { paint(spectrogram, into: &image, low: low, high: high, span: span) }
        for line in octaveLines(low: low, high: high) {
            if let yy = y(line.hz) { for x in 0..<width where spectrogram == nil || x % 2 == 0 { image.setPixel(x, yy, SIMD4(0.22, 0.22, 0.3, 1)) } }
        }
        var previous: (x: Int, y: Int)?
        for f in points {
            guard f.time.isFinite else { continue }
            let x = min(width - 1, max(0, Int(f.time / span * Double(width))))
            guard let yy = y(f.frequency) else { previous = nil; continue }
            if f.voiced {
                let color = SIMD4<Float>(0.98, 0.7, 0.25, 1)
                if let p = previous, x - p.x <= 2 {   // join neighbouring voiced points
                    for yk in min(p.y, yy)...max(p.y, yy) { image.setPixel(x, yk, color) }
                }
                image.setPixel(x, yy, color)
                previous = (x, yy)
            } else if spectrogram == nil {
                let g = Float(0.15 + 0.35 * min(max(f.confidence, 0), 1))
                image.setPixel(x, yy, SIMD4(g, g, g * 1.2, 1))
                previous = nil
            } else {
                previous = nil
            }
        }
        return image
    }

    /// The spectrogram in dB (80 dB range below its peak), dimmed, on the plot's log-frequency rows.
    static func paint(_ spectrogram: Spectrogram, into image: inout Image, low: Double, high: Double, span: Double) {
        let width = image.width, height = image.height
        guard spectrogram.frameCount > 0, spectrogram.binCount > 1 else { return }
        let peak = spectrogram.magnitudes.max() ?? 0
        guard peak > 0 else { return }
        let floorDB: Float = -80
        // Each row's bin (nearest), each column's frame (the one at its centre time).
        let bins = (0..<height).map { row -> Int in
            let v = 1 - Double(row) / Double(max(1, height - 1))
            let hz = pow(2, log2(low) + v * (log2(high) - log2(low)))
            return min(spectrogram.binCount - 1, max(0, spectrogram.bin(ofFrequency: hz)))
        }
        for x in 0..<width {
            let t = (Double(x) + 0.5) / Double(width) * span
            let frame = Int((t * spectrogram.frameRate).rounded())
            guard frame >= 0, frame < spectrogram.frameCount else { continue }
            for row in 0..<height {
                let m = spectrogram[frame: frame, bin: bins[row]]
                let db = m > 0 ? max(floorDB, 20 * log10(m / peak)) : floorDB
                let c = Colormap.ember.color((db - floorDB) / -floorDB) * 0.6
                image.setPixel(x, row, SIMD4(c.x, c.y, c.z, 1))
            }
        }
    }
}
