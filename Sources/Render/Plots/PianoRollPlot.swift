import MIDI
import Media

/// A piano roll of note events: time to the right, pitch upwards, octave lines at every C.
public enum PianoRollPlot {
    /// The pitches the roll shows for `notes`: their range padded by two semitones each way, at
    /// least an octave; nil when no note can be drawn. Row `p` spans `(high - p) / rows … (high - p + 1) / rows`
    /// of the height, `rows = high - low + 1`.
    public static func pitchRange(_ notes: [NoteEvent]) -> ClosedRange<Int>? {
        let drawable = notes.filter(isDrawable)
        guard let lowest = drawable.map(\.pitch).min(), let highest = drawable.map(\.pitch).max() else { return nil }
        var low = lowest - 2, high = highest + 2
        if high - low < 12 { let pad = (12 - (high - low)) / 2; low -= pad; high = low + 12 }
        return low...high
    }

    /// Whether a note can be placed (finite, ordered times; a MIDI pitch).
    static func isDrawable(_ note: NoteEvent) -> Bool {
        (0...127).contains(note.pitch) && note.start.isFinite && note.end.isFinite && note.end >= note.start
    }

    /// The notes drawn into `width × height` pixels (pitch range fitted to the notes, at least an octave).
    /// Notes that cannot be placed (non-finite or reversed times, pitches outside 0–127) are skipped.
    public static func render(_ notes: [NoteEvent], width: Int, height: Int, duration: Double? = nil) -> Image {
        let background = SIMD4<Float>(0.05, 0.05, 0.08, 1)
        var image = Image(width: max(0, width), height: max(0, height), fill: [background.x, background.y, background.z])
        let drawable = notes.filter(isDrawable)
        guard let range = pitchRange(drawable), width > 0, height > 0 else { return image }
        let low = range.lowerBound, high = range.upperBound
        let latest = drawable.map(\.end).max() ?? 1
        let requested = duration.flatMap { $0.isFinite ? $0 : nil } ?? 0
        let span = max(requested, latest, 1e-3)
        let rows = high - low + 1
        func y(ofPitch p: Int) -> (Int, Int) {
            let top = (high - p) * height / rows
            let bottom = (high - p + 1) * height / rows - 1
            return (max(0, min(height - 1, top)), min(height - 1, max(top, bottom)))
        }
        /// The pixel column of time `t` (clamped into the picture; the last instant maps to the last column).
        func column(_ t: Double) -> Int {
            (t / span * Double(width)).roundedInt(.down, clampedTo: 0...(width - 1)) ?? 0
        }
        // Octave lines at every C.
        for p in low...high where p % 12 == 0 {
            let (top, bottom) = y(ofPitch: p)
            for x in 0..<width { image.setPixel(x, (top + bottom) / 2, SIMD4(0.16, 0.16, 0.22, 1)) }
        }
        let palette: [SIMD3<Float>] = [SIMD3(0.98, 0.62, 0.25), SIMD3(0.35, 0.78, 0.98), SIMD3(0.55, 0.9, 0.45),
                                       SIMD3(0.95, 0.45, 0.75), SIMD3(0.95, 0.9, 0.4)]
        for note in drawable where note.end >= 0 && note.start <= span {
            // A note covers [start, end): its last column is the one before `end`, but at least its first.
            let x0 = column(note.start)
            let x1 = max(x0, column(note.end) - (note.end < span ? 1 : 0))
            let (top, bottom) = y(ofPitch: note.pitch)
            let n = palette.count
            let shade = ((note.track % n) + (note.channel % n) + 2 * n) % n  // any track or channel number
            let base = palette[shade]
            let velocity = Float(min(max(note.velocity, 0), 127))
            let c = base * (0.45 + 0.55 * velocity / 127)
            for yy in top...bottom { for x in x0...x1 { image.setPixel(x, yy, SIMD4(c.x, c.y, c.z, 1)) } }
        }
        return image
    }
}
