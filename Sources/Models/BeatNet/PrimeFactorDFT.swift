import Engine
import Foundation

// MARK: - Good–Thomas DFT of real frames, batched through GEMMs

/// Magnitude spectra of many real frames of a size N = N1·N2 with coprime odd factors (BeatNet's 1411 =
/// 17·83, which no power-of-two FFT covers), by the prime-factor (Good–Thomas) algorithm: a frame is
/// re-indexed into an N1×N2 grid (n = N2·n1 + N1·n2 mod N) whose 2-D DFT is the frame's DFT at
/// k = (k mod N1, k mod N2). Both 1-D stages fold sample n with sample −n first (cosines are even,
/// sines odd), so each is about a quarter of a dense DFT matrix; the input being real, the N2 stage
/// keeps only non-negative frequencies and bins above them are read at their mirror image. Every stage
/// is a GEMM over a block of frames.
struct PrimeFactorDFT: Sendable {
    /// Transform size and its factors.
    let size: Int, n1: Int, n2: Int
    /// Bins returned per frame (⌊size/2⌋, no Nyquist bin, as madmom).
    let binCount: Int
    /// Folded lengths: h1 = (n1+1)/2, h2 = (n2+1)/2 (cosine rows; the sine rows are one fewer).
    let h1: Int, h2: Int
    /// Sample offset in the frame of grid cell (a, b), row-major [n1][n2].
    let gridOffsets: [Int32]
    /// Stage 1 (along n2): cos [h2, h2] and −sin [h2−1, h2−1].
    let cos2: Tensor, sin2: Tensor
    /// Stage 2 (along n1): cos [h1, h1] and sin [h1−1, h1−1].
    let cos1: Tensor, sin1: Tensor
    /// For bin k: its grid row k1 and column k2 (mirrored into the kept half).
    let binRow: [Int32], binColumn: [Int32]

    /// Prepares transforms of `n1`·`n2` samples (coprime, odd).
    init(n1: Int, n2: Int) {
        precondition(n1 > 2 && n2 > 2 && n1 % 2 == 1 && n2 % 2 == 1 && Self.gcd(n1, n2) == 1, "factors \(n1), \(n2) must be odd and coprime")
        self.n1 = n1; self.n2 = n2
        size = n1 * n2
        binCount = size / 2
        h1 = (n1 + 1) / 2; h2 = (n2 + 1) / 2
        var offsets = [Int32](repeating: 0, count: size)
        for a in 0..<n1 { for b in 0..<n2 { offsets[a * n2 + b] = Int32((n2 * a + n1 * b) % size) } }
        gridOffsets = offsets
        func matrix(_ rows: Int, _ first: Int, _ n: Int, _ f: (Double) -> Double) -> Tensor {
            var m = [Float](repeating: 0, count: rows * rows)
            for j in 0..<rows { for k in 0..<rows { m[j * rows + k] = Float(f(2 * Double.pi * Double((j + first) * (k + first) % n) / Double(n))) } }
            return Tensor(shape: [rows, rows], scalars: m)
        }
        cos2 = matrix(h2, 0, n2) { cos($0) }
        sin2 = matrix(h2 - 1, 1, n2) { -sin($0) }
        cos1 = matrix(h1, 0, n1) { cos($0) }
        sin1 = matrix(h1 - 1, 1, n1) { sin($0) }
        var row = [Int32](repeating: 0, count: binCount), column = row
        for k in 0..<binCount {
            var k1 = k % n1, k2 = k % n2
            if k2 >= h2 { k1 = (n1 - k1) % n1; k2 = n2 - k2 }   // |X[k]| = |X[N − k]|
            row[k] = Int32(k1); column[k] = Int32(k2)
        }
        binRow = row; binColumn = column
    }

    static func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }

    /// |DFT| bins 0..<binCount of `frames` frames into `output` (frames × binCount); `frame(f, into:)`
    /// writes frame f's `size` samples (windowed, zero-padded by the caller).
    func magnitudes(frames: Int, output: UnsafeMutablePointer<Float>, block: Int = 256,
                    frame: (_ f: Int, _ into: UnsafeMutablePointer<Float>) -> Void) {
        var start = 0
        while start < frames {
            let count = min(block, frames - start)
            let grid = magnitudeGrid(start: start, count: count, frame: frame)
            let offsets = binOffsets(count: count)
            for f in 0..<count {
                let out = output + (start + f) * binCount
                for k in 0..<binCount { out[k] = grid[offsets[k] + f * h2] }
            }
            start += count
        }
    }

    /// Where bin k of frame f sits in a `magnitudeGrid` of `count` frames: `offsets[k] + f·h2`.
    func binOffsets(count: Int) -> [Int] {
        (0..<binCount).map { Int(binRow[$0]) * count * h2 + Int(binColumn[$0]) }
    }

    /// The magnitudes of frames start..<start+count as a grid [n1][count][h2] (rows k1, columns k2 of
    /// the kept half); `binOffsets` says where each bin is.
    func magnitudeGrid(start: Int, count: Int, frame: (_ f: Int, _ into: UnsafeMutablePointer<Float>) -> Void) -> [Float] {
        var buffer = [Float](repeating: 0, count: size)
        return buffer.withUnsafeMutableBufferPointer { transform(start: start, count: count, samples: $0.baseAddress!, frame: frame) }
    }

    /// One block of frames.
    private func transform(start: Int, count: Int, samples: UnsafeMutablePointer<Float>,
                           frame: (_ f: Int, _ into: UnsafeMutablePointer<Float>) -> Void) -> [Float] {
        let c2 = h2, s2 = h2 - 1, c1 = h1, s1 = h1 - 1
        // Gather, folding b with n2 − b: even part [n1][count][h2], odd part [n1][count][h2 − 1].
        var even = Tensor.zeros([n1 * count, c2]), odd = Tensor.zeros([n1 * count, s2])
        even.withUnsafeMutableBufferPointer { ev in
            odd.withUnsafeMutableBufferPointer { od in
                gridOffsets.withUnsafeBufferPointer { g in
                    for f in 0..<count {
                        frame(start + f, samples)
                        for a in 0..<n1 {
                            let row = a * n2, r = a * count + f
                            let e = ev.baseAddress! + r * c2, o = od.baseAddress! + r * s2
                            e[0] = samples[Int(g[row])]
                            for b in 1..<h2 {
                                let x = samples[Int(g[row + b])], y = samples[Int(g[row + n2 - b])]
                                e[b] = x + y
                                o[b - 1] = x - y
                            }
                        }
                    }
                }
            }
        }
        // Stage 1 along n2: Re Y = even·cos, Im Y = odd·(−sin); rows (a, f).
        let reY = MatMul.forward(even, cos2), imY = MatMul.forward(odd, sin2)
        // Fold a with n1 − a, then stage 2 along n1 from the left over columns (f, k2).
        func fold(_ y: Tensor, width: Int) -> (Tensor, Tensor) {
            let plane = count * width
            var e = Tensor.zeros([c1, plane]), o = Tensor.zeros([s1, plane])
            y.withUnsafeBufferPointer { src in
                e.withUnsafeMutableBufferPointer { ep in
                    o.withUnsafeMutableBufferPointer { op in
                        let p = src.baseAddress!
                        ep.baseAddress!.update(from: p, count: plane)
                        for a in 1..<h1 {
                            let x = p + a * plane, z = p + (n1 - a) * plane
                            let ea = ep.baseAddress! + a * plane, oa = op.baseAddress! + (a - 1) * plane
                            for i in 0..<plane { ea[i] = x[i] + z[i]; oa[i] = x[i] - z[i] }
                        }
                    }
                }
            }
            return (e, o)
        }
        let (reE, reO) = fold(reY, width: c2), (imE, imO) = fold(imY, width: s2)
        let pRe = MatMul.forward(cos1, reE), qRe = MatMul.forward(sin1, reO)
        let pIm = MatMul.forward(cos1, imE), qIm = MatMul.forward(sin1, imO)
        // X[k1] = (P_re + Q_im) + i(P_im − Q_re) for k1 ≤ h1−1, X[n1 − k1] = (P_re − Q_im) + i(P_im + Q_re);
        // imaginary-part columns are k2 − 1 (Im Y[k2 = 0] = 0). Magnitudes into a grid [n1][count][h2].
        var grid = [Float](repeating: 0, count: n1 * count * c2)
        pRe.withUnsafeBufferPointer { pr in qRe.withUnsafeBufferPointer { qr in
        pIm.withUnsafeBufferPointer { pi in qIm.withUnsafeBufferPointer { qi in
        grid.withUnsafeMutableBufferPointer { gp in
            let reWidth = count * c2, imWidth = count * s2
            for k in 0..<h1 {
                for f in 0..<count {
                    let re = pr.baseAddress! + k * reWidth + f * c2
                    let im = pi.baseAddress! + k * imWidth + f * s2
                    let lower = gp.baseAddress! + (k * count + f) * c2
                    if k == 0 {
                        lower[0] = abs(re[0])
                        for b in 1..<c2 { lower[b] = (re[b] * re[b] + im[b - 1] * im[b - 1]).squareRoot() }
                        continue
                    }
                    let qre = qr.baseAddress! + (k - 1) * reWidth + f * c2
                    let qim = qi.baseAddress! + (k - 1) * imWidth + f * s2
                    let upper = gp.baseAddress! + ((n1 - k) * count + f) * c2
                    lower[0] = (re[0] * re[0] + qre[0] * qre[0]).squareRoot()
                    upper[0] = lower[0]
                    for b in 1..<c2 {
                        let a = re[b], q = qim[b - 1], c = im[b - 1], d = qre[b]
                        lower[b] = ((a + q) * (a + q) + (c - d) * (c - d)).squareRoot()
                        upper[b] = ((a - q) * (a - q) + (c + d) * (c + d)).squareRoot()
                    }
                }
            }
        } } } } }
        return grid
    }
}
