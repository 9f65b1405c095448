import CBLAS

// MARK: - Convolution

/// 2-D convolution over NCHW tensors with torch-layout weights [Cout, Cin/groups, kH, kW].
///
/// 1×1 convolutions are plain GEMMs; ungrouped convolutions with wide kernels (kW ≥ 16) become one GEMM
/// against a banded weight (`ToeplitzConv2D`), others with 4–8 output channels, a reduction of at least
/// 32 or a single output row run as pixel-chunked im2col + GEMM in parallel (`GEMMConv2D`), the remaining ungrouped ones with at
/// most 8 output channels run as a GEMM on the input plus a shift-and-add when the stride is 1 and Cin ≥ 4
/// (`ShiftAddConv2D`), otherwise directly (`DirectConv2D`), grouped ones through row-chunked im2col + GEMM, and
/// depthwise convolutions (groups == Cin == Cout) use direct kernels (`DepthwiseConv2D`).
public enum Conv2D {
    /// Upper bound on the im2col scratch buffer, in scalars (16 MiB).
    static let maxColumnScalars = 4 << 20

    /// The output shape [N, Cout, Hout, Wout] for an input and weight shape.
    public static func outputShape(input: [Int], weight: [Int], params p: Conv2DParameters) -> [Int] {
        precondition(input.count == 4 && weight.count == 4, "conv2d needs NCHW input and 4-D weight, got \(input), \(weight)")
        precondition(input[1] == weight[1] * p.groups, "conv2d: input channels \(input[1]) ≠ \(weight[1]) × groups \(p.groups)")
        precondition(weight[0] % p.groups == 0, "conv2d: output channels \(weight[0]) not divisible by groups \(p.groups)")
        let (ho, wo) = p.outputSize(height: input[2], width: input[3], kh: weight[2], kw: weight[3])
        precondition(ho > 0 && wo > 0, "conv2d: empty output for input \(input), kernel \(weight)")
        return [input[0], weight[0], ho, wo]
    }

    /// Whether the convolution is depthwise with multiplier 1 (served by the direct kernels).
    static func isDepthwise(input: [Int], weight: [Int], params p: Conv2DParameters) -> Bool {
        p.groups > 1 && p.groups == input[1] && weight[0] == input[1]
    }

    /// Whether the convolution is a plain per-group GEMM (1×1, stride 1, no padding).
    static func isPointwise(weight: [Int], params p: Conv2DParameters) -> Bool {
        weight[2] == 1 && weight[3] == 1 && p.strideH == 1 && p.strideW == 1
            && p.padTop == 0 && p.padLeft == 0 && p.padBottom == 0 && p.padRight == 0
    }

    // MARK: Forward

    /// y = activation(conv(x, weight) + bias).
    public static func forward(_ x: Tensor, weight: Tensor, bias: Tensor? = nil, params p: Conv2DParameters,
                               activation: Activation = .identity) -> Tensor {
        let yShape = outputShape(input: x.shape, weight: weight.shape, params: p)
        if let bias { precondition(bias.count == weight.shape[0], "conv2d bias has \(bias.count) scalars for \(weight.shape[0]) channels") }
        if isDepthwise(input: x.shape, weight: weight.shape, params: p) {
            return DepthwiseConv2D.forward(x, weight: weight, bias: bias, params: p, activation: activation)
        }
        let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let (co, cg, kh, kw) = (weight.shape[0], weight.shape[1], weight.shape[2], weight.shape[3])
        let (ho, wo) = (yShape[2], yShape[3])
        let groups = p.groups, cog = co / groups, k = cg * kh * kw, hwo = ho * wo
        let y = Tensor(uninitializedShape: yShape)
        let xp = x.ptr, wp = weight.ptr, yp = y.ptr
        if isPointwise(weight: weight.shape, params: p) {
            for b in 0..<n {
                for g in 0..<groups {
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(cog), Int32(hwo), Int32(cg), 1,
                                wp + g * cog * cg, Int32(cg), xp + (b * c + g * cg) * h * w, Int32(hwo), 0,
                                yp + (b * co + g * cog) * hwo, Int32(hwo))
                }
            }
        } else if ToeplitzConv2D.isApplicable(input: x.shape, weight: weight.shape, params: p, outWidth: wo) {
            ToeplitzConv2D.forward(x, weight: weight, into: y, params: p)
        } else if GEMMConv2D.isApplicable(input: x.shape, weight: weight.shape, params: p, outHeight: ho) {
            GEMMConv2D.forward(x, weight: weight, into: y, params: p)
        } else if DirectConv2D.isPreferred(input: x.shape, weight: weight.shape, params: p)
                    && ShiftAddConv2D.isApplicable(input: x.shape, weight: weight.shape, params: p) {
            ShiftAddConv2D.forward(x, weight: weight, into: y, params: p)
        } else if DirectConv2D.isPreferred(input: x.shape, weight: weight.shape, params: p) {
            DirectConv2D.forward(x, weight: weight, into: y, params: p)
        } else {
            let rowsPerChunk = max(1, min(ho, maxColumnScalars / max(1, k * wo)))
            let col = UnsafeMutablePointer<Float>.allocate(capacity: k * rowsPerChunk * wo)
            defer { col.deallocate() }
            for b in 0..<n {
                for g in 0..<groups {
                    let xg = xp + (b * c + g * cg) * h * w
                    let yg = yp + (b * co + g * cog) * hwo
                    var r0 = 0
                    while r0 < ho {
                        let rows = min(rowsPerChunk, ho - r0), cols = rows * wo
                        Im2Col.gather(xg, channels: cg, height: h, width: w, kh: kh, kw: kw, params: p,
                                      firstRow: r0, rows: rows, outWidth: wo, into: col)
                        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(cog), Int32(cols), Int32(k), 1,
                                    wp + g * cog * k, Int32(k), col, Int32(cols), 0, yg + r0 * wo, Int32(hwo))
                        r0 += rows
                    }
                }
            }
        }
        biasActivation(y, bias: bias, planes: n * co, channels: co, planeSize: hwo, activation: activation)
        withExtendedLifetime((x, weight)) {}
        return y
    }

    /// Adds a per-channel bias and applies an activation in place, in parallel over planes.
    static func biasActivation(_ y: Tensor, bias: Tensor?, planes: Int, channels: Int, planeSize: Int, activation: Activation) {
        if bias == nil && activation == .identity { return }
        let yp = SharedPointer(y.ptr)
        let bp = bias.map { SharedPointer($0.ptr) }
        parallelChunks(planes, costPerItem: planeSize) { range in
            for plane in range {
                let o = yp.p + plane * planeSize
                if let bp {
                    let bv = bp.p[plane % channels]
                    for i in 0..<planeSize { o[i] += bv }
                }
                ActivationKernel.apply(activation, o, planeSize)
            }
        }
        withExtendedLifetime((y, bias)) {}
    }

    // MARK: Backward

    /// dL/dx for y = conv(x, weight) (+ bias), given dL/dy (apply any fused activation's backward first).
    public static func backwardInput(_ dy: Tensor, weight: Tensor, inputShape: [Int], params p: Conv2DParameters) -> Tensor {
        let yShape = outputShape(input: inputShape, weight: weight.shape, params: p)
        precondition(dy.shape == yShape, "conv2d backward: gradient \(dy.shape) for output \(yShape)")
        if isDepthwise(input: inputShape, weight: weight.shape, params: p) {
            return DepthwiseConv2D.backwardInput(dy, weight: weight, inputShape: inputShape, params: p)
        }
        let (n, c, h, w) = (inputShape[0], inputShape[1], inputShape[2], inputShape[3])
        let (co, cg, kh, kw) = (weight.shape[0], weight.shape[1], weight.shape[2], weight.shape[3])
        let (ho, wo) = (yShape[2], yShape[3])
        let groups = p.groups, cog = co / groups, k = cg * kh * kw, hwo = ho * wo
        let wp = weight.ptr, gp = dy.ptr
        if isPointwise(weight: weight.shape, params: p) {
            let dx = Tensor(uninitializedShape: inputShape)
            for b in 0..<n {
                for g in 0..<groups {
                    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(cg), Int32(hwo), Int32(cog), 1,
                                wp + g * cog * cg, Int32(cg), gp + (b * co + g * cog) * hwo, Int32(hwo), 0,
                                dx.ptr + (b * c + g * cg) * h * w, Int32(hwo))
                }
            }
            withExtendedLifetime((dy, weight)) {}
            return dx
        }
        let dx = Tensor.zeros(inputShape)
        let rowsPerChunk = max(1, min(ho, maxColumnScalars / max(1, k * wo)))
        let col = UnsafeMutablePointer<Float>.allocate(capacity: k * rowsPerChunk * wo)
        defer { col.deallocate() }
        for b in 0..<n {
            for g in 0..<groups {
                let dxg = dx.ptr + (b * c + g * cg) * h * w
                let dyg = gp + (b * co + g * cog) * hwo
                var r0 = 0
                while r0 < ho {
                    let rows = min(rowsPerChunk, ho - r0), cols = rows * wo
                    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(k), Int32(cols), Int32(cog), 1,
                                wp + g * cog * k, Int32(k), dyg + r0 * wo, Int32(hwo), 0, col, Int32(cols))
                    Im2Col.scatterAdd(col, channels: cg, height: h, width: w, kh: kh, kw: kw, params: p,
                                      firstRow: r0, rows: rows, outWidth: wo, into: dxg)
                    r0 += rows
                }
            }
        }
        withExtendedLifetime((dy, weight)) {}
        return dx
    }
}

// MARK: - im2col

/// Builds and folds back the column matrix [Cin·kH·kW, rows·Wout] of a convolution, a band of output rows at a time.
enum Im2Col {
    /// Output positions o in 0..<count with 0 ≤ o·stride + offset < limit.
    @inline(__always)
    static func validRange(count: Int, stride: Int, offset: Int, limit: Int) -> Range<Int> {
        let lo = offset >= 0 ? 0 : (-offset + stride - 1) / stride
        let hi = limit - offset <= 0 ? 0 : min(count, (limit - 1 - offset) / stride + 1)
        return lo < hi ? lo..<hi : lo..<lo
    }

    /// Fills `col` with the receptive fields of output rows firstRow..<firstRow+rows.
    static func gather(_ x: UnsafePointer<Float>, channels: Int, height h: Int, width w: Int, kh: Int, kw: Int,
                       params p: Conv2DParameters, firstRow: Int, rows: Int, outWidth wo: Int,
                       into col: UnsafeMutablePointer<Float>) {
        let cols = rows * wo
        let xs = SharedPointer(x), cs = SharedPointer(col)
        parallelChunks(channels * kh * kw, costPerItem: cols) { range in
            for kIndex in range {
                let ch = kIndex / (kh * kw), ky = (kIndex / kw) % kh, kx = kIndex % kw
                let dst = cs.p + kIndex * cols
                let plane = xs.p + ch * h * w
                let offX = kx * p.dilationW - p.padLeft
                let valid = validRange(count: wo, stride: p.strideW, offset: offX, limit: w)
                for r in 0..<rows {
                    let iy = (firstRow + r) * p.strideH - p.padTop + ky * p.dilationH
                    let d = dst + r * wo
                    if iy < 0 || iy >= h || valid.isEmpty { d.update(repeating: 0, count: wo); continue }
                    if valid.lowerBound > 0 { d.update(repeating: 0, count: valid.lowerBound) }
                    if valid.upperBound < wo { (d + valid.upperBound).update(repeating: 0, count: wo - valid.upperBound) }
                    let src = plane + iy * w + offX
                    if p.strideW == 1 {
                        (d + valid.lowerBound).update(from: src + valid.lowerBound, count: valid.count)
                    } else {
                        let s = p.strideW
                        for ox in valid { d[ox] = src[ox * s] }
                    }
                }
            }
        }
    }

    /// Adds the columns in `col` back onto the input-shaped gradient `dx` (the transpose of `gather`).
    static func scatterAdd(_ col: UnsafePointer<Float>, channels: Int, height h: Int, width w: Int, kh: Int, kw: Int,
                           params p: Conv2DParameters, firstRow: Int, rows: Int, outWidth wo: Int,
                           into dx: UnsafeMutablePointer<Float>) {
        let cols = rows * wo
        let cs = SharedPointer(col), ds = SharedPointer(dx)
        parallelChunks(channels, costPerItem: cols * kh * kw) { range in
            for ch in range {
                let plane = ds.p + ch * h * w
                for ky in 0..<kh {
                    for kx in 0..<kw {
                        let src = cs.p + ((ch * kh + ky) * kw + kx) * cols
                        let offX = kx * p.dilationW - p.padLeft
                        let valid = validRange(count: wo, stride: p.strideW, offset: offX, limit: w)
                        if valid.isEmpty { continue }
                        for r in 0..<rows {
                            let iy = (firstRow + r) * p.strideH - p.padTop + ky * p.dilationH
                            if iy < 0 || iy >= h { continue }
                            let s = src + r * wo
                            let d = plane + iy * w + offX
                            if p.strideW == 1 {
                                for ox in valid { d[ox] += s[ox] }
                            } else {
                                let st = p.strideW
                                for ox in valid { d[ox * st] += s[ox] }
                            }
                        }
                    }
                }
            }
        }
    }
}
