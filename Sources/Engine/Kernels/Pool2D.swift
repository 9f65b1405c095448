import Foundation

// MARK: - Pooling geometry

/// Window, stride and padding of a 2-D max or average pooling (PyTorch semantics).
public struct Pool2DParameters: Sendable, Hashable {
    /// Window height and width.
    public var kernelH: Int, kernelW: Int
    /// Vertical and horizontal stride.
    public var strideH: Int, strideW: Int
    /// Implicit padding above/below and left/right.
    public var padH: Int, padW: Int
    /// Round the output size up (torch `ceil_mode`).
    public var ceilMode: Bool
    /// Average pooling divides by the full window including padding (torch default true, ONNX default false).
    public var countIncludePad: Bool

    /// A square window; `stride` defaults to the kernel size as in torch.
    public init(kernel: Int, stride: Int? = nil, padding: Int = 0, ceilMode: Bool = false, countIncludePad: Bool = true) {
        self.init(kernel: (kernel, kernel), stride: (stride ?? kernel, stride ?? kernel), padding: (padding, padding),
                  ceilMode: ceilMode, countIncludePad: countIncludePad)
    }

    /// Per-axis (height, width) parameters.
    public init(kernel: (Int, Int), stride: (Int, Int), padding: (Int, Int) = (0, 0), ceilMode: Bool = false,
                countIncludePad: Bool = true) {
        precondition(kernel.0 > 0 && kernel.1 > 0 && stride.0 > 0 && stride.1 > 0 && padding.0 >= 0 && padding.1 >= 0)
        kernelH = kernel.0; kernelW = kernel.1; strideH = stride.0; strideW = stride.1
        padH = padding.0; padW = padding.1
        self.ceilMode = ceilMode; self.countIncludePad = countIncludePad
    }

    /// Output extent along one axis.
    static func outSize(_ n: Int, k: Int, s: Int, p: Int, ceil: Bool) -> Int {
        let span = n + 2 * p - k
        var o = (ceil ? (span + s - 1) / s : span / s) + 1
        if ceil && (o - 1) * s >= n + p { o -= 1 }   // the last window must start inside the input or left padding
        return o
    }

    /// Output height and width for an input of `height`×`width`.
    public func outputSize(height: Int, width: Int) -> (Int, Int) {
        (Pool2DParameters.outSize(height, k: kernelH, s: strideH, p: padH, ceil: ceilMode),
         Pool2DParameters.outSize(width, k: kernelW, s: strideW, p: padW, ceil: ceilMode))
    }
}

// MARK: - Pooling kernels

/// Max pooling, average pooling and global average pooling over NCHW tensors.
public enum Pool2D {
    /// Output shape for an NCHW input.
    public static func outputShape(_ input: [Int], _ p: Pool2DParameters) -> [Int] {
        precondition(input.count == 4, "pooling needs NCHW input, got \(input)")
        let (ho, wo) = p.outputSize(height: input[2], width: input[3])
        precondition(ho > 0 && wo > 0, "pooling: empty output for \(input)")
        return [input[0], input[1], ho, wo]
    }

    /// Visits every output position of one plane with its clipped window [y0,y1)×[x0,x1) and average divisor.
    @inline(__always)
    static func forEachWindow(_ h: Int, _ w: Int, _ ho: Int, _ wo: Int, _ p: Pool2DParameters,
                              _ body: (Int, Int, Int, Int, Int, Float) -> Void) {
        for oy in 0..<ho {
            let ys = oy * p.strideH - p.padH
            let ye = min(ys + p.kernelH, h + p.padH)
            let y0 = max(ys, 0), y1 = min(ye, h)
            for ox in 0..<wo {
                let xs = ox * p.strideW - p.padW
                let xe = min(xs + p.kernelW, w + p.padW)
                let x0 = max(xs, 0), x1 = min(xe, w)
                let n = p.countIncludePad ? (ye - ys) * (xe - xs) : (y1 - y0) * (x1 - x0)
                body(oy * wo + ox, y0, y1, x0, x1, 1 / Float(max(n, 1)))
            }
        }
    }

    /// Max pooling (padding never wins).
    public static func maxForward(_ x: Tensor, _ p: Pool2DParameters) -> Tensor {
        pool(x, p, isMax: true)
    }

    /// Average pooling.
    public static func averageForward(_ x: Tensor, _ p: Pool2DParameters) -> Tensor {
        pool(x, p, isMax: false)
    }

    static func pool(_ x: Tensor, _ p: Pool2DParameters, isMax: Bool) -> Tensor {
        let shape = outputShape(x.shape, p)
        let (h, w, ho, wo) = (x.shape[2], x.shape[3], shape[2], shape[3])
        let y = Tensor(uninitializedShape: shape)
        let xs = SharedPointer(x.ptr), ys = SharedPointer(y.ptr)
        parallelChunks(shape[0] * shape[1], costPerItem: ho * wo * p.kernelH * p.kernelW) { range in
            for plane in range {
                let src = xs.p + plane * h * w, dst = ys.p + plane * ho * wo
                forEachWindow(h, w, ho, wo, p) { o, y0, y1, x0, x1, inv in
                    if isMax {
                        var m = -Float.infinity
                        for yy in y0..<max(y0, y1) { for xx in x0..<max(x0, x1) { m = max(m, src[yy * w + xx]) } }
                        dst[o] = m
                    } else {
                        var s: Float = 0
                        for yy in y0..<max(y0, y1) { for xx in x0..<max(x0, x1) { s += src[yy * w + xx] } }
                        dst[o] = s * inv
                    }
                }
            }
        }
        withExtendedLifetime(x) {}
        return y
    }

    /// dL/dx of max pooling: each output's gradient goes to the first maximum of its window.
    public static func maxBackward(_ dy: Tensor, input x: Tensor, _ p: Pool2DParameters) -> Tensor {
        let shape = outputShape(x.shape, p)
        precondition(dy.shape == shape, "max pool backward: gradient \(dy.shape) for output \(shape)")
        let (h, w, ho, wo) = (x.shape[2], x.shape[3], shape[2], shape[3])
        let dx = Tensor.zeros(x.shape)
        let xs = SharedPointer(x.ptr), gs = SharedPointer(dy.ptr), ds = SharedPointer(dx.ptr)
        parallelChunks(shape[0] * shape[1], costPerItem: ho * wo * p.kernelH * p.kernelW) { range in
            for plane in range {
                let src = xs.p + plane * h * w, g = gs.p + plane * ho * wo, d = ds.p + plane * h * w
                forEachWindow(h, w, ho, wo, p) { o, y0, y1, x0, x1, _ in
                    var m = -Float.infinity, at = -1
                    for yy in y0..<max(y0, y1) {
                        for xx in x0..<max(x0, x1) where src[yy * w + xx] > m || at < 0 {
                            m = src[yy * w + xx]; at = yy * w + xx
                        }
                    }
                    if at >= 0 { d[at] += g[o] }
                }
            }
        }
        withExtendedLifetime((x, dy)) {}
        return dx
    }

    /// dL/dx of average pooling.
    public static func averageBackward(_ dy: Tensor, inputShape: [Int], _ p: Pool2DParameters) -> Tensor {
        let shape = outputShape(inputShape, p)
        precondition(dy.shape == shape, "average pool backward: gradient \(dy.shape) for output \(shape)")
        let (h, w, ho, wo) = (inputShape[2], inputShape[3], shape[2], shape[3])
        let dx = Tensor.zeros(inputShape)
        let gs = SharedPointer(dy.ptr), ds = SharedPointer(dx.ptr)
        parallelChunks(shape[0] * shape[1], costPerItem: ho * wo * p.kernelH * p.kernelW) { range in
            for plane in range {
                let g = gs.p + plane * ho * wo, d = ds.p + plane * h * w
                forEachWindow(h, w, ho, wo, p) { o, y0, y1, x0, x1, inv in
                    let v = g[o] * inv
                    for yy in y0..<max(y0, y1) { for xx in x0..<max(x0, x1) { d[yy * w + xx] += v } }
                }
            }
        }
        withExtendedLifetime(dy) {}
        return dx
    }

    // MARK: Global average pooling

    /// [N, C, H, W] → [N, C, 1, 1] mean over each plane.
    public static func globalAverageForward(_ x: Tensor) -> Tensor {
        precondition(x.rank == 4, "global average pool needs NCHW input, got \(x.shape)")
        let planes = x.shape[0] * x.shape[1], hw = x.shape[2] * x.shape[3]
        let y = Tensor(uninitializedShape: [x.shape[0], x.shape[1], 1, 1])
        let xs = SharedPointer(x.ptr), ys = SharedPointer(y.ptr)
        parallelChunks(planes, costPerItem: hw) { range in
            for plane in range {
                let s = xs.p + plane * hw
                var acc: Float = 0
                for i in 0..<hw { acc += s[i] }
                ys.p[plane] = acc / Float(hw)
            }
        }
        withExtendedLifetime(x) {}
        return y
    }

    /// dL/dx of global average pooling: each plane receives its gradient divided by H·W.
    public static func globalAverageBackward(_ dy: Tensor, inputShape: [Int]) -> Tensor {
        let planes = inputShape[0] * inputShape[1], hw = inputShape[2] * inputShape[3]
        precondition(dy.count == planes, "global average pool backward: gradient \(dy.shape) for \(inputShape)")
        let dx = Tensor(uninitializedShape: inputShape)
        let gs = SharedPointer(dy.ptr), ds = SharedPointer(dx.ptr)
        parallelChunks(planes, costPerItem: hw) { range in
            for plane in range { (ds.p + plane * hw).update(repeating: gs.p[plane] / Float(hw), count: hw) }
        }
        withExtendedLifetime(dy) {}
        return dx
    }
}
