import Audio
import Glibc

/// The note profiles of the approximate transcription: one column per semitone-spaced note, the
/// log-frequency image of a harmonic tone whose partials decay geometrically (partial h has amplitude
/// shape^(h−1), as in Mauch and Dixon 2010), each partial drawn as the mapped Hann main lobe it makes
/// in the STFT, so a note in the music and its profile look alike. Profiles of low notes go through the
/// same running standardisation as the spectrum (see `whitenedBelow`). Columns have unit length.
public struct NoteDictionary: Sendable {
    /// MIDI pitch of the first note.
    public let lowestNote: Int
    /// Number of notes (columns).
    public let noteCount: Int
    /// Rows: the map's log bins.
    public let binCount: Int
    /// Row-major `binCount × noteCount`.
    public let matrix: [Float]

    /// Profiles for `noteCount` notes from `lowestNote` over `map`'s bins (its tuning included),
    /// `partials` partials each below Nyquist, amplitude `shape^(h−1)`.
    ///
    /// Notes below `whitenedBelow` are whitened like the input (`whitening`: window in bins and
    /// exponent): a bass note's partials stand alone in their half-octave, so standardisation lifts
    /// each of them to about the same height, and only a profile treated alike explains them — left
    /// raw, a bass note's 3rd and 5th partials come out of the transcription as notes of their own
    /// (a major third that is not there). Higher up, partials of several notes share each
    /// neighbourhood and the raw profile fits better.
    public init(map: LogFrequencyMap, lowestNote: Int, noteCount: Int, shape: Double, partials: Int = 20,
                whitenedBelow: Int = Int.min, whitening: (window: Int, exponent: Float) = (18, 1)) {
        self.lowestNote = lowestNote
        self.noteCount = noteCount
        binCount = map.binCount
        var matrix = [Float](repeating: 0, count: map.binCount * noteCount)
        let nyquist = Double(map.sampleRate) / 2
        for n in 0..<noteCount {
            let f0 = 440 * pow(2, (Double(lowestNote + n) + map.tuning - 69) / 12)
            var column = [Float](repeating: 0, count: map.binCount)
            for h in 1...max(1, partials) {
                let f = f0 * Double(h)
                guard f < nyquist * 0.98 else { break }
                let image = map.image(ofSinusoidAt: f, amplitude: pow(shape, Double(h - 1)))
                for k in 0..<map.binCount { column[k] += image[k] }
            }
            if lowestNote + n < whitenedBelow {
                var white = [Float](repeating: 0, count: column.count)
                NNLSChroma.whiten(column, into: &white, window: whitening.window, exponent: whitening.exponent)
                column = white
            }
            var norm: Float = 0
            for v in column { norm += v * v }
            norm = norm.squareRoot()
            guard norm > 0 else { continue }
            for k in 0..<map.binCount { matrix[k * noteCount + n] = column[k] / norm }
        }
        self.matrix = matrix
    }
}
