import Glibc

/// Triangular mel filters over the bins of an FFT, built the way librosa's `filters.mel` builds them.
///
/// Band edges are equally spaced on the mel scale between `fMin` and `fMax`; each filter rises
/// linearly (in Hz) from its lower edge to its centre and falls to its upper edge. With Slaney
/// normalisation each triangle is scaled by 2 / (upper − lower) so it has unit area in Hz.
public struct MelFilterbank: Sendable, Equatable {
    /// The mel scale used to space the bands.
    public enum Scale: Sendable, Equatable {
        /// Slaney's Auditory Toolbox scale: linear below 1 kHz, logarithmic above (librosa's default).
        case slaney
        /// The HTK formula 2595·log10(1 + f/700).
        case htk
    }

    /// How each filter is scaled.
    public enum Normalization: Sendable, Equatable {
        /// Unit area in Hz (librosa's `norm="slaney"`, the default).
        case slaney
        /// Peak of 1.
        case none
    }

    /// Number of mel bands.
    public let bandCount: Int
    /// Number of FFT bins each filter spans (fftSize / 2 + 1).
    public let binCount: Int
    /// Sample rate the FFT bins refer to.
    public let sampleRate: Int
    /// Lowest and highest band edges in Hz.
    public let fMin: Double, fMax: Double
    /// The mel scale in use.
    public let scale: Scale
    /// Band edges in Hz: `bandCount + 2` values, band `b` spans edges b…b+2 and peaks at b+1.
    public let edges: [Double]
    /// Dense weights, band-major: `weights[band * binCount + bin]`.
    public let weights: [Float]
    /// For each band, the bins with non-zero weight.
    private let support: [Range<Int>]

    // MARK: Building

    /// Filters for an FFT of `fftSize` at `sampleRate`; `fMax` defaults to the Nyquist frequency.
    public init(sampleRate: Int, fftSize: Int, bands: Int = 128, fMin: Double = 0, fMax: Double? = nil,
                scale: Scale = .slaney, normalization: Normalization = .slaney) {
        let top = fMax ?? Double(sampleRate) / 2
        precondition(bands > 0 && fftSize >= 2 && sampleRate > 0, "invalid mel filterbank shape")
        precondition(fMin >= 0 && top > fMin, "mel range must satisfy 0 ≤ fMin < fMax")
        bandCount = bands
        binCount = fftSize / 2 + 1
        self.sampleRate = sampleRate
        self.fMin = fMin
        self.fMax = top
        self.scale = scale
        let lowMel = MelFilterbank.melFromHz(fMin, scale: scale), highMel = MelFilterbank.melFromHz(top, scale: scale)
        let edges = (0..<(bands + 2)).map {
            MelFilterbank.hzFromMel(lowMel + (highMel - lowMel) * Double($0) / Double(bands + 1), scale: scale)
        }
        self.edges = edges
        var weights = [Float](repeating: 0, count: bands * binCount)
        var support = [Range<Int>]()
        let binHz = Double(sampleRate) / Double(fftSize)
        for b in 0..<bands {
            let lower = edges[b], centre = edges[b + 1], upper = edges[b + 2]
            let norm = normalization == .slaney ? 2 / (upper - lower) : 1
            var first = binCount, last = 0
            for k in 0..<binCount {
                let f = Double(k) * binHz
                let rising = (f - lower) / (centre - lower), falling = (upper - f) / (upper - centre)
                let w = max(0, min(rising, falling)) * norm
                if w > 0 {
                    weights[b * binCount + k] = Float(w)
                    first = min(first, k); last = max(last, k + 1)
                }
            }
            support.append(first < last ? first..<last : 0..<0)
        }
        self.weights = weights
        self.support = support
    }

    // MARK: Scales

    /// Hz → mel on `scale`.
    public static func melFromHz(_ hz: Double, scale: Scale = .slaney) -> Double {
        switch scale {
        case .htk:
            return 2595 * log10(1 + hz / 700)
        case .slaney:
            let linearStep = 200.0 / 3, breakHz = 1000.0, breakMel = breakHz / linearStep
            let logStep = log(6.4) / 27
            return hz < breakHz ? hz / linearStep : breakMel + log(hz / breakHz) / logStep
        }
    }

    /// mel → Hz on `scale`.
    public static func hzFromMel(_ mel: Double, scale: Scale = .slaney) -> Double {
        switch scale {
        case .htk:
            return 700 * (pow(10, mel / 2595) - 1)
        case .slaney:
            let linearStep = 200.0 / 3, breakHz = 1000.0, breakMel = breakHz / linearStep
            let logStep = log(6.4) / 27
            return mel < breakMel ? mel * linearStep : breakHz * exp(logStep * (mel - breakMel))
        }
    }

    // MARK: Applying

    /// The centre frequency of each band in Hz.
    public var centerFrequencies: [Double] { Array(edges[1...bandCount]) }

    /// The bins where `band` has non-zero weight.
    public func bins(ofBand band: Int) -> Range<Int> { support[band] }

    /// The weight of `bin` in `band`.
    public subscript(band band: Int, bin bin: Int) -> Float { weights[band * binCount + bin] }

    /// Writes the `bandCount` band energies of one spectrum frame (`binCount` values) into `output`.
    public func apply(_ spectrum: UnsafeBufferPointer<Float>, into output: UnsafeMutableBufferPointer<Float>) {
        precondition(spectrum.count >= binCount && output.count >= bandCount, "mel buffers too small")
        weights.withUnsafeBufferPointer { w in
            for b in 0..<bandCount {
                var sum: Float = 0
                let row = b * binCount
                for k in support[b] { sum += w[row + k] * spectrum[k] }
                output[b] = sum
            }
        }
    }

    /// The band energies of one spectrum frame.
    public func apply(_ spectrum: [Float]) -> [Float] {
        var out = [Float](repeating: 0, count: bandCount)
        spectrum.withUnsafeBufferPointer { s in out.withUnsafeMutableBufferPointer { apply(s, into: $0) } }
        return out
    }
}
