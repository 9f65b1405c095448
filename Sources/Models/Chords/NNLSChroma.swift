import Audio
import Glibc
import Media
import Synchronization

/// Bass and treble chromagrams from an approximate note transcription, after Mauch and Dixon 2010
/// ("Approximate note transcription for the improved identification of difficult chords", the NNLS
/// Chroma features): mono audio at 11,025 Hz → STFT (4096-sample Hann frames) → log-frequency
/// spectrum with 3 bins per semitone, its axis shifted to the estimated tuning → running
/// standardisation over half an octave (spectral whitening) → per-frame non-negative least squares
/// against harmonic note profiles (a semitone spectrum E1…G#7) → the notes weighted by a bass and a
/// treble profile and folded onto 12 pitch classes.
public struct NNLSChroma: Sendable {
    // MARK: Settings

    /// What the analysis can be told.
    public struct Settings: Sendable, Equatable {
        /// Decay of the partials in the note profiles (partial h has amplitude shape^(h−1)).
        public var spectralShape = 0.7
        /// How far the running standard deviation divides the spectrum (0: only the running mean is
        /// subtracted, 1: full standardisation).
        public var whitening = 1.0
        /// Estimate the tuning (otherwise A = 440 Hz).
        public var estimateTuning = true
        public init(spectralShape: Double = 0.7, whitening: Double = 1.0, estimateTuning: Bool = true) {
            self.spectralShape = spectralShape
            self.whitening = whitening
            self.estimateTuning = estimateTuning
        }
    }

    /// Analysis sample rate.
    public static let sampleRate = 11_025
    /// STFT frame (372 ms at 11,025 Hz: a quarter-tone apart at 55 Hz).
    public static let fftSize = 4096
    /// Samples between frames (46 ms).
    public static let hop = 512
    /// Lowest transcribed note (E1, the lowest string of a bass: below it semitones are closer than the
    /// 2.7 Hz the 4096-sample frame resolves) and the number of notes (E1…G#7).
    public static let lowestNote = 28
    public static let noteCount = 77
    /// Notes below C3 get profiles whitened like the spectrum (see `NoteDictionary`).
    public static let whitenedProfilesBelow = 48
    /// Log bins per semitone.
    public static let binsPerSemitone = 3
    /// Half an octave of log bins: the window of the running mean and deviation.
    public static let whiteningWindow = 18

    // MARK: Result

    /// The features of one clip, frame-major; frame `t` is centred at `t · hop / sampleRate` s.
    public struct Frames: Sendable {
        /// Number of frames.
        public var frameCount: Int
        /// Frames per second.
        public var frameRate: Double { Double(NNLSChroma.sampleRate) / Double(NNLSChroma.hop) }
        /// Bass chroma, `frameCount × 12` (C = 0).
        public var bass: [Float]
        /// Treble chroma, `frameCount × 12`.
        public var treble: [Float]
        /// Semitone spectrum (NNLS note activations), `frameCount × noteCount`.
        public var notes: [Float]
        /// Frame power in dB (relative to a full-scale sinusoid's; −200 for digital silence).
        public var levels: [Float]
        /// Spectral flatness of each frame from 100 Hz to 5 kHz (geometric over arithmetic mean of the
        /// power): ≈ 0.56 for white noise, below 0.1 for tonal music.
        public var flatness: [Float]
        /// Estimated tuning in semitones (0 = A 440 Hz).
        public var tuning: Double
        /// Seconds of audio analysed.
        public var duration: Double

        /// The centre of frame `t` in seconds.
        public func time(ofFrame t: Int) -> Double { Double(t * NNLSChroma.hop) / Double(NNLSChroma.sampleRate) }
    }

    // MARK: Profiles

    /// Weight of each note (MIDI pitch) in the bass chroma: full from E1 to F#2, fading out by F#3.
    public static func bassWeight(_ pitch: Int) -> Float {
        taper(Double(pitch), riseFrom: 21, fullFrom: 28, fullTo: 42, fallTo: 54)
    }

    /// Weight of each note in the treble chroma: full from C3 to C5, fading in from E2 and out by C6
    /// (above C6 the transcription is mostly partials and cymbals).
    public static func trebleWeight(_ pitch: Int) -> Float {
        taper(Double(pitch), riseFrom: 40, fullFrom: 48, fullTo: 72, fallTo: 84)
    }

    /// 0 outside `riseFrom…fallTo`, 1 on `fullFrom…fullTo`, raised-cosine edges between.
    static func taper(_ x: Double, riseFrom a: Double, fullFrom b: Double, fullTo c: Double, fallTo d: Double) -> Float {
        if x <= a || x >= d { return 0 }
        if x < b { let u = (x - a) / (b - a); return Float(0.5 - 0.5 * cos(Double.pi * u)) }
        if x > c { let u = (x - c) / (d - c); return Float(0.5 + 0.5 * cos(Double.pi * u)) }
        return 1
    }

    // MARK: Analysis

    /// The features of `clip` (mixed to mono and resampled to 11,025 Hz); `shouldStop` is polled on
    /// the worker threads between blocks of frames (it may block, e.g. while paused) and ends the
    /// analysis early when it returns true (frames not reached stay zero).
    public static func analyse(_ clip: AudioClip, settings: Settings = Settings(), shouldStop: () -> Bool = { false }) -> Frames {
        let mono = clip.mono()
        // The fast design (flat to 80 % of 5.5 kHz) loses nothing a chord needs.
        let samples = mono.sampleRate == sampleRate ? mono.samples : mono.resampled(to: sampleRate, quality: .fast).samples
        var frames = analyse(samples: samples, settings: settings, shouldStop: shouldStop)
        frames.duration = clip.duration   // exactly, not rounded to the analysis rate
        return frames
    }

    /// The features of mono samples at 11,025 Hz.
    public static func analyse(samples: [Float], settings: Settings = Settings(), shouldStop: () -> Bool = { false }) -> Frames {
        let duration = Double(samples.count) / Double(sampleRate)
        let stft = STFT(fftSize: fftSize, hop: hop)
        let spectrum = stft.spectrogram(of: samples, sampleRate: sampleRate, parallel: true)
        let frames = spectrum.frameCount, bins = spectrum.binCount
        guard frames > 0 else {
            return Frames(frameCount: 0, bass: [], treble: [], notes: [], levels: [], flatness: [], tuning: 0, duration: duration)
        }

        // Frame levels, and the mean spectrum for the tuning estimate.
        var levels = [Float](repeating: -200, count: frames), flatness = [Float](repeating: 1, count: frames)
        let flatBand = spectrum.bin(ofFrequency: 100)..<max(spectrum.bin(ofFrequency: 100) + 8, spectrum.bin(ofFrequency: 5000))
        var mean = [Float](repeating: 0, count: bins)
        let windowPower = Float(fftSize) * Float(fftSize) / 16 / 2   // |X|² of a unit sinusoid's peak, halved
        spectrum.magnitudes.withUnsafeBufferPointer { m in
            for t in 0..<frames {
                var power: Float = 0
                let base = t * bins
                for k in 0..<bins { let v = m[base + k]; power += v * v; mean[k] += v }
                levels[t] = power > 1e-30 ? 10 * log10f(power / windowPower) : -200
                flatness[t] = spectralFlatness(UnsafeBufferPointer(rebasing: m[(base + flatBand.lowerBound)..<(base + flatBand.upperBound)]))
            }
        }
        var tuning = 0.0
        if settings.estimateTuning {
            // A fine map over the well-resolved middle range reads the tuning from the mean spectrum.
            let fine = LogFrequencyMap(fftSize: fftSize, sampleRate: sampleRate, lowestPitch: 45, binCount: 48 * 9, binsPerSemitone: 9)
            tuning = fine.tuning(of: fine.apply(mean))
        }

        let map = LogFrequencyMap(fftSize: fftSize, sampleRate: sampleRate, lowestPitch: Double(lowestNote - 1),
                                  binCount: (noteCount + 12) * binsPerSemitone, binsPerSemitone: binsPerSemitone, tuning: tuning)
        let dictionary = NoteDictionary(map: map, lowestNote: lowestNote, noteCount: noteCount, shape: settings.spectralShape,
                                        whitenedBelow: whitenedProfilesBelow,
                                        whitening: (whiteningWindow, Float(settings.whitening)))
        // Notes that would explain less than 0.1 % of the largest correlation are left out (a third faster).
        let solver = NonNegativeLeastSquares(matrix: dictionary.matrix, rows: dictionary.binCount, columns: noteCount, tolerance: 1e-3)
        let bassWeights = (0..<noteCount).map { bassWeight(lowestNote + $0) }
        let trebleWeights = (0..<noteCount).map { trebleWeight(lowestNote + $0) }

        var notes = [Float](repeating: 0, count: frames * noteCount)
        var bass = [Float](repeating: 0, count: frames * 12)
        var treble = [Float](repeating: 0, count: frames * 12)
        let logBins = map.binCount
        let stopped = StopFlag()
        spectrum.magnitudes.withUnsafeBufferPointer { m in
            notes.withUnsafeMutableBufferPointer { notesOut in
                bass.withUnsafeMutableBufferPointer { bassOut in
                    treble.withUnsafeMutableBufferPointer { trebleOut in
                        Parallel.forRanges(frames, chunks: 8, minimumCount: 16) { range in
                            var logSpectrum = [Float](repeating: 0, count: logBins)
                            var white = [Float](repeating: 0, count: logBins)
                            let workspace = NonNegativeLeastSquares.Workspace(count: noteCount)
                            for t in range {
                                if (t - range.lowerBound) % 32 == 0, stopped.isSet || shouldStop() { stopped.set(); return }
                                logSpectrum.withUnsafeMutableBufferPointer { out in
                                    map.apply(UnsafeBufferPointer(rebasing: m[(t * bins)..<((t + 1) * bins)]), into: out)
                                }
                                whiten(logSpectrum, into: &white, window: whiteningWindow, exponent: Float(settings.whitening))
                                white.withUnsafeBufferPointer { solver.solve($0, workspace) }
                                let x = workspace.solution
                                for n in 0..<noteCount {
                                    let v = Float(x[n])
                                    notesOut[t * noteCount + n] = v
                                    guard v > 0 else { continue }
                                    let pc = (lowestNote + n) % 12
                                    bassOut[t * 12 + pc] += v * bassWeights[n]
                                    trebleOut[t * 12 + pc] += v * trebleWeights[n]
                                }
                            }
                        }
                    }
                }
            }
        }
        return Frames(frameCount: frames, bass: bass, treble: treble, notes: notes, levels: levels, flatness: flatness,
                      tuning: tuning, duration: duration)
    }

    /// A flag set once by whichever thread sees a stop and read by all (lock-free).
    public final class StopFlag: Sendable {
        private let flag = Atomic<Bool>(false)
        /// Whether the flag has been set.
        public var isSet: Bool { flag.load(ordering: .relaxed) }
        /// An unset flag.
        public init() {}
        /// Sets the flag (from any thread).
        public func set() { flag.store(true, ordering: .relaxed) }
    }

    /// Geometric over arithmetic mean of the squared magnitudes (1 for an empty or silent band). The
    /// logarithm is taken of products of 8 powers at a time, in Double, to keep it cheap.
    static func spectralFlatness(_ magnitudes: UnsafeBufferPointer<Float>) -> Float {
        var logSum = 0.0, sum = 0.0
        var i = 0
        let n = magnitudes.count
        while i < n {
            var product = 1.0
            let end = min(n, i + 8)
            for k in i..<end {
                let p = max(1e-30, Double(magnitudes[k]) * Double(magnitudes[k]))
                product *= p
                sum += p
            }
            logSum += log(product)
            i = end
        }
        guard n > 0, sum > Double(n) * 1e-29 else { return 1 }
        return Float(exp(logSum / Double(n)) / (sum / Double(n)))
    }

    /// Running standardisation: each bin minus the mean of the `window` bins around it, divided by their
    /// standard deviation raised to `exponent`; bins at or below the mean become 0.
    static func whiten(_ x: [Float], into out: inout [Float], window: Int, exponent: Float) {
        let n = x.count
        guard n > 0 else { return }
        var sum = [Double](repeating: 0, count: n + 1), sq = [Double](repeating: 0, count: n + 1)
        for i in 0..<n { sum[i + 1] = sum[i] + Double(x[i]); sq[i + 1] = sq[i] + Double(x[i]) * Double(x[i]) }
        let half = window / 2
        var sigmas = [Double](repeating: 0, count: n), mus = [Double](repeating: 0, count: n)
        for i in 0..<n {
            let lo = max(0, i - half), hi = min(n, i + half + 1)
            let count = Double(hi - lo)
            let mu = (sum[hi] - sum[lo]) / count
            mus[i] = mu
            sigmas[i] = max(0, (sq[hi] - sq[lo]) / count - mu * mu).squareRoot()
        }
        for i in 0..<n {
            let v = Double(x[i]) - mus[i]
            guard v > 0 else { out[i] = 0; continue }
            let sigma = sigmas[i]
            if exponent == 0 { out[i] = Float(v) } else if sigma > 0 { out[i] = Float(exponent == 1 ? v / sigma : v / pow(sigma, Double(exponent))) } else { out[i] = 0 }
        }
    }
}
