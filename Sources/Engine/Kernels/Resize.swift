// MARK: - Bilinear resize

/// Bilinear resampling of NCHW tensors with align_corners = false (torch `interpolate`, ONNX half_pixel).
public enum Resize {
    /// Source index pair and weight of the second sample for every destination index along one axis.
    static func taps(_ inSize: Int, _ outSize: Int) -> [(Int, Int, Float)] {
        let scale = Float(inSize) / Float(outSize)
        return (0..<outSize).map { o in
            let src = max((Float(o) + 0.5) * scale - 0.5, 0)
            let i0 = min(Int(src), inSize - 1)
            let i1 = min(i0 + 1, inSize - 1)
            return (i0, i1, src - Float(i0))
        }
    }

    /// x resized to `height`×`width`.
    public static func bilinearForward(_ x: Tensor, height ho: Int, width wo: Int) -> Tensor {
        precondition(x.rank == 4 && ho > 0 && wo > 0, "resize needs NCHW input and a positive size")
        let (h, w) = (x.shape[2], x.shape[3])
        let ty = taps(h, ho), tx = taps(w, wo)
        let y = Tensor(uninitializedShape: [x.shape[0], x.shape[1], ho, wo])
        let xs = SharedPointer(x.ptr), ys = SharedPointer(y.ptr)
        parallelChunks(x.shape[0] * x.shape[1], costPerItem: ho * wo * 4) { range in
            for plane in range {
                let s = xs.p + plane * h * w, d = ys.p + plane * ho * wo
                for oy in 0..<ho {
                    let (y0, y1, ly) = ty[oy]
                    let r0 = s + y0 * w, r1 = s + y1 * w
                    for ox in 0..<wo {
                        let (x0, x1, lx) = tx[ox]
                        let top = r0[x0] + (r0[x1] - r0[x0]) * lx
                        let bottom = r1[x0] + (r1[x1] - r1[x0]) * lx
                        d[oy * wo + ox] = top + (bottom - top) * ly
                    }
                }
            }
        }
        withExtendedLifetime(x) {}
        return y
    }

    /// dL/dx of a bilinear resize from `inputShape`.
    public static func bilinearBackward(_ dy: Tensor, inputShape: [Int]) -> Tensor {
        let (h, w, ho, wo) = (inputShape[2], inputShape[3], dy.shape[2], dy.shape[3])
        let ty = taps(h, ho), tx = taps(w, wo)
        let dx = Tensor.zeros(inputShape)
        let gs = SharedPointer(dy.ptr), ds = SharedPointer(dx.ptr)
        parallelChunks(inputShape[0] * inputShape[1], costPerItem: ho * wo * 4) { range in
            for plane in range {
                let g = gs.p + plane * ho * wo, d = ds.p + plane * h * w
                for oy in 0..<ho {
                    let (y0, y1, ly) = ty[oy]
                    for ox in 0..<wo {
                        let (x0, x1, lx) = tx[ox]
                        let v = g[oy * wo + ox]
                        d[y0 * w + x0] += v * (1 - ly) * (1 - lx)
                        d[y0 * w + x1] += v * (1 - ly) * lx
                        d[y1 * w + x0] += v * ly * (1 - lx)
                        d[y1 * w + x1] += v * ly * lx
                    }
                }
            }
        }
        withExtendedLifetime(dy) {}
        return dx
    }
}
