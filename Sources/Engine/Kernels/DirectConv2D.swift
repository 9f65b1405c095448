// MARK: - Direct convolution for few output channels

/// Direct convolution (no im2col) for ungrouped convolutions with few output channels per call.
///
/// For every output row it accumulates `w · input row` into the output rows, one kernel tap at a time;
/// with unit horizontal stride the inner loop is a contiguous multiply-add the compiler vectorises, and
/// nothing larger than a row is ever written, so wide kernels (Basic Pitch's 3×39) stay in cache where
/// im2col would stream Cin·kH·kW copies of the input through memory.
enum DirectConv2D {
    /// Whether the direct path is expected to beat im2col + GEMM.
    static func isPreferred(input: [Int], weight: [Int], params p: Conv2DParameters) -> Bool {
        p.groups == 1 && weight[0] <= 8 && weight[2] * weight[3] > 1
    }

    /// y = conv(x, weight) (bias and activation are applied by the caller).
    static func forward(_ x: Tensor, weight: Tensor, into y: Tensor, params p: Conv2DParameters) {
        forwardRows(x, weight: weight, into: y, params: p)
    }

    /// Row-at-a-time multiply-add kernel for any stride and dilation.
    static func forwardRows(_ x: Tensor, weight: Tensor, into y: Tensor, params p: Conv2DParameters) {
        let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let (co, kh, kw) = (weight.shape[0], weight.shape[2], weight.shape[3])
        let (ho, wo) = (y.shape[2], y.shape[3])
        let xs = SharedPointer(x.ptr), ws = SharedPointer(weight.ptr), ys = SharedPointer(y.ptr)
        parallelChunks(n * ho, costPerItem: co * c * kh * kw * wo) { range in
            for row in range {
                let b = row / ho, oy = row % ho
                for o in 0..<co { (ys.p + ((b * co + o) * ho + oy) * wo).update(repeating: 0, count: wo) }
                for ci in 0..<c {
                    for ky in 0..<kh {
                        let iy = oy * p.strideH - p.padTop + ky * p.dilationH
                        if iy < 0 || iy >= h { continue }
                        let src = xs.p + ((b * c + ci) * h + iy) * w
                        for kx in 0..<kw {
                            let off = kx * p.dilationW - p.padLeft
                            let valid = Im2Col.validRange(count: wo, stride: p.strideW, offset: off, limit: w)
                            if valid.isEmpty { continue }
                            let lo = valid.lowerBound, cnt = valid.count
                            for o in 0..<co {
                                let wv = ws.p[((o * c + ci) * kh + ky) * kw + kx]
                                if wv == 0 { continue }
                                let dst = ys.p + ((b * co + o) * ho + oy) * wo + lo
                                if p.strideW == 1 {
                                    let s = src + off + lo
                                    for i in 0..<cnt { dst[i] += wv * s[i] }
                                } else {
                                    let s = src + off + lo * p.strideW, st = p.strideW
                                    for i in 0..<cnt { dst[i] += wv * s[i * st] }
                                }
                            }
                        }
                    }
                }
            }
        }
        withExtendedLifetime((x, weight, y)) {}
    }
}
