import CBLAS

// MARK: - Chunked im2col + GEMM, parallel over output pixels

/// Ungrouped convolution as im2col + `cblas_sgemm` over cache-sized chunks of output pixels.
///
/// The output pixels (flattened over rows, so one chunk may span several output rows or a part of
/// one very long row, as in 1-D convolutions over raw audio) are split into chunks whose column
/// matrix [Cin·kH·kW × pixels] fits in L2; each worker thread gathers its chunk and multiplies it with
/// the [Cout × Cin·kH·kW] weight through a single-threaded GEMM straight into the output. The package
/// builds for baseline x86-64, so the multiply-adds run in OpenBLAS's run-time-dispatched (AVX2/FMA)
/// kernels rather than in Swift loops.
enum GEMMConv2D {
    /// Target size of one worker's column buffer, in scalars (256 KiB: half a typical L2).
    static let chunkScalars = 64 << 10

    /// Whether this path serves the convolution: ungrouped, not 1×1, and either with enough output
    /// channels for the GEMM to amortise the gather (a single output channel is a GEMV that moves
    /// Cin·kH·kW copies of the input for one multiply-add each, where `DirectConv2D` reads the input once)
    /// or with a single output row, which `DirectConv2D` cannot split across threads. Short reductions
    /// with many output channels (MobileNetV2's 3→32 stem, k = 27) stay on the whole-image im2col +
    /// multi-threaded GEMM, which measured faster there; from k = 32 on (Basic Pitch's 1→32 7×7, k = 49)
    /// the L2-sized chunks win.
    static func isApplicable(input: [Int], weight: [Int], params p: Conv2DParameters, outHeight: Int) -> Bool {
        guard p.groups == 1 && weight[2] * weight[3] > 1 else { return false }
        if input[0] * outHeight == 1 { return true }
        return weight[0] >= 4 && (weight[0] <= 8 || weight[1] * weight[2] * weight[3] >= 32)
    }

    /// Pixels per chunk for a reduction length `k` and `total` output pixels per image.
    static func chunkPixels(k: Int, total: Int, threads: Int) -> Int {
        var cols = max(16, chunkScalars / max(1, k))
        cols = (cols + 15) / 16 * 16
        // Leave at least one chunk per thread.
        let perThread = (total + threads - 1) / threads
        return max(1, min(cols, perThread))
    }

    /// y = conv(x, weight) (bias and activation are applied by the caller).
    static func forward(_ x: Tensor, weight: Tensor, into y: Tensor, params p: Conv2DParameters) {
        let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let (co, kh, kw) = (weight.shape[0], weight.shape[2], weight.shape[3])
        let (ho, wo) = (y.shape[2], y.shape[3])
        let k = c * kh * kw, hwo = ho * wo
        let threads = ComputeThreads.count
        let cols = chunkPixels(k: k, total: hwo, threads: threads)
        let chunksPerImage = (hwo + cols - 1) / cols
        // Overlapping strided taps read every input column several times: split the rows into phases once.
        let phases = p.strideW > 1 && kw * p.dilationW > p.strideW ? PhaseSplit(x, stride: p.strideW) : nil
        let rowLength = phases?.rowLength ?? w, phaseWidth = phases?.phaseWidth ?? 0
        let xs = phases.map { SharedPointer($0.buffer) } ?? SharedPointer(x.ptr)
        let ws = SharedPointer(weight.ptr), ys = SharedPointer(y.ptr)
        let body: @Sendable (Range<Int>) -> Void = { range in
            let col = UnsafeMutablePointer<Float>.allocate(capacity: k * cols)
            defer { col.deallocate() }
            for chunk in range {
                let b = chunk / chunksPerImage, p0 = (chunk % chunksPerImage) * cols
                let count = min(cols, hwo - p0)
                gather(xs.p + b * c * h * rowLength, channels: c, height: h, width: w, rowLength: rowLength,
                       phaseWidth: phaseWidth, kh: kh, kw: kw, params: p, outWidth: wo, firstPixel: p0, pixels: count, into: col)
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(co), Int32(count), Int32(k), 1,
                            ws.p, Int32(k), col, Int32(count), 0, ys.p + b * co * hwo + p0, Int32(hwo))
            }
        }
        parallelGEMMChunks(n * chunksPerImage, multiplyAdds: n * hwo * k * co, body)
        withExtendedLifetime((x, weight, y, phases)) {}
    }

    /// Fills `col` ([Cin·kH·kW × pixels], row-major) with the receptive fields of the output pixels
    /// firstPixel..<firstPixel+pixels, counted row-major over the [outHeight × outWidth] output plane.
    ///
    /// Input rows are `rowLength` scalars apart; with `phaseWidth` > 0 they are `PhaseSplit` rows, where
    /// column ox·s + offset sits in phase (offset mod s) at index ox + ⌊offset / s⌋, so runs copy contiguously.
    static func gather(_ x: UnsafePointer<Float>, channels: Int, height h: Int, width w: Int, rowLength: Int,
                       phaseWidth: Int, kh: Int, kw: Int, params p: Conv2DParameters, outWidth wo: Int,
                       firstPixel: Int, pixels: Int, into col: UnsafeMutablePointer<Float>) {
        let end = firstPixel + pixels
        for kIndex in 0..<(channels * kh * kw) {
            let ch = kIndex / (kh * kw), ky = (kIndex / kw) % kh, kx = kIndex % kw
            let plane = x + ch * h * rowLength
            let offX = kx * p.dilationW - p.padLeft
            let valid = Im2Col.validRange(count: wo, stride: p.strideW, offset: offX, limit: w)
            // Where column ox·s + offX starts: the row itself (stride 1 or strided reads) or its phase.
            let q = offX >= 0 ? offX / p.strideW : -((-offX + p.strideW - 1) / p.strideW)
            let rowOffset = phaseWidth > 0 ? (offX - q * p.strideW) * phaseWidth + q : offX
            let dst = col + kIndex * pixels
            var pix = firstPixel
            while pix < end {
                let oy = pix / wo, ox0 = pix - oy * wo
                let ox1 = min(wo, ox0 + (end - pix))
                let d = dst + (pix - firstPixel) - ox0  // indexed by ox
                let iy = oy * p.strideH - p.padTop + ky * p.dilationH
                let lo = max(ox0, valid.lowerBound), hi = min(ox1, valid.upperBound)
                if iy < 0 || iy >= h || lo >= hi {
                    (d + ox0).update(repeating: 0, count: ox1 - ox0)
                } else {
                    if lo > ox0 { (d + ox0).update(repeating: 0, count: lo - ox0) }
                    if hi < ox1 { (d + hi).update(repeating: 0, count: ox1 - hi) }
                    let src = plane + iy * rowLength + rowOffset
                    if p.strideW == 1 || phaseWidth > 0 {
                        (d + lo).update(from: src + lo, count: hi - lo)
                    } else {
                        let s = p.strideW
                        for ox in lo..<hi { d[ox] = src[ox * s] }
                    }
                }
                pix += ox1 - ox0
            }
        }
    }
}

// MARK: - Phase split

/// The rows of an NCHW tensor de-interleaved by a horizontal stride s: each row of width W becomes s
/// phases of ⌈W / s⌉ scalars, phase r holding columns r, r + s, r + 2s, … (the tail of short phases unused).
final class PhaseSplit: @unchecked Sendable {
    // @unchecked Sendable: written once in init, then only read by the gather workers.
    /// Phase-split rows, `rowLength` scalars each.
    let buffer: UnsafeMutablePointer<Float>
    /// Scalars per phase.
    let phaseWidth: Int
    /// Scalars per split row (stride × phaseWidth).
    let rowLength: Int

    /// Splits every row of `x` ([N, C, H, W]) by `stride`, in parallel over rows.
    init(_ x: Tensor, stride s: Int) {
        let w = x.shape[3], rows = x.shape[0] * x.shape[1] * x.shape[2]
        phaseWidth = (w + s - 1) / s
        rowLength = s * phaseWidth
        buffer = .allocate(capacity: rows * rowLength)
        let src = SharedPointer(x.ptr), dst = SharedPointer(buffer), pw = phaseWidth, len = rowLength
        parallelChunks(rows, costPerItem: w) { range in
            for row in range {
                let xr = src.p + row * w, pr = dst.p + row * len
                for r in 0..<min(s, w) {
                    let count = (w - r + s - 1) / s, out = pr + r * pw, inp = xr + r
                    for j in 0..<count { out[j] = inp[j * s] }
                }
            }
        }
        withExtendedLifetime(x) {}
    }

    deinit { buffer.deallocate() }
}

// MARK: - Wide kernels: Toeplitz blocks along the width

/// Convolution with a wide kernel (unit horizontal dilation, small horizontal stride s) as a GEMM whose reduction runs
/// over whole input segments instead of single taps.
///
/// Output columns are taken in blocks of `B`; block q of output row oy needs, from every (Cin, kH) input
/// row, the L = (B − 1)·s + kW contiguous inputs starting at column B·q·s − padLeft. Those segments form one row
/// of A [rows × Cin·kH·L]; a banded (Toeplitz) weight T [Cin·kH·L × Cout·B] with
/// T[(c, ky, j), (o, r)] = w[o, c, ky, j − r·s] maps it to the B outputs of all Cout channels.
/// The gather writes L/B copies of the input per output instead of Cin·kH·kW (im2col), for L/kW
/// times the multiply-adds, which OpenBLAS's AVX2/FMA kernels absorb easily.
enum ToeplitzConv2D {
    /// Target size of one worker's segment matrix, in scalars (1 MiB). Larger than `GEMMConv2D`'s chunks:
    /// every GEMM call repacks the whole banded weight, so fewer, taller calls measured faster.
    static let chunkScalars = 256 << 10

    /// Whether the shape suits this path: ungrouped, a wide kernel with unit horizontal dilation, a
    /// horizontal stride small enough that a block's input segment stays under twice the kernel width,
    /// and either at least 64 output blocks or a banded weight no larger than the im2col matrix it
    /// replaces (a one-row, one-channel 1-D convolution over a few thousand samples).
    static func isApplicable(input: [Int], weight: [Int], params p: Conv2DParameters, outWidth wo: Int) -> Bool {
        guard p.groups == 1 && p.dilationW == 1 && weight[3] >= 16 else { return false }
        let (co, c, kh, kw) = (weight[0], weight[1], weight[2], weight[3])
        let (ho, _) = p.outputSize(height: input[2], width: input[3], kh: kh, kw: kw)
        let bw = blockWidth(outChannels: co, outWidth: wo), seg = (bw - 1) * p.strideW + kw
        guard seg <= 2 * kw else { return false }
        // Small outputs (a few dozen GEMM rows) pay for building the banded weight only when im2col would cost more.
        let bandedScalars = c * kh * seg * co * bw, im2colScalars = c * kh * kw * input[0] * ho * wo
        return input[0] * ho * ((wo + bw - 1) / bw) >= 64 || bandedScalars <= im2colScalars
    }

    /// Output block width: enough blocks × channels for a GEMM-friendly N = Cout·B, at least 8.
    static func blockWidth(outChannels co: Int, outWidth wo: Int) -> Int {
        var b = 8
        while b * co < 64 && b < 64 { b *= 2 }
        return max(1, min(b, wo))
    }

    /// y = conv(x, weight) (bias and activation are applied by the caller).
    static func forward(_ x: Tensor, weight: Tensor, into y: Tensor, params p: Conv2DParameters) {
        let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let (co, kh, kw) = (weight.shape[0], weight.shape[2], weight.shape[3])
        let (ho, wo) = (y.shape[2], y.shape[3])
        let bw = blockWidth(outChannels: co, outWidth: wo)
        let sw = p.strideW, seg = (bw - 1) * sw + kw, k = c * kh * seg, nCols = co * bw
        let blocks = (wo + bw - 1) / bw
        // Banded weight T [k × nCols].
        let t = UnsafeMutablePointer<Float>.allocate(capacity: k * nCols)
        defer { t.deallocate() }
        t.initialize(repeating: 0, count: k * nCols)
        let wp = weight.ptr
        for ci in 0..<c {
            for ky in 0..<kh {
                for o in 0..<co {
                    let wrow = wp + ((o * c + ci) * kh + ky) * kw
                    for r in 0..<bw {
                        for kx in 0..<kw {
                            t[((ci * kh + ky) * seg + r * sw + kx) * nCols + o * bw + r] = wrow[kx]
                        }
                    }
                }
            }
        }
        let rowsTotal = n * ho * blocks
        let threads = ComputeThreads.count
        let chunkRows = max(1, min(max(8, chunkScalars / k), (rowsTotal + threads - 1) / threads))
        let chunks = (rowsTotal + chunkRows - 1) / chunkRows
        let xs = SharedPointer(x.ptr), ys = SharedPointer(y.ptr), ts = SharedPointer(UnsafePointer(t))
        let body: @Sendable (Range<Int>) -> Void = { range in
            let a = UnsafeMutablePointer<Float>.allocate(capacity: chunkRows * k)
            let out = UnsafeMutablePointer<Float>.allocate(capacity: chunkRows * nCols)
            defer { a.deallocate(); out.deallocate() }
            for chunk in range {
                let r0 = chunk * chunkRows, rows = min(chunkRows, rowsTotal - r0)
                for i in 0..<rows {
                    let row = r0 + i
                    let q = row % blocks, oy = (row / blocks) % ho, b = row / (blocks * ho)
                    let x0 = q * bw * sw - p.padLeft
                    let lo = max(0, -x0), hi = min(seg, w - x0)
                    for ci in 0..<c {
                        for ky in 0..<kh {
                            let d = a + i * k + (ci * kh + ky) * seg
                            let iy = oy * p.strideH - p.padTop + ky * p.dilationH
                            if iy < 0 || iy >= h || lo >= hi { d.update(repeating: 0, count: seg); continue }
                            if lo > 0 { d.update(repeating: 0, count: lo) }
                            if hi < seg { (d + hi).update(repeating: 0, count: seg - hi) }
                            (d + lo).update(from: xs.p + ((b * c + ci) * h + iy) * w + x0 + lo, count: hi - lo)
                        }
                    }
                }
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(rows), Int32(nCols), Int32(k), 1,
                            a, Int32(k), ts.p, Int32(nCols), 0, out, Int32(nCols))
                for i in 0..<rows {
                    let row = r0 + i
                    let q = row % blocks, oy = (row / blocks) % ho, b = row / (blocks * ho)
                    let cnt = min(bw, wo - q * bw)
                    for o in 0..<co {
                        // A few scalars per channel: a loop beats a memmove call.
                        let dst = ys.p + ((b * co + o) * ho + oy) * wo + q * bw, src = out + i * nCols + o * bw
                        for j in 0..<cnt { dst[j] = src[j] }
                    }
                }
            }
        }
        parallelGEMMChunks(chunks, multiplyAdds: rowsTotal * k * nCols, body)
        withExtendedLifetime((x, weight, y)) {}
    }
}
