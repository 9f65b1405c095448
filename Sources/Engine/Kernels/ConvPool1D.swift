// MARK: - Single-channel 1-D convolution + activation + max pool

/// maxPool1d(activation(conv1d(x, weight) + bias), window) for single-channel signals x [N, width] with
/// weight [C, 1, K] (stride 1, no padding) and non-overlapping pooling windows (stride = window, floor
/// mode): [N, C, (width − K + 1) / window] — the front end of small audio CNNs such as BeatNet's, in one
/// pass per row (the convolution row stays in a stack-sized buffer, 8 positions per SIMD step).
/// Inference-only.
public enum ConvPool1D {
    /// Output extent per channel.
    public static func outputWidth(inputWidth: Int, kernel: Int, window: Int) -> Int {
        max(0, inputWidth - kernel + 1) / window
    }

    /// The fused op; the activation must be monotonic non-decreasing (identity, relu, relu6, clip,
    /// leaky ReLU, sigmoid, tanh all are), so it commutes with the max.
    public static func forward(_ x: Tensor, weight: Tensor, bias: Tensor?, activation: Activation, window: Int) -> Tensor {
        precondition(x.rank >= 1 && weight.rank == 3 && weight.shape[1] == 1, "convPool1d: input [N, width] and weight [C, 1, K], got \(x.shape), \(weight.shape)")
        precondition(window > 0, "convPool1d: window must be positive")
        let width = x.shape[x.rank - 1], rows = width == 0 ? 0 : x.count / width
        let (channels, k) = (weight.shape[0], weight.shape[2])
        if let bias { precondition(bias.count == channels, "convPool1d: bias of \(bias.count) for \(channels) channels") }
        let convWidth = max(0, width - k + 1), pooled = convWidth / window
        let y = Tensor(uninitializedShape: Array(x.shape.dropLast()) + [channels, pooled])
        guard rows > 0, pooled > 0 else { return y }
        let xs = SharedPointer(x.ptr), ys = SharedPointer(y.ptr), ws = SharedPointer(weight.ptr)
        let bs = bias.map { SharedPointer($0.ptr) }
        parallelChunks(rows, costPerItem: channels * convWidth * k) { range in
            let span = pooled * window          // convolution positions the pooling reads
            let row = UnsafeMutablePointer<Float>.allocate(capacity: span + 8)
            defer { row.deallocate() }
            for r in range {
                let src = UnsafePointer(xs.p + r * width)
                for c in 0..<channels {
                    let w = UnsafePointer(ws.p + c * k), b = bs.map { $0.p[c] } ?? 0
                    // Convolution positions 0..<span, eight at a time (reads stay inside the row: i + 7 + K − 1 < width).
                    var i = 0
                    while i + 8 <= span {
                        var acc = SIMD8<Float>(repeating: b)
                        for t in 0..<k { acc = acc.addingProduct(UnsafeRawPointer(src + i + t).loadUnaligned(as: SIMD8<Float>.self), SIMD8(repeating: w[t])) }
                        UnsafeMutableRawPointer(row + i).storeBytes(of: acc, as: SIMD8<Float>.self)
                        i += 8
                    }
                    while i < span {
                        var s = b
                        for t in 0..<k { s += w[t] * src[i + t] }
                        row[i] = s
                        i += 1
                    }
                    let out = ys.p + (r * channels + c) * pooled
                    for j in 0..<pooled {
                        var m = row[j * window]
                        for q in 1..<window { m = max(m, row[j * window + q]) }
                        out[j] = m
                    }
                    ActivationKernel.apply(activation, out, pooled)
                }
            }
        }
        withExtendedLifetime((x, weight, bias)) {}
        return y
    }
}
