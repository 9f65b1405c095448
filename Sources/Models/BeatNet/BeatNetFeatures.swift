import Audio
import Engine
import Foundation

// MARK: - BeatNet's input features (madmom-style, from BeatNet 1.1.3's parameters)

/// BeatNet's spectral features, computed from the parameters in its `LOG_SPECT` (madmom processors),
/// mlwb's own implementation: 22,050 Hz mono; frames of 1411 samples centred on sample i·441 (zeros
/// outside the signal, ⌈samples/441⌉ frames, 50 per second); Hann window (numpy's symmetric
/// `hanning`); |DFT| of the frame size, bins 0…704; a logarithmic filterbank of 24 bands per octave
/// over 30–17,000 Hz (normalised, unique filters: 136 bands); log10(1 + x); the positive difference
/// to the previous frame (first frame 0) stacked beside it → [frames, 272].
public enum BeatNetFeatures {
    /// Sample rate the features are computed at.
    public static let sampleRate = 22_050
    /// Samples per frame (int(64 ms · 22,050)).
    public static let frameSize = 1411
    /// Samples between frames (int(20 ms · 22,050)).
    public static let hopSize = 441
    /// Frames per second.
    public static let framesPerSecond = 50.0
    /// Bands per octave of the filterbank.
    public static let bandsPerOctave = 24
    /// Filterbank frequency range in Hz.
    public static let minimumFrequency = 30.0, maximumFrequency = 17_000.0

    /// The filterbank over the 705 bins, labelled as madmom labels them (k·22,050/1410 Hz).
    public static let filterbank = LogarithmicFilterbank(
        binFrequencies: LogarithmicFilterbank.fftBinFrequencies(binCount: frameSize / 2, sampleRate: Double(sampleRate)),
        bandsPerOctave: bandsPerOctave, fmin: minimumFrequency, fmax: maximumFrequency, fref: 440, normalized: true,
        uniqueFilters: true)
    /// Filter bands (136).
    public static var bandCount: Int { filterbank.bandCount }
    /// Features per frame: bands and their positive differences (272).
    public static var featureCount: Int { 2 * bandCount }

    /// numpy's `hanning(1411)`: 0.5 − 0.5·cos(2πn/(N−1)).
    static let window: [Float] = (0..<frameSize).map { Float(0.5 - 0.5 * cos(2 * Double.pi * Double($0) / Double(frameSize - 1))) }
    /// The 1411-point transform (17 × 83).
    static let dft = PrimeFactorDFT(n1: 17, n2: 83)

    /// madmom's `_diff_frames` for this window and hop: the frame distance whose windows overlap where the
    /// window first exceeds `ratio` of its peak, rounded half to even as Python's `round`, at least 1 (1 here).
    public static func differenceFrames(ratio: Double = 0.5) -> Int {
        let peak = window.max() ?? 1
        let sample = window.firstIndex { Double($0) > ratio * Double(peak) } ?? 0
        let distance = (Double(frameSize) / 2 - Double(sample)) / Double(hopSize)
        return max(1, Int(distance.rounded(.toNearestOrEven)))
    }

    /// Frames for `sampleCount` samples at 22,050 Hz: ⌈samples / 441⌉.
    public static func frameCount(sampleCount: Int) -> Int { (sampleCount + hopSize - 1) / hopSize }

    /// Time in seconds of frame `index` (its centre).
    public static func frameTime(_ index: Int) -> Double { Double(index * hopSize) / Double(sampleRate) }

    /// The clip as BeatNet reads audio: mixed to mono, resampled to 22,050 Hz.
    public static func prepare(_ clip: AudioClip) -> [Float] {
        clip.mono().resampled(to: sampleRate).samples
    }

    /// Features [frames, 272] of any clip.
    public static func compute(_ clip: AudioClip) -> Tensor { compute(samples: prepare(clip)) }

    /// Features [frames, 272] of mono samples at 22,050 Hz.
    public static func compute(samples: [Float]) -> Tensor {
        let frames = frameCount(sampleCount: samples.count)
        let bins = dft.binCount, bands = bandCount
        guard frames > 0 else { return Tensor.zeros([0, 2 * bands]) }
        var spectrum = [Float](repeating: 0, count: frames * bins)
        samples.withUnsafeBufferPointer { signal in
            window.withUnsafeBufferPointer { win in
                spectrum.withUnsafeMutableBufferPointer { out in
                    dft.magnitudes(frames: frames, output: out.baseAddress!) { f, frame in
                        // Frame f covers samples f·hop − ⌊size/2⌋ ..< that + size, zero outside the signal.
                        let first = f * hopSize - frameSize / 2
                        let lo = max(0, -first), hi = min(frameSize, signal.count - first)
                        if lo > 0 { frame.initialize(repeating: 0, count: lo) }
                        if hi < frameSize { (frame + max(hi, lo)).initialize(repeating: 0, count: frameSize - max(hi, lo)) }
                        if lo < hi { for n in lo..<hi { frame[n] = signal[first + n] * win[n] } }
                    }
                }
            }
        }
        // Filterbank, log10(1 + x), positive difference; rows [log spectrum | difference].
        let lag = differenceFrames()
        var features = [Float](repeating: 0, count: frames * 2 * bands)
        spectrum.withUnsafeBufferPointer { spec in
            features.withUnsafeMutableBufferPointer { out in
                let o = out.baseAddress!
                for f in 0..<frames {
                    let row = o + f * 2 * bands
                    filterbank.apply(spec.baseAddress! + f * bins, into: row)
                    for b in 0..<bands { row[b] = log10(1 + row[b]) }
                }
                for f in lag..<frames {
                    let row = o + f * 2 * bands, previous = o + (f - lag) * 2 * bands
                    for b in 0..<bands { row[bands + b] = max(row[b] - previous[b], 0) }
                }
            }
        }
        return Tensor(shape: [frames, 2 * bands], scalars: features)
    }
}
