// MARK: - Depthwise convolution

/// Direct depthwise convolution (groups == Cin == Cout), parallel over channel planes.
///
/// Each plane is copied into a zero-padded scratch so the inner loops have no border tests;
/// 3×3 kernels with stride 1 or 2 have fused single-pass loops.
enum DepthwiseConv2D {
    /// y = activation(depthwise(x, weight) + bias).
    static func forward(_ x: Tensor, weight: Tensor, bias: Tensor?, params p: Conv2DParameters,
                        activation: Activation) -> Tensor {
        let yShape = Conv2D.outputShape(input: x.shape, weight: weight.shape, params: p)
        let y = Tensor(uninitializedShape: yShape)
        let c = x.shape[1]
        run(input: x.ptr, output: y.ptr, weight: weight.ptr, bias: bias?.ptr, planes: x.shape[0] * c, channels: c,
            height: x.shape[2], width: x.shape[3], outHeight: yShape[2], outWidth: yShape[3],
            kh: weight.shape[2], kw: weight.shape[3], params: p, flip: false, activation: activation)
        withExtendedLifetime((x, weight, bias)) {}
        return y
    }

    /// dL/dx given dL/dy (fused activation already applied to dL/dy).
    static func backwardInput(_ dy: Tensor, weight: Tensor, inputShape: [Int], params p: Conv2DParameters) -> Tensor {
        let (n, c, h, w) = (inputShape[0], inputShape[1], inputShape[2], inputShape[3])
        let (kh, kw) = (weight.shape[2], weight.shape[3])
        let (ho, wo) = (dy.shape[2], dy.shape[3])
        let dx = Tensor(uninitializedShape: inputShape)
        let extH = (kh - 1) * p.dilationH, extW = (kw - 1) * p.dilationW
        if p.strideH == 1 && p.strideW == 1 && p.padTop <= extH && p.padBottom <= extH
            && p.padLeft <= extW && p.padRight <= extW {
            // Stride 1: the input gradient is a forward depthwise correlation of dy with the flipped kernel.
            let q = Conv2DParameters(strideH: 1, strideW: 1, padTop: extH - p.padTop, padLeft: extW - p.padLeft,
                                     padBottom: extH - p.padBottom, padRight: extW - p.padRight,
                                     dilationH: p.dilationH, dilationW: p.dilationW, groups: c)
            run(input: dy.ptr, output: dx.ptr, weight: weight.ptr, bias: nil, planes: n * c, channels: c,
                height: ho, width: wo, outHeight: h, outWidth: w, kh: kh, kw: kw, params: q, flip: true,
                activation: .identity)
        } else {
            scatter(dy: dy.ptr, dx: dx.ptr, weight: weight.ptr, planes: n * c, channels: c, height: h, width: w,
                    outHeight: ho, outWidth: wo, kh: kh, kw: kw, params: p)
        }
        withExtendedLifetime((dy, weight)) {}
        return dx
    }

    // MARK: Forward kernel

    /// Correlates every plane of `input` with its channel's kernel (flipped if `flip`) into `output`.
    static func run(input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, weight: UnsafePointer<Float>,
                    bias: UnsafePointer<Float>?, planes: Int, channels: Int, height h: Int, width w: Int,
                    outHeight ho: Int, outWidth wo: Int, kh: Int, kw: Int, params p: Conv2DParameters,
                    flip: Bool, activation: Activation) {
        let ph = h + p.padTop + p.padBottom, pw = w + p.padLeft + p.padRight
        let xs = SharedPointer(input), ys = SharedPointer(output), ws = SharedPointer(weight)
        let bs = bias.map { SharedPointer($0) }
        parallelChunks(planes, costPerItem: ho * wo * kh * kw) { range in
            let pad = UnsafeMutablePointer<Float>.allocate(capacity: ph * pw)
            let kernel = UnsafeMutablePointer<Float>.allocate(capacity: kh * kw)
            defer { pad.deallocate(); kernel.deallocate() }
            pad.initialize(repeating: 0, count: ph * pw)
            for plane in range {
                let ch = plane % channels
                let src = xs.p + plane * h * w
                for iy in 0..<h {
                    (pad + (iy + p.padTop) * pw + p.padLeft).update(from: src + iy * w, count: w)
                }
                for i in 0..<(kh * kw) { kernel[i] = ws.p[ch * kh * kw + (flip ? kh * kw - 1 - i : i)] }
                let b = bs?.p[ch] ?? 0
                let out = ys.p + plane * ho * wo
                for oy in 0..<ho {
                    let o = out + oy * wo
                    let top = pad + oy * p.strideH * pw
                    if kh == 3 && kw == 3 && p.strideW == 1 {
                        row3x3s1(o, top, top + p.dilationH * pw, top + 2 * p.dilationH * pw, kernel, b, wo, p.dilationW)
                    } else if kh == 3 && kw == 3 && p.strideW == 2 && p.dilationW == 1 {
                        row3x3s2(o, top, top + p.dilationH * pw, top + 2 * p.dilationH * pw, kernel, b, wo)
                    } else {
                        o.update(repeating: b, count: wo)
                        for ky in 0..<kh {
                            let r = top + ky * p.dilationH * pw
                            for kx in 0..<kw {
                                let wv = kernel[ky * kw + kx], s = r + kx * p.dilationW
                                if p.strideW == 1 {
                                    for ox in 0..<wo { o[ox] += wv * s[ox] }
                                } else {
                                    let st = p.strideW
                                    for ox in 0..<wo { o[ox] += wv * s[ox * st] }
                                }
                            }
                        }
                    }
                    ActivationKernel.apply(activation, o, wo)
                }
            }
        }
    }

    /// One output row of a 3×3 stride-1 correlation over three padded input rows.
    @inline(__always)
    static func row3x3s1(_ o: UnsafeMutablePointer<Float>, _ r0: UnsafeMutablePointer<Float>,
                         _ r1: UnsafeMutablePointer<Float>, _ r2: UnsafeMutablePointer<Float>,
                         _ k: UnsafeMutablePointer<Float>, _ b: Float, _ wo: Int, _ d: Int) {
        let (k0, k1, k2, k3, k4, k5, k6, k7, k8) = (k[0], k[1], k[2], k[3], k[4], k[5], k[6], k[7], k[8])
        let a0 = r0, a1 = r0 + d, a2 = r0 + 2 * d
        let b0 = r1, b1 = r1 + d, b2 = r1 + 2 * d
        let c0 = r2, c1 = r2 + d, c2 = r2 + 2 * d
        for x in 0..<wo {
            var s = b + k0 * a0[x]
            s += k1 * a1[x]; s += k2 * a2[x]
            s += k3 * b0[x]; s += k4 * b1[x]; s += k5 * b2[x]
            s += k6 * c0[x]; s += k7 * c1[x]; s += k8 * c2[x]
            o[x] = s
        }
    }

    /// One output row of a 3×3 stride-2 correlation over three padded input rows.
    @inline(__always)
    static func row3x3s2(_ o: UnsafeMutablePointer<Float>, _ r0: UnsafeMutablePointer<Float>,
                         _ r1: UnsafeMutablePointer<Float>, _ r2: UnsafeMutablePointer<Float>,
                         _ k: UnsafeMutablePointer<Float>, _ b: Float, _ wo: Int) {
        let (k0, k1, k2, k3, k4, k5, k6, k7, k8) = (k[0], k[1], k[2], k[3], k[4], k[5], k[6], k[7], k[8])
        for x in 0..<wo {
            let i = 2 * x
            var s = b + k0 * r0[i]
            s += k1 * r0[i + 1]; s += k2 * r0[i + 2]
            s += k3 * r1[i]; s += k4 * r1[i + 1]; s += k5 * r1[i + 2]
            s += k6 * r2[i]; s += k7 * r2[i + 1]; s += k8 * r2[i + 2]
            o[x] = s
        }
    }

    // MARK: Backward kernel (strided)

    /// Scatters dy through the kernel into a padded gradient plane, then crops it into dx.
    static func scatter(dy: UnsafePointer<Float>, dx: UnsafeMutablePointer<Float>, weight: UnsafePointer<Float>,
                        planes: Int, channels: Int, height h: Int, width w: Int, outHeight ho: Int, outWidth wo: Int,
                        kh: Int, kw: Int, params p: Conv2DParameters) {
        // The padded plane must hold every tap, including those of rows/columns the forward pass never reached.
        let ph = max(h + p.padTop + p.padBottom, (ho - 1) * p.strideH + (kh - 1) * p.dilationH + 1)
        let pw = max(w + p.padLeft + p.padRight, (wo - 1) * p.strideW + (kw - 1) * p.dilationW + 1) + 1
        let gs = SharedPointer(dy), ds = SharedPointer(dx), ws = SharedPointer(weight)
        parallelChunks(planes, costPerItem: ho * wo * kh * kw) { range in
            let pad = UnsafeMutablePointer<Float>.allocate(capacity: ph * pw)
            defer { pad.deallocate() }
            for plane in range {
                pad.initialize(repeating: 0, count: ph * pw)
                let k = ws.p + (plane % channels) * kh * kw
                let g = gs.p + plane * ho * wo
                for oy in 0..<ho {
                    let gr = g + oy * wo
                    for ky in 0..<kh {
                        let r = pad + (oy * p.strideH + ky * p.dilationH) * pw
                        if kw == 3 && p.strideW == 2 && p.dilationW == 1 {
                            // Even columns 2x get taps 0 (from x) and 2 (from x-1); odd columns 2x+1 get tap 1.
                            let (k0, k1, k2) = (k[ky * 3], k[ky * 3 + 1], k[ky * 3 + 2])
                            r[0] += k0 * gr[0]
                            r[1] += k1 * gr[0]
                            for x in 1..<max(wo, 1) {
                                r[2 * x] += k0 * gr[x] + k2 * gr[x - 1]
                                r[2 * x + 1] += k1 * gr[x]
                            }
                            r[2 * wo] += k2 * gr[wo - 1]
                        } else {
                            for kx in 0..<kw {
                                let wv = k[ky * kw + kx], d = r + kx * p.dilationW
                                let st = p.strideW
                                for ox in 0..<wo { d[ox * st] += wv * gr[ox] }
                            }
                        }
                    }
                }
                let out = ds.p + plane * h * w
                for iy in 0..<h {
                    (out + iy * w).update(from: pad + (iy + p.padTop) * pw + p.padLeft, count: w)
                }
            }
        }
    }
}
