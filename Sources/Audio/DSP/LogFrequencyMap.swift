import Glibc

/// Maps STFT magnitude frames onto a log-frequency axis with a fixed number of bins per semitone
/// (a constant-Q-like spectrum computed from one long DFT, as NNLS Chroma does).
///
/// Bin `k` is centred on MIDI pitch `lowestPitch + k / binsPerSemitone + tuning` (fractional pitches;
/// `tuning` in semitones shifts the whole axis, e.g. +0.1 for a piece tuned 10 cents sharp). Where the
/// log bins are closer together than the DFT bins (low notes) a bin is the linear interpolation of the
/// DFT magnitudes at its centre; higher up it is a triangle-weighted sum of the DFT bins between its
/// neighbours' centres, so a partial anywhere between two centres is seen by both.
public struct LogFrequencyMap: Sendable {
    // MARK: Shape

    /// Log bins per semitone (3 for NNLS Chroma).
    public let binsPerSemitone: Int
    /// MIDI pitch of bin 0 before tuning.
    public let lowestPitch: Double
    /// Tuning offset in semitones added to every centre.
    public let tuning: Double
    /// Number of log bins.
    public let binCount: Int
    /// DFT size and sample rate of the frames the map reads.
    public let fftSize: Int
    public let sampleRate: Int

    /// First DFT bin of each log bin's weights.
    private let starts: [Int32]
    /// Offsets into `weights` (binCount + 1 of them).
    private let offsets: [Int32]
    private let weights: [Float]

    // MARK: Building

    /// A map of `binCount` bins from `lowestPitch` for frames of `fftSize` at `sampleRate`; bins whose
    /// band would reach Nyquist are dropped, so `binCount` may come out smaller than asked.
    public init(fftSize: Int, sampleRate: Int, lowestPitch: Double, binCount: Int, binsPerSemitone: Int = 3, tuning: Double = 0) {
        precondition(fftSize >= 2 && sampleRate > 0 && binsPerSemitone > 0 && binCount >= 0, "invalid log-frequency map")
        self.fftSize = fftSize
        self.sampleRate = sampleRate
        self.lowestPitch = lowestPitch
        self.binsPerSemitone = binsPerSemitone
        self.tuning = tuning
        let resolution = Double(sampleRate) / Double(fftSize)
        let nyquistBin = fftSize / 2
        let ratio = pow(2, 1 / (12 * Double(binsPerSemitone)))
        var starts: [Int32] = [], offsets: [Int32] = [0], weights: [Float] = []
        for k in 0..<binCount {
            let centre = 440 * pow(2, (lowestPitch + Double(k) / Double(binsPerSemitone) + tuning - 69) / 12)
            let halfWidth = max(resolution, centre * (ratio - 1))
            let lo = Int(((centre - halfWidth) / resolution).rounded(.up)), hi = Int(((centre + halfWidth) / resolution).rounded(.down))
            if hi >= nyquistBin { break }
            var first = -1
            for j in max(0, lo)...max(0, hi) {
                let w = 1 - abs(Double(j) * resolution - centre) / halfWidth
                guard w > 0 else { continue }
                if first < 0 { first = j }
                // Keep the run contiguous from `first` (zero weights inside are impossible for a triangle).
                weights.append(Float(w))
            }
            starts.append(Int32(max(0, first)))
            offsets.append(Int32(weights.count))
        }
        self.binCount = starts.count
        self.starts = starts
        self.offsets = offsets
        self.weights = weights
    }

    // MARK: Axes

    /// The MIDI pitch (fractional, tuning included) of log bin `k`.
    public func pitch(ofBin k: Int) -> Double { lowestPitch + Double(k) / Double(binsPerSemitone) + tuning }
    /// The centre frequency of log bin `k` in Hz.
    public func frequency(ofBin k: Int) -> Double { 440 * pow(2, (pitch(ofBin: k) - 69) / 12) }

    // MARK: Mapping

    /// Maps one frame of DFT magnitudes (`fftSize / 2 + 1` values) into `binCount` log bins.
    public func apply(_ magnitudes: UnsafeBufferPointer<Float>, into out: UnsafeMutableBufferPointer<Float>) {
        precondition(magnitudes.count >= fftSize / 2 + 1 && out.count >= binCount, "log-frequency buffers too small")
        starts.withUnsafeBufferPointer { s in
            offsets.withUnsafeBufferPointer { o in
                weights.withUnsafeBufferPointer { w in
                    for k in 0..<binCount {
                        let base = Int(s[k]), from = Int(o[k]), to = Int(o[k + 1])
                        var sum: Float = 0
                        for i in from..<to { sum += w[i] * magnitudes[base + i - from] }
                        out[k] = sum
                    }
                }
            }
        }
    }

    /// Maps one frame given as an array.
    public func apply(_ magnitudes: [Float]) -> [Float] {
        var out = [Float](repeating: 0, count: binCount)
        magnitudes.withUnsafeBufferPointer { m in out.withUnsafeMutableBufferPointer { apply(m, into: $0) } }
        return out
    }

    /// The log-frequency image of a steady sinusoid at `frequency` Hz with amplitude `amplitude`, as a
    /// periodic-Hann STFT frame of `fftSize` samples sees it (its main lobe and first side lobes) mapped
    /// through this map: what one partial of a note looks like in the mapped spectrum.
    public func image(ofSinusoidAt frequency: Double, amplitude: Double = 1) -> [Float] {
        let resolution = Double(sampleRate) / Double(fftSize)
        var spectrum = [Float](repeating: 0, count: fftSize / 2 + 1)
        let centre = frequency / resolution
        let lo = max(0, Int((centre - 4).rounded(.up))), hi = min(fftSize / 2, Int((centre + 4).rounded(.down)))
        if lo <= hi {
            for j in lo...hi {
                spectrum[j] = Float(amplitude * Double(fftSize) / 4 * Self.hannResponse(Double(j) - centre))
            }
        }
        return apply(spectrum)
    }

    /// |W(ν)| / W(0) of a periodic Hann window at an offset of `nu` DFT bins (large-N form).
    static func hannResponse(_ nu: Double) -> Double {
        func sinc(_ x: Double) -> Double { abs(x) < 1e-12 ? 1 : sin(Double.pi * x) / (Double.pi * x) }
        return abs(sinc(nu) + 0.5 * sinc(nu - 1) + 0.5 * sinc(nu + 1))
    }

    // MARK: Tuning

    /// The tuning of a spectrum in semitones (−0.5 ..< 0.5; +0.1 = 10 cents sharp of A = 440 Hz): the phase
    /// of its magnitude-weighted pitches on the semitone circle, `arg Σ x_k e^{2πi·pitch_k} / 2π`, as
    /// NNLS Chroma estimates it. Read it from a map with several bins per semitone and no tuning.
    public func tuning(of spectrum: [Float]) -> Double {
        var re = 0.0, im = 0.0
        for k in 0..<min(binCount, spectrum.count) {
            let phase = 2 * Double.pi * pitch(ofBin: k)
            re += Double(spectrum[k]) * cos(phase)
            im += Double(spectrum[k]) * sin(phase)
        }
        guard re * re + im * im > 0 else { return 0 }
        var d = atan2(im, re) / (2 * Double.pi)
        if d >= 0.5 { d -= 1 }
        return d
    }
}
