import MIDI
import Media

/// A piano roll of note events: time to the right, pitch upwards, octave lines at every C.
public enum PianoRollPlot {
    /// The notes drawn into `width × height` pixels (pitch range fitted to the notes, at least an octave).
    public static func render(_ notes: [NoteEvent], width: Int, height: Int, duration: Double? = nil) -> Image {
        let background = SIMD4<Float>(0.05, 0.05, 0.08, 1)
        var image = Image(width: width, height: height, fill: [background.x, background.y, background.z])
        guard !notes.isEmpty, width > 0, height > 0 else { return image }
        var low = notes.map(\.pitch).min()! - 2, high = notes.map(\.pitch).max()! + 2
        if high - low < 12 { let pad = (12 - (high - low)) / 2; low -= pad; high = low + 12 }
        let span = max(duration ?? 0, notes.map(\.end).max() ?? 1, 1e-3)
        let rows = high - low + 1
        func y(ofPitch p: Int) -> (Int, Int) {
            let top = Int((Double(high - p) * Double(height) / Double(rows)).rounded(.down))
            let bottom = Int((Double(high - p + 1) * Double(height) / Double(rows)).rounded(.down)) - 1
            return (max(0, top), min(height - 1, max(top, bottom)))
        }
        // Octave lines at every C.
        for p in low...high where p % 12 == 0 {
            let (top, bottom) = y(ofPitch: p)
            for x in 0..<width { image.setPixel(x, (top + bottom) / 2, SIMD4(0.16, 0.16, 0.22, 1)) }
        }
        let palette: [SIMD3<Float>] = [SIMD3(0.98, 0.62, 0.25), SIMD3(0.35, 0.78, 0.98), SIMD3(0.55, 0.9, 0.45),
                                       SIMD3(0.95, 0.45, 0.75), SIMD3(0.95, 0.9, 0.4)]
        for note in notes {
            let x0 = Int(note.start / span * Double(width)), x1 = max(x0, Int(note.end / span * Double(width)) - 1)
            let (top, bottom) = y(ofPitch: note.pitch)
            let base = palette[(note.track + note.channel) % palette.count]
            let c = base * (0.45 + 0.55 * Float(note.velocity) / 127)
            for yy in top...bottom { for x in max(0, x0)...min(width - 1, x1) { image.setPixel(x, yy, SIMD4(c.x, c.y, c.z, 1)) } }
        }
        return image
    }
}
