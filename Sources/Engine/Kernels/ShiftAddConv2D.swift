import CBLAS

// MARK: - GEMM on the input, then a shift-and-add

/// Convolution with few output channels and unit stride as one GEMM per band of rows plus a shift-and-add.
///
/// Z[(o, ky, kx), pixel] = Σ_ci w[o, ci, ky, kx] · x[ci, pixel] multiplies the [Cout·kH·kW × Cin] weight
/// (rearranged per call) with the input rows of a band, read in place from the NCHW input (no im2col).
/// The output is then y[o, oy, ox] = Σ_{ky,kx} Z[(o, ky, kx), oy − padTop + ky·dH, ox − padLeft + kx·dW],
/// a sum of kH·kW shifted rows. The Cin-long reductions run in OpenBLAS's AVX2/FMA kernels, where
/// `DirectConv2D` would run them as baseline-SSE row updates; Swift only adds kH·kW rows per output row.
enum ShiftAddConv2D {
    /// Largest Cout·kH·kW (rows of Z) this path takes.
    static let maxTaps = 128

    /// Whether this path serves the convolution: ungrouped, unit stride, a spatial kernel, a reduction of
    /// at least 4 input channels, and few enough output taps that Z stays small.
    static func isApplicable(input: [Int], weight: [Int], params p: Conv2DParameters) -> Bool {
        p.groups == 1 && p.strideH == 1 && p.strideW == 1 && weight[2] * weight[3] > 1
            && weight[1] >= 4 && weight[0] * weight[2] * weight[3] <= maxTaps
    }

    /// Output rows per band: Z for the band's input rows near `GEMMConv2D.chunkScalars`, the halo of
    /// kH − 1 extra input rows at most a quarter of the band, and at least one band per thread.
    static func bandRows(taps: Int, width: Int, halo: Int, outHeight: Int, images: Int, threads: Int) -> Int {
        let fit = GEMMConv2D.chunkScalars / max(1, taps * width) - halo
        var rows = max(1, fit, 4 * halo)
        if images == 1 { rows = min(rows, (outHeight + threads - 1) / threads) }
        return max(1, min(rows, outHeight))
    }

    /// y = conv(x, weight) (bias and activation are applied by the caller).
    static func forward(_ x: Tensor, weight: Tensor, into y: Tensor, params p: Conv2DParameters) {
        let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let (co, kh, kw) = (weight.shape[0], weight.shape[2], weight.shape[3])
        let (ho, wo) = (y.shape[2], y.shape[3])
        let taps = co * kh * kw, halo = (kh - 1) * p.dilationH
        let threads = ComputeThreads.count
        let rows = bandRows(taps: taps, width: w, halo: halo, outHeight: ho, images: n, threads: threads)
        let bandsPerImage = (ho + rows - 1) / rows
        let maxInputRows = min(h, rows + halo)
        // The weight as [(o, ky, kx) × Cin].
        let wr = UnsafeMutablePointer<Float>.allocate(capacity: taps * c)
        defer { wr.deallocate() }
        let wp = weight.ptr
        for o in 0..<co {
            for ci in 0..<c {
                for t in 0..<(kh * kw) { wr[(o * kh * kw + t) * c + ci] = wp[(o * c + ci) * kh * kw + t] }
            }
        }
        let xs = SharedPointer(x.ptr), ys = SharedPointer(y.ptr), ws = SharedPointer(UnsafePointer(wr))
        let body: @Sendable (Range<Int>) -> Void = { range in
            let z = UnsafeMutablePointer<Float>.allocate(capacity: max(1, taps * maxInputRows * w))
            defer { z.deallocate() }
            for band in range {
                let b = band / bandsPerImage, r0 = (band % bandsPerImage) * rows, r1 = min(ho, r0 + rows)
                let iy0 = max(0, r0 - p.padTop), iy1 = min(h, r1 - 1 - p.padTop + halo + 1)
                let yb = ys.p + b * co * ho * wo
                let nz = max(0, iy1 - iy0) * w
                if nz > 0 {
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(taps), Int32(nz), Int32(c), 1,
                                ws.p, Int32(c), xs.p + b * c * h * w + iy0 * w, Int32(h * w), 0, z, Int32(nz))
                }
                for o in 0..<co {
                    for oy in r0..<r1 {
                        let dst = yb + (o * ho + oy) * wo
                        dst.update(repeating: 0, count: wo)
                        for ky in 0..<kh {
                            let iy = oy - p.padTop + ky * p.dilationH
                            if iy < iy0 || iy >= iy1 { continue }
                            for kx in 0..<kw {
                                let off = kx * p.dilationW - p.padLeft
                                let valid = Im2Col.validRange(count: wo, stride: 1, offset: off, limit: w)
                                if valid.isEmpty { continue }
                                let src = z + ((o * kh + ky) * kw + kx) * nz + (iy - iy0) * w + off + valid.lowerBound
                                let d = dst + valid.lowerBound
                                for i in 0..<valid.count { d[i] += src[i] }
                            }
                        }
                    }
                }
            }
        }
        parallelGEMMChunks(n * bandsPerImage, multiplyAdds: n * h * w * c * taps, body)
        withExtendedLifetime((x, weight, y)) {}
    }
}
