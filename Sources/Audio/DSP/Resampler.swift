import Glibc
import Dispatch
import Media

/// A band-limited resampler: a Kaiser-windowed sinc low-pass stored as a polyphase filter table.
///
/// Output sample `j` sits at input time `j / ratio` (the first samples of input and output line up).
/// Its value is a dot product of the input around that time with one row of the table, the row for
/// the fractional part of the time. For a rational ratio L/M with L ≤ `maxExactPhases` there is one
/// row per phase and the result is exact; otherwise the table has `interpolatedPhases` rows and the
/// two nearest rows are blended linearly. The cutoff follows the lower of the two Nyquist
/// frequencies, so downsampling removes everything that would alias: the stopband starts exactly
/// at the lower Nyquist frequency and the passband ends at `quality.passband` of it.
public struct Resampler: Sendable {
    /// Filter design parameters.
    public struct Quality: Sendable, Equatable {
        /// The fraction of the lower Nyquist frequency passed flat (the stopband starts at 1.0).
        public var passband: Double
        /// Stopband attenuation in dB that the Kaiser design aims for.
        public var attenuation: Double

        /// Creates a design; `passband` in (0, 1), `attenuation` in dB (≥ 21).
        public init(passband: Double, attenuation: Double) {
            precondition(passband > 0 && passband < 1, "passband must be a fraction in (0, 1)")
            precondition(attenuation >= 21, "attenuation must be at least 21 dB")
            self.passband = passband
            self.attenuation = attenuation
        }

        /// 90 % passband, 80 dB stopband: the default for feeding models and for listening.
        public static let standard = Quality(passband: 0.9, attenuation: 80)
        /// 80 % passband, 60 dB stopband: about half the work of `standard`.
        public static let fast = Quality(passband: 0.8, attenuation: 60)
        /// 95 % passband, 100 dB stopband: about three times the work of `standard`.
        public static let best = Quality(passband: 0.95, attenuation: 100)
    }

    /// Largest number of phases stored for an exact rational ratio.
    public static let maxExactPhases = 1024
    /// Number of phases stored when the ratio is not a small rational and the rate goes up
    /// (scaled by the ratio when it goes down, at least 16).
    public static let interpolatedPhases = 512

    /// Output rate divided by input rate.
    public let ratio: Double
    /// The filter design in use.
    public let quality: Quality
    /// Filter taps per output sample (the table's row length, a multiple of 8).
    public let tapsPerPhase: Int
    /// Rows in the table (excluding the extra row used for interpolation).
    public let phaseCount: Int
    /// L and M of an exact ratio L/M, or nil when phases are interpolated.
    private let fraction: (up: Int, down: Int)?
    /// Taps on each side of the output time (input samples).
    private let halfSpan: Int
    /// `phaseCount + 1` rows of `tapsPerPhase` coefficients.
    private let table: [Float]

    // MARK: Setup

    /// A resampler from `inputRate` Hz to `outputRate` Hz.
    public init(from inputRate: Int, to outputRate: Int, quality: Quality = .standard) {
        precondition(inputRate > 0 && outputRate > 0, "sample rates must be positive")
        let g = Resampler.gcd(inputRate, outputRate)
        let up = outputRate / g, down = inputRate / g
        if up <= Resampler.maxExactPhases {
            self.init(ratio: Double(outputRate) / Double(inputRate), fraction: (up, down), quality: quality)
        } else {
            self.init(ratio: Double(outputRate) / Double(inputRate), fraction: nil, quality: quality)
        }
    }

    /// A resampler by an arbitrary real `ratio` (output rate / input rate, 0.001…1000), with interpolated phases.
    public init(ratio: Double, quality: Quality = .standard) {
        precondition(ratio >= 0.001 && ratio <= 1000, "ratio must be within 0.001…1000")
        self.init(ratio: ratio, fraction: nil, quality: quality)
    }

    private init(ratio: Double, fraction: (up: Int, down: Int)?, quality: Quality) {
        self.ratio = ratio
        self.quality = quality
        self.fraction = fraction
        // Design in cycles per input sample: stopband at the lower Nyquist, cutoff mid-transition.
        let scale = min(1, ratio)
        let stop = 0.5 * scale, pass = stop * quality.passband
        let transition = stop - pass, cutoff = (stop + pass) / 2
        let a = quality.attenuation
        let beta = a > 50 ? 0.1102 * (a - 8.7) : 0.5842 * pow(a - 21, 0.4) + 0.07886 * (a - 21)
        let length = (a - 7.95) / (14.36 * transition) + 1
        let half = (length - 1) / 2                 // window half-width in input samples
        let span = Int(half.rounded(.up))
        halfSpan = span
        tapsPerPhase = (2 * span + 7) / 8 * 8
        // Interpolated tables: the response is stretched by 1/ratio when downsampling, so fewer rows
        // give the same interpolation error (and keep the table small for extreme ratios).
        let phases = fraction?.up ?? max(16, Int((Double(Resampler.interpolatedPhases) * scale).rounded(.up)))
        phaseCount = phases
        let taps = tapsPerPhase
        var table = [Float](repeating: 0, count: (phases + 1) * taps)
        let i0Beta = Resampler.besselI0(beta)
        var row = [Double](repeating: 0, count: taps)
        for p in 0...phases {
            let frac = Double(p) / Double(phases)
            var sum = 0.0
            for j in 0..<taps {
                let tau = Double(j - span + 1) - frac   // tap position minus output time, in input samples
                var h = 0.0
                if abs(tau) < half {
                    let r = tau / half
                    let window = Resampler.besselI0(beta * (1 - r * r).squareRoot()) / i0Beta
                    let x = 2 * cutoff * tau
                    let sinc = x == 0 ? 1 : sin(Double.pi * x) / (Double.pi * x)
                    h = 2 * cutoff * sinc * window
                }
                row[j] = h
                sum += h
            }
            // Each phase passes DC with gain exactly 1.
            for j in 0..<taps { table[p * taps + j] = Float(row[j] / sum) }
        }
        self.table = table
    }

    // MARK: Resampling

    /// The number of output samples for `inputCount` input samples: ⌈inputCount · ratio⌉.
    public func outputCount(for inputCount: Int) -> Int {
        guard inputCount > 0 else { return 0 }
        if let (up, down) = fraction { return (inputCount * up + down - 1) / down }
        return Int((Double(inputCount) * ratio).rounded(.up))
    }

    /// Resamples one channel.
    public func process(_ input: [Float]) -> [Float] {
        let n = input.count, count = outputCount(for: n)
        guard count > 0 else { return [] }
        let taps = tapsPerPhase
        // Zeros before and after the signal so every dot product stays in bounds.
        var padded = [Float](repeating: 0, count: n + 2 * halfSpan + taps + 8)
        padded.withUnsafeMutableBufferPointer { dst in
            input.withUnsafeBufferPointer { src in
                dst.baseAddress!.advanced(by: halfSpan).update(from: src.baseAddress!, count: n)
            }
        }
        var output = [Float](repeating: 0, count: count)
        padded.withUnsafeBufferPointer { x in
            table.withUnsafeBufferPointer { h in
                output.withUnsafeMutableBufferPointer { y in
                    let pointers = Pointers(x: x.baseAddress!, h: h.baseAddress!, y: y.baseAddress!)
                    let fraction = fraction, ratio = ratio, phases = phaseCount
                    // Long signals are split into ranges of output samples computed in parallel.
                    Parallel.forRanges(count, chunks: Resampler.parallelChunks, minimumCount: Resampler.parallelMinimum) { range in
                        if let (up, down) = fraction {
                            Resampler.runExact(pointers, range, taps: taps, up: up, down: down)
                        } else {
                            Resampler.runInterpolated(pointers, range, taps: taps, step: 1 / ratio, phases: phases)
                        }
                    }
                }
            }
        }
        return output
    }

    /// Output counts from which `process` splits the work across threads.
    static let parallelMinimum = 1 << 16
    /// Ranges a long signal is split into (more than cores, so a busy core does not hold up the rest).
    static let parallelChunks = 8

    /// Input, table and output base addresses, shared by the threads of one `process` call;
    /// each thread writes only its own range of the output.
    private struct Pointers: @unchecked Sendable {
        let x: UnsafePointer<Float>, h: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>
    }

    /// Output loop for an exact ratio up/down: phase and base index advance by integer steps.
    private static func runExact(_ p: Pointers, _ range: Range<Int>, taps: Int, up: Int, down: Int) {
        let x = p.x, h = p.h, y = p.y
        let whole = down / up, rest = down % up
        let start = range.lowerBound * down
        var base = start / up, phase = start % up
        for j in range {
            // Taps cover input samples base-span+1 … ; in the padded buffer that starts at base + 1.
            y[j] = dot(x + base + 1, h + phase * taps, taps)
            base += whole
            phase += rest
            if phase >= up { phase -= up; base += 1 }
        }
    }

    /// Output loop for a real ratio: the two nearest phases are blended linearly.
    private static func runInterpolated(_ p: Pointers, _ range: Range<Int>, taps: Int, step: Double, phases: Int) {
        let x = p.x, h = p.h, y = p.y
        for j in range {
            let t = Double(j) * step
            let base = Int(t)
            let p = (t - Double(base)) * Double(phases)
            let row = min(Int(p), phases - 1)
            let a = Float(p - Double(row))
            let lo = dot(x + base + 1, h + row * taps, taps)
            let hi = dot(x + base + 1, h + (row + 1) * taps, taps)
            y[j] = lo + a * (hi - lo)
        }
    }

    /// Σ a[i]·b[i] for `n` (a multiple of 8) values, with SIMD accumulators.
    @inline(__always)
    private static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Float {
        let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
        let stride = MemoryLayout<SIMD8<Float>>.stride
        var acc0 = SIMD8<Float>(), acc1 = SIMD8<Float>()
        var i = 0
        while i + 16 <= n {
            let offset = i * 4
            acc0 += ra.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
                * rb.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
            acc1 += ra.loadUnaligned(fromByteOffset: offset + stride, as: SIMD8<Float>.self)
                * rb.loadUnaligned(fromByteOffset: offset + stride, as: SIMD8<Float>.self)
            i += 16
        }
        if i < n {
            acc0 += ra.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
                * rb.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
        }
        return (acc0 + acc1).sum()
    }

    // MARK: Maths

    /// The modified Bessel function of the first kind, order zero, by its power series.
    static func besselI0(_ x: Double) -> Double {
        var sum = 1.0, term = 1.0, k = 1.0
        let q = x * x / 4
        repeat {
            term *= q / (k * k)
            sum += term
            k += 1
        } while term > sum * 1e-17
        return sum
    }

    /// Greatest common divisor.
    static func gcd(_ a: Int, _ b: Int) -> Int {
        var a = a, b = b
        while b != 0 { (a, b) = (b, a % b) }
        return a
    }
}

// MARK: - AudioClip

extension AudioClip {
    /// The clip at `sampleRate` Hz, every channel passed through the same band-limited `Resampler`.
    public func resampled(to sampleRate: Int, quality: Resampler.Quality = .standard) -> AudioClip {
        precondition(sampleRate > 0, "sample rate must be positive")
        if sampleRate == self.sampleRate { return self }
        let resampler = Resampler(from: self.sampleRate, to: sampleRate, quality: quality)
        return AudioClip(sampleRate: sampleRate, channels: channels.map { resampler.process($0) })
    }
}
