import Glibc
import Media

/// A short-time Fourier transform with a periodic Hann window, librosa-style.
///
/// With `center` (the default) frame `t` is centred on sample `t * hop`: the signal is padded by
/// `fftSize / 2` samples on each side by reflection (numpy's `reflect`, edge sample not repeated),
/// giving `1 + n / hop` frames.
public struct STFT: Sendable {
    /// Samples per analysis frame (a power of two).
    public let fftSize: Int
    /// Samples between frame starts.
    public let hop: Int
    /// Whether frames are centred on `t * hop` with reflect padding.
    public let center: Bool
    /// The periodic Hann window applied to each frame.
    public let window: [Float]
    private let fft: FFT

    /// An STFT of `fftSize` (power of two) with `hop` (default fftSize / 4).
    public init(fftSize: Int = 2048, hop: Int? = nil, center: Bool = true) {
        precondition(fftSize >= 2 && fftSize & (fftSize - 1) == 0, "STFT size must be a power of two ≥ 2")
        let hop = hop ?? max(1, fftSize / 4)
        precondition(hop > 0, "hop must be positive")
        self.fftSize = fftSize
        self.hop = hop
        self.center = center
        window = (0..<fftSize).map { Float(0.5 - 0.5 * cos(2 * Double.pi * Double($0) / Double(fftSize))) }
        fft = FFT(size: fftSize)
    }

    // MARK: Analysis

    /// The number of frames for a signal of `sampleCount` samples.
    public func frameCount(for sampleCount: Int) -> Int {
        if center { return sampleCount == 0 ? 0 : 1 + sampleCount / hop }
        return sampleCount < fftSize ? 0 : 1 + (sampleCount - fftSize) / hop
    }

    /// The magnitude spectrogram of a clip's mono mixdown.
    public func spectrogram(of clip: AudioClip) -> Spectrogram {
        spectrogram(of: clip.mono().samples, sampleRate: clip.sampleRate)
    }

    /// The magnitude spectrogram of `samples` taken at `sampleRate`; with `parallel` the frames are
    /// split across the cores (the same numbers either way).
    public func spectrogram(of samples: [Float], sampleRate: Int, parallel: Bool = false) -> Spectrogram {
        let frames = frameCount(for: samples.count)
        let bins = fftSize / 2 + 1
        var out = [Float](repeating: 0, count: frames * bins)
        samples.withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { o in
                let base = o.baseAddress
                if parallel {
                    Parallel.forRanges(frames, chunks: 8, minimumCount: 16) { range in
                        magnitudes(of: x, frames: range,
                                   into: UnsafeMutableBufferPointer(start: base.map { $0 + range.lowerBound * bins }, count: range.count * bins))
                    }
                } else {
                    magnitudes(of: x, frames: 0..<frames, into: o)
                }
            }
        }
        return Spectrogram(magnitudes: out, frameCount: frames, sampleRate: sampleRate, fftSize: fftSize, hop: hop)
    }

    /// Writes the magnitudes of `frames` of `samples` into `out`, frame after frame (`fftSize / 2 + 1`
    /// values each, the first frame at `out[0]`).
    public func magnitudes(of samples: UnsafeBufferPointer<Float>, frames: Range<Int>, into out: UnsafeMutableBufferPointer<Float>) {
        let bins = fftSize / 2 + 1
        precondition(out.count >= frames.count * bins, "magnitude buffer too small")
        var frame = [Float](repeating: 0, count: fftSize)
        var re = [Float](repeating: 0, count: bins), im = [Float](repeating: 0, count: bins)
        let n = samples.count, pad = center ? fftSize / 2 : 0
        window.withUnsafeBufferPointer { w in
            for t in frames {
                let start = t * hop - pad
                if start >= 0 && start + fftSize <= n {
                    for i in 0..<fftSize { frame[i] = samples[start + i] * w[i] }
                } else {
                    for i in 0..<fftSize { frame[i] = samples[STFT.reflect(start + i, count: n)] * w[i] }
                }
                frame.withUnsafeBufferPointer { f in
                    re.withUnsafeMutableBufferPointer { r in
                        im.withUnsafeMutableBufferPointer { m in fft.forward(f, real: r, imag: m) }
                    }
                }
                let base = (t - frames.lowerBound) * bins
                for k in 0..<bins { out[base + k] = (re[k] * re[k] + im[k] * im[k]).squareRoot() }
            }
        }
    }

    /// Maps an index outside 0..<count back inside by mirror reflection about the end samples.
    static func reflect(_ index: Int, count: Int) -> Int {
        guard count > 1 else { return 0 }
        let period = 2 * (count - 1)
        var m = index % period
        if m < 0 { m += period }
        return m < count ? m : period - m
    }
}
