import Glibc

/// Overlapping triangular filters centred on logarithmically spaced frequencies, built the way madmom's
/// `LogarithmicFilterbank` is documented to build them (the front end of madmom's and BeatNet's beat
/// trackers).
///
/// Band frequencies are `fref · 2^(i / bandsPerOctave)` for every integer i with the frequency in
/// fmin…fmax; each maps to the FFT bin whose frequency is closest (ties go up), duplicate bins are
/// dropped (`uniqueFilters`), and every three consecutive bins (start, centre, stop) make a triangle that
/// rises from 0 at `start` to 1 at `centre` and falls towards 0 at `stop` (exclusive); a triangle of
/// fewer than two bins becomes a single bin of weight 1. With `normalized` each filter sums to 1.
public struct LogarithmicFilterbank: Sendable, Equatable {
    /// One band: its first bin and the weights from there on.
    public struct Band: Sendable, Equatable {
        /// First bin with a weight.
        public let start: Int
        /// Weights of bins `start`, `start + 1`, ….
        public let weights: [Float]
    }

    /// The bands, lowest first.
    public let bands: [Band]
    /// Number of input bins.
    public let binCount: Int
    /// The frequency of every input bin.
    public let binFrequencies: [Double]
    /// The bins the band edges and centres fell on (bands + 2 values).
    public let edgeBins: [Int]

    /// Number of bands.
    public var bandCount: Int { bands.count }

    /// madmom's `fft_frequencies`: bin k of a spectrum with `binCount` bins sits at k·rate / (2·binCount)
    /// (for an odd frame size this labels bins on the grid of the next smaller even size, as madmom does).
    public static func fftBinFrequencies(binCount: Int, sampleRate: Double) -> [Double] {
        (0..<binCount).map { Double($0) * sampleRate / Double(2 * binCount) }
    }

    /// madmom's `log_frequencies`: fref·2^(i/bandsPerOctave) for the integers i that put it in fmin…fmax.
    public static func logFrequencies(bandsPerOctave: Int, fmin: Double, fmax: Double, fref: Double = 440) -> [Double] {
        let perOctave = Double(bandsPerOctave)
        let left = Int((log2(fmin / fref) * perOctave).rounded(.down))
        let right = Int((log2(fmax / fref) * perOctave).rounded(.up))
        guard left < right else { return [] }
        return (left..<right).map { fref * pow(2, Double($0) / perOctave) }.filter { $0 >= fmin && $0 <= fmax }
    }

    /// Builds the filters over bins at `binFrequencies` (ascending).
    public init(binFrequencies: [Double], bandsPerOctave: Int = 12, fmin: Double = 30, fmax: Double = 17_000,
                fref: Double = 440, normalized: Bool = true, uniqueFilters: Bool = true) {
        precondition(binFrequencies.count >= 2 && bandsPerOctave > 0 && fmin > 0 && fmax > fmin, "invalid filterbank parameters")
        self.binFrequencies = binFrequencies
        binCount = binFrequencies.count
        // Closest bin per frequency (a frequency exactly between two bins takes the upper one).
        var bins: [Int] = []
        for f in Self.logFrequencies(bandsPerOctave: bandsPerOctave, fmin: fmin, fmax: fmax, fref: fref) {
            var upper = binFrequencies.firstIndex { $0 >= f } ?? binFrequencies.count
            upper = min(max(upper, 1), binFrequencies.count - 1)
            let closer = (f - binFrequencies[upper - 1]) < (binFrequencies[upper] - f)
            bins.append(closer ? upper - 1 : upper)
        }
        if uniqueFilters { bins = Array(Set(bins)).sorted() }
        edgeBins = bins
        var bands: [Band] = []
        var i = 0
        while i + 3 <= bins.count {
            var (start, centre, stop) = (bins[i], bins[i + 1], bins[i + 2])
            if stop - start < 2 { centre = start; stop = start + 1 }
            var w = [Float](repeating: 0, count: stop - start)
            let rise = centre - start, fall = stop - centre
            for j in 0..<rise { w[j] = Float(Double(j) / Double(rise)) }
            for j in 0..<fall { w[rise + j] = Float(1 - Double(j) / Double(fall)) }
            // Clip to the spectrum (a band near fmax may reach past the last bin).
            let end = min(stop, binFrequencies.count)
            w = Array(w[0..<max(0, end - start)])
            if normalized {
                let sum = w.reduce(0, +)
                if sum > 0 { w = w.map { $0 / sum } }
            }
            bands.append(Band(start: start, weights: w))
            i += 1
        }
        self.bands = bands
    }

    /// Filters one spectrum row of `binCount` magnitudes into `bandCount` values at `output`.
    public func apply(_ spectrum: UnsafePointer<Float>, into output: UnsafeMutablePointer<Float>) {
        for (b, band) in bands.enumerated() {
            var s: Float = 0
            band.weights.withUnsafeBufferPointer { w in
                for j in 0..<w.count { s += w[j] * spectrum[band.start + j] }
            }
            output[b] = s
        }
    }

    /// Filters one spectrum row.
    public func apply(_ spectrum: [Float]) -> [Float] {
        precondition(spectrum.count == binCount, "spectrum of \(spectrum.count) bins for a filterbank over \(binCount)")
        var out = [Float](repeating: 0, count: bandCount)
        spectrum.withUnsafeBufferPointer { s in out.withUnsafeMutableBufferPointer { apply(s.baseAddress!, into: $0.baseAddress!) } }
        return out
    }
}
