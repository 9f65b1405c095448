import Glibc

/// An iterative radix-2 FFT for real signals of one power-of-two size, with precomputed twiddles.
///
/// A real input of size N is packed into a complex signal of size N/2 (even samples real, odd
/// samples imaginary), transformed with a decimation-in-time FFT, and split into the N/2 + 1
/// non-negative-frequency bins. Unnormalised: a DC input of ones gives N in bin 0.
public struct FFT: Sendable {
    /// The number of real input samples per transform.
    public let size: Int
    /// The size of the packed complex transform (size / 2).
    private let half: Int
    /// Bit-reversal permutation of 0..<half.
    private let reversed: [Int32]
    /// exp(-2πi·k/half) for k in 0..<half/2, as separate real and imaginary parts.
    private let twiddleRe: [Float], twiddleIm: [Float]
    /// exp(-2πi·k/size) for k in 0...half/2, used to split the packed transform.
    private let splitRe: [Float], splitIm: [Float]

    // MARK: Setup

    /// Prepares transforms of `size` real samples; `size` must be a power of two, at least 2.
    public init(size: Int) {
        precondition(size >= 2 && size & (size - 1) == 0, "FFT size must be a power of two ≥ 2")
        self.size = size
        half = size / 2
        var bits = 0
        while 1 << bits < half { bits += 1 }
        reversed = (0..<half).map { index in
            var r = 0, v = index
            for _ in 0..<bits { r = (r << 1) | (v & 1); v >>= 1 }
            return Int32(r)
        }
        let m = Double(max(1, size / 2)), n = Double(size)
        let quarter = max(1, size / 4)
        twiddleRe = (0..<quarter).map { Float(cos(-2 * Double.pi * Double($0) / m)) }
        twiddleIm = (0..<quarter).map { Float(sin(-2 * Double.pi * Double($0) / m)) }
        splitRe = (0...quarter).map { Float(cos(-2 * Double.pi * Double($0) / n)) }
        splitIm = (0...quarter).map { Float(sin(-2 * Double.pi * Double($0) / n)) }
    }

    /// The number of output bins: size / 2 + 1 (DC to Nyquist).
    public var binCount: Int { half + 1 }

    // MARK: Transforms

    /// The spectrum of `input` (zero-padded or truncated to `size`) as real and imaginary parts.
    public func forward(_ input: [Float]) -> (real: [Float], imag: [Float]) {
        var padded = input
        if padded.count != size { padded = Array(input.prefix(size)) + [Float](repeating: 0, count: max(0, size - input.count)) }
        var re = [Float](repeating: 0, count: binCount), im = [Float](repeating: 0, count: binCount)
        padded.withUnsafeBufferPointer { src in
            re.withUnsafeMutableBufferPointer { r in
                im.withUnsafeMutableBufferPointer { i in forward(src, real: r, imag: i) }
            }
        }
        return (re, im)
    }

    /// The magnitude of each bin of the spectrum of `input`.
    public func magnitudes(_ input: [Float]) -> [Float] {
        let (re, im) = forward(input)
        return zip(re, im).map { ($0 * $0 + $1 * $1).squareRoot() }
    }

    /// Transforms `size` samples from `input` into `binCount` bins in `real` and `imag` without allocating.
    public func forward(_ input: UnsafeBufferPointer<Float>, real: UnsafeMutableBufferPointer<Float>,
                        imag: UnsafeMutableBufferPointer<Float>) {
        precondition(input.count >= size && real.count >= binCount && imag.count >= binCount, "FFT buffers too small")
        // Pack even/odd samples as complex values, in bit-reversed order.
        reversed.withUnsafeBufferPointer { rev in
            for k in 0..<half {
                let j = Int(rev[k])
                real[j] = input[2 * k]
                imag[j] = input[2 * k + 1]
            }
        }
        complexButterflies(real, imag)
        split(real, imag)
    }

    /// In-place decimation-in-time butterflies over `half` complex values in bit-reversed order.
    private func complexButterflies(_ re: UnsafeMutableBufferPointer<Float>, _ im: UnsafeMutableBufferPointer<Float>) {
        twiddleRe.withUnsafeBufferPointer { wr in
            twiddleIm.withUnsafeBufferPointer { wi in
                var length = 2
                while length <= half {
                    let h = length / 2, step = half / length
                    var start = 0
                    while start < half {
                        for j in 0..<h {
                            let a = start + j, b = a + h
                            let cr = wr[j * step], ci = wi[j * step]
                            let tr = cr * re[b] - ci * im[b]
                            let ti = cr * im[b] + ci * re[b]
                            re[b] = re[a] - tr; im[b] = im[a] - ti
                            re[a] += tr; im[a] += ti
                        }
                        start += length
                    }
                    length *= 2
                }
            }
        }
    }

    /// Turns the packed half-size complex transform into the real signal's spectrum, in place.
    private func split(_ re: UnsafeMutableBufferPointer<Float>, _ im: UnsafeMutableBufferPointer<Float>) {
        let m = half
        let z0r = re[0], z0i = im[0]
        re[0] = z0r + z0i; im[0] = 0
        re[m] = z0r - z0i; im[m] = 0
        guard m >= 2 else { return }
        splitRe.withUnsafeBufferPointer { sr in
            splitIm.withUnsafeBufferPointer { si in
                for k in 1...(m / 2) {
                    let zkr = re[k], zki = im[k], zmr = re[m - k], zmi = im[m - k]
                    // Even part (Z[k] + conj Z[m-k]) / 2 and odd part -i/2 (Z[k] - conj Z[m-k]).
                    let er = 0.5 * (zkr + zmr), ei = 0.5 * (zki - zmi)
                    let or = 0.5 * (zki + zmi), oi = -0.5 * (zkr - zmr)
                    let wr = sr[k], wi = si[k]
                    let tr = wr * or - wi * oi, ti = wr * oi + wi * or
                    re[k] = er + tr; im[k] = ei + ti
                    re[m - k] = er - tr; im[m - k] = -(ei - ti)
                }
            }
        }
    }
}
