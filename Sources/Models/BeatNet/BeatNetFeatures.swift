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
        let bands = bandCount, width = 2 * bands
        guard frames > 0 else { return Tensor.zeros([0, width]) }
        let blocks = (frames + block - 1) / block
        var features = [Float](repeating: 0, count: frames * width)
        samples.withUnsafeBufferPointer { signal in
            features.withUnsafeMutableBufferPointer { out in
                let buffers = Buffers(signal: signal.baseAddress!, samples: signal.count, output: out.baseAddress!)
                // Blocks of frames are independent up to the difference: spread them over the threads.
                ComputeThreads.concurrentBlocks(blocks) { b in
                    let start = b * block
                    filteredLogSpectrum(start: start, count: min(block, frames - start), buffers)
                }
                // Positive difference to the frame `lag` before (the first `lag` rows stay 0).
                let lag = differenceFrames(), o = out.baseAddress!
                for f in lag..<frames {
                    let row = o + f * width, previous = o + (f - lag) * width
                    for b in 0..<bands { row[bands + b] = max(row[b] - previous[b], 0) }
                }
            }
        }
        return Tensor(shape: [frames, width], scalars: features)
    }

    // MARK: Blocks

    /// Frames per block of the transform.
    static let block = 128

    /// The signal and the output rows, shared read-only / by disjoint rows between block workers.
    struct Buffers: @unchecked Sendable {
        // @unchecked Sendable: workers read the signal and write disjoint rows of the output.
        let signal: UnsafePointer<Float>
        let samples: Int
        let output: UnsafeMutablePointer<Float>
    }

    /// The filterbank as one flat list: band b's weights are entries bandStarts[b]..<bandStarts[b+1],
    /// entry e weighting bin bandBins[e].
    static let bandStarts: [Int] = filterbank.bands.reduce(into: [0]) { $0.append($0.last! + $1.weights.count) }
    static let bandBins: [Int] = filterbank.bands.flatMap { band in band.weights.indices.map { band.start + $0 } }
    static let bandWeights: [Float] = filterbank.bands.flatMap(\.weights)

    /// log10(1 + filterbank(|DFT|)) of frames start..<start+count into the first `bandCount` columns of their rows.
    static func filteredLogSpectrum(start: Int, count: Int, _ buffers: Buffers) {
        let signal = buffers.signal, n = buffers.samples
        let grid = window.withUnsafeBufferPointer { win in
            dft.magnitudeGrid(start: start, count: count) { f, frame in
                // Frame f covers samples f·hop − ⌊size/2⌋ ..< that + size, zero outside the signal.
                let first = f * hopSize - frameSize / 2
                let lo = max(0, -first), hi = max(lo, min(frameSize, n - first))
                if lo > 0 { frame.initialize(repeating: 0, count: lo) }
                if hi < frameSize { (frame + hi).initialize(repeating: 0, count: frameSize - hi) }
                for i in lo..<hi { frame[i] = signal[first + i] * win[i] }
            }
        }
        let bins = dft.binOffsets(count: count)
        let entries = bandBins.map { bins[$0] }
        let bands = bandCount, width = 2 * bands, stride = dft.h2
        grid.withUnsafeBufferPointer { g in
            entries.withUnsafeBufferPointer { e in
                bandWeights.withUnsafeBufferPointer { w in
                    bandStarts.withUnsafeBufferPointer { starts in
                        for f in 0..<count {
                            let row = buffers.output + (start + f) * width
                            let column = g.baseAddress! + f * stride
                            for b in 0..<bands {
                                var sum: Float = 0
                                for i in starts[b]..<starts[b + 1] { sum += w[i] * column[e[i]] }
                                row[b] = sum
                            }
                            log10OnePlus(row, count: bands)
                        }
                    }
                }
            }
        }
    }

    /// log10(1 + x) in place for x ≥ 0 (the sum 1 + x rounded to Float first, as numpy does), eight at a time:
    /// exponent and mantissa from the bits, the mantissa folded into [√½, √2) and its log from
    /// 2·atanh((m−1)/(m+1)) to the 9th power (within a few ulp).
    static func log10OnePlus(_ p: UnsafeMutablePointer<Float>, count: Int) {
        typealias V = SIMD8<Float>
        typealias I = SIMD8<Int32>
        var i = 0
        while i + 8 <= count {
            let y = UnsafeRawPointer(p + i).loadUnaligned(as: V.self) + 1
            let bits = unsafeBitCast(y, to: I.self)
            var e = (bits &>> 23) &- 127
            var m = unsafeBitCast((bits & 0x007F_FFFF) | 0x3F80_0000, to: V.self)
            let big = m .> 1.414_213_5
            m = m.replacing(with: m * 0.5, where: big)
            e = e.replacing(with: e &+ 1, where: big)
            let t = (m - 1) / (m + 1), t2 = t * t
            var q = V(repeating: 1.0 / 9)
            q = V(repeating: 1.0 / 7).addingProduct(q, t2)
            q = V(repeating: 1.0 / 5).addingProduct(q, t2)
            q = V(repeating: 1.0 / 3).addingProduct(q, t2)
            q = V(repeating: 1).addingProduct(q, t2)
            // Exponent as a float without a conversion instruction (|e| < 2^22).
            let ef = unsafeBitCast(e &+ 0x4B40_0000, to: V.self) - 12_582_912
            let ln = (2 * t * q).addingProduct(ef, V(repeating: 0.693_147_18))
            UnsafeMutableRawPointer(p + i).storeBytes(of: ln * 0.434_294_48, as: V.self)
            i += 8
        }
        while i < count { p[i] = log10(1 + p[i]); i += 1 }
    }
}
