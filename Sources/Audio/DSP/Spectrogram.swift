import Glibc

/// STFT magnitudes, frame-major: `magnitudes[frame * binCount + bin]`, bins from DC to Nyquist.
public struct Spectrogram: Sendable, Equatable {
    /// Magnitudes, `frameCount * binCount` of them, one frame after another.
    public var magnitudes: [Float]
    /// Number of time frames.
    public let frameCount: Int
    /// Number of frequency bins per frame (fftSize / 2 + 1).
    public let binCount: Int
    /// Sample rate of the analysed signal.
    public let sampleRate: Int
    /// FFT size the frames were analysed with.
    public let fftSize: Int
    /// Samples between frame starts.
    public let hop: Int

    /// Wraps frame-major magnitudes; `magnitudes.count` must be `frameCount * (fftSize / 2 + 1)`.
    public init(magnitudes: [Float], frameCount: Int, sampleRate: Int, fftSize: Int, hop: Int) {
        precondition(magnitudes.count == frameCount * (fftSize / 2 + 1), "magnitude count does not match the shape")
        self.magnitudes = magnitudes
        self.frameCount = frameCount
        self.binCount = fftSize / 2 + 1
        self.sampleRate = sampleRate
        self.fftSize = fftSize
        self.hop = hop
    }

    // MARK: Axes

    /// Frames per second.
    public var frameRate: Double { Double(sampleRate) / Double(hop) }
    /// The centre frequency of `bin` in Hz.
    public func frequency(ofBin bin: Int) -> Double { Double(bin) * Double(sampleRate) / Double(fftSize) }
    /// The bin nearest to `frequency` Hz, clamped to the valid range.
    public func bin(ofFrequency frequency: Double) -> Int {
        Int((frequency * Double(fftSize) / Double(sampleRate)).rounded()).clamped(0, binCount - 1)
    }
    /// The time in seconds of the centre of `frame` (frames are centred, as with librosa's `center=True`).
    public func time(ofFrame frame: Int) -> Double { Double(frame * hop) / Double(sampleRate) }

    // MARK: Values

    /// The magnitude at `frame`, `bin`.
    public subscript(frame frame: Int, bin bin: Int) -> Float { magnitudes[frame * binCount + bin] }
    /// All bins of one frame.
    public func frame(_ index: Int) -> ArraySlice<Float> {
        magnitudes[(index * binCount)..<((index + 1) * binCount)]
    }
    /// The bin with the largest magnitude in `frame`.
    public func peakBin(inFrame index: Int) -> Int {
        let values = frame(index)
        var best = values.startIndex
        for i in values.indices where values[i] > values[best] { best = i }
        return best - values.startIndex
    }

    // MARK: Mel

    /// A mel spectrogram through `filterbank` of magnitudes raised to `power` (2 = power spectrum).
    public func mel(_ filterbank: MelFilterbank, power: Float = 2) -> MelSpectrogram {
        precondition(filterbank.binCount == binCount, "filterbank was built for a different FFT size")
        var raised = magnitudes
        if power == 2 {
            for i in raised.indices { raised[i] *= raised[i] }
        } else if power != 1 {
            for i in raised.indices { raised[i] = powf(raised[i], power) }
        }
        var out = [Float](repeating: 0, count: frameCount * filterbank.bandCount)
        raised.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for f in 0..<frameCount {
                    filterbank.apply(UnsafeBufferPointer(rebasing: src[(f * binCount)..<((f + 1) * binCount)]),
                                     into: UnsafeMutableBufferPointer(rebasing: dst[(f * filterbank.bandCount)..<((f + 1) * filterbank.bandCount)]))
                }
            }
        }
        return MelSpectrogram(values: out, frameCount: frameCount, bandCount: filterbank.bandCount,
                              frameRate: frameRate, bandFrequencies: filterbank.centerFrequencies, isDecibels: false)
    }

    /// A log-mel spectrogram in dB, as librosa's `power_to_db(melspectrogram(...))`.
    ///
    /// Values are `10·log10(max(amin, S)) − 10·log10(reference)`, then floored at `topDB` below the maximum.
    public func logMel(bands: Int = 128, fMin: Double = 0, fMax: Double? = nil,
                       scale: MelFilterbank.Scale = .slaney, normalization: MelFilterbank.Normalization = .slaney,
                       power: Float = 2, reference: MelSpectrogram.Reference = .unit,
                       amin: Float = 1e-10, topDB: Float? = 80) -> MelSpectrogram {
        let bank = MelFilterbank(sampleRate: sampleRate, fftSize: fftSize, bands: bands, fMin: fMin, fMax: fMax,
                                 scale: scale, normalization: normalization)
        return mel(bank, power: power).decibels(reference: reference, amin: amin, topDB: topDB)
    }
}
