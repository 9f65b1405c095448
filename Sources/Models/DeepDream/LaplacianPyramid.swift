// MARK: - Laplacian pyramid normalisation

/// Laplacian-pyramid gradient normalisation (the "lap_norm" of the DeepDream notebooks): the gradient is
/// split into `levels` band-pass layers plus a low-pass residual with a 5×5 binomial kernel
/// ([1, 4, 6, 4, 1] ⊗ [1, 4, 6, 4, 1] / 256, zero padding, stride 2), every layer is divided by its RMS,
/// and the layers are summed back. Low frequencies thus get as much weight as the high ones the raw
/// gradient is dominated by, which gives smoother, larger-scale dream structure.
public enum LaplacianPyramid {
    static let taps: [Float] = [1.0 / 16, 4.0 / 16, 6.0 / 16, 4.0 / 16, 1.0 / 16]

    /// Blur and take every second sample along one axis of a `count × length` row-major block of lines
    /// (`stride` between consecutive samples of a line, `lineStride` between lines).
    static func down1D(_ src: UnsafePointer<Float>, length: Int, lines: Int, sampleStride: Int, lineStride: Int,
                       into dst: UnsafeMutablePointer<Float>, dstSampleStride: Int, dstLineStride: Int) {
        let outLength = (length + 1) / 2
        for line in 0..<lines {
            let s = src + line * lineStride, d = dst + line * dstLineStride
            for i in 0..<outLength {
                var acc: Float = 0
                let c = 2 * i
                for t in 0..<5 {
                    let j = c + t - 2
                    if j >= 0 && j < length { acc += taps[t] * s[j * sampleStride] }
                }
                d[i * dstSampleStride] = acc
            }
        }
    }

    /// The adjoint of `down1D` times 2 (so a constant signal is reproduced away from the borders).
    static func up1D(_ src: UnsafePointer<Float>, length outLength: Int, lines: Int, sampleStride: Int, lineStride: Int,
                     into dst: UnsafeMutablePointer<Float>, dstSampleStride: Int, dstLineStride: Int) {
        let inLength = (outLength + 1) / 2
        for line in 0..<lines {
            let s = src + line * lineStride, d = dst + line * dstLineStride
            for j in 0..<outLength {
                // j = 2i + t − 2  →  t = j + 2 − 2i, 0 ≤ t < 5.
                var acc: Float = 0
                let iLow = max(0, (j - 2 + 1) / 2), iHigh = min(inLength - 1, (j + 2) / 2)
                if iLow <= iHigh {
                    for i in iLow...iHigh {
                        let t = j + 2 - 2 * i
                        if t >= 0 && t < 5 { acc += taps[t] * s[i * sampleStride] }
                    }
                }
                d[j * dstSampleStride] = 2 * acc
            }
        }
    }

    /// One plane blurred and halved: (w+1)/2 × (h+1)/2.
    static func down(_ plane: [Float], width w: Int, height h: Int) -> [Float] {
        separable(plane, width: w, height: h, toWidth: (w + 1) / 2, toHeight: (h + 1) / 2, lengths: (w, h), pass: down1D)
    }

    /// A half-size plane expanded back to w × h.
    static func up(_ plane: [Float], width w: Int, height h: Int) -> [Float] {
        let w2 = (w + 1) / 2, h2 = (h + 1) / 2
        precondition(plane.count == w2 * h2)
        return separable(plane, width: w2, height: h2, toWidth: w, toHeight: h, lengths: (w, h), pass: up1D)
    }

    /// A 1-D filter pass over strided lines (`down1D` or `up1D`).
    typealias Pass1D = (_ src: UnsafePointer<Float>, _ length: Int, _ lines: Int, _ sampleStride: Int, _ lineStride: Int,
                        _ dst: UnsafeMutablePointer<Float>, _ dstSampleStride: Int, _ dstLineStride: Int) -> Void

    /// `pass` along the rows (w × h → ow × h), then along the columns (→ ow × oh); `lengths` is the
    /// length argument of each pass.
    private static func separable(_ plane: [Float], width w: Int, height h: Int, toWidth ow: Int, toHeight oh: Int,
                                  lengths: (rows: Int, columns: Int), pass: Pass1D) -> [Float] {
        var mid = [Float](repeating: 0, count: ow * h)
        var out = [Float](repeating: 0, count: ow * oh)
        plane.withUnsafeBufferPointer { s in
            mid.withUnsafeMutableBufferPointer { m in
                pass(s.baseAddress!, lengths.rows, h, 1, w, m.baseAddress!, 1, ow)
            }
        }
        mid.withUnsafeBufferPointer { m in
            out.withUnsafeMutableBufferPointer { o in
                pass(m.baseAddress!, lengths.columns, ow, ow, 1, o.baseAddress!, ow, 1)
            }
        }
        return out
    }

    /// The pyramid of `image`: `levels` band-pass images (finest first) and the low-pass residual last.
    public static func split(_ image: PlanarImage, levels: Int) -> [PlanarImage] {
        var result: [PlanarImage] = []
        var current = image
        for _ in 0..<levels {
            guard current.width > 1 || current.height > 1 else { break }
            let w = current.width, h = current.height, n = w * h
            let w2 = (w + 1) / 2, h2 = (h + 1) / 2
            var lo = [Float](), hi = [Float]()
            lo.reserveCapacity(w2 * h2 * current.channels)
            hi.reserveCapacity(n * current.channels)
            for k in 0..<current.channels {
                let plane = Array(current.data[(k * n)..<((k + 1) * n)])
                let small = down(plane, width: w, height: h)
                let back = up(small, width: w, height: h)
                lo += small
                for i in 0..<n { hi.append(plane[i] - back[i]) }
            }
            result.append(PlanarImage(width: w, height: h, channels: current.channels, data: hi))
            current = PlanarImage(width: w2, height: h2, channels: current.channels, data: lo)
        }
        result.append(current)
        return result
    }

    /// The inverse of `split`.
    public static func merge(_ levels: [PlanarImage]) -> PlanarImage {
        guard var image = levels.last else { preconditionFailure("an empty pyramid") }
        for hi in levels.dropLast().reversed() {
            let n2 = image.planeCount, n = hi.planeCount
            var data = [Float]()
            data.reserveCapacity(hi.data.count)
            for k in 0..<hi.channels {
                let expanded = up(Array(image.data[(k * n2)..<((k + 1) * n2)]), width: hi.width, height: hi.height)
                for i in 0..<n { data.append(expanded[i] + hi.data[k * n + i]) }
            }
            image = PlanarImage(width: hi.width, height: hi.height, channels: hi.channels, data: data)
        }
        return image
    }

    /// `image` with every pyramid level divided by its RMS (levels ≤ 0 returns it unchanged).
    public static func normalize(_ image: PlanarImage, levels: Int, epsilon: Float = 1e-10) -> PlanarImage {
        guard levels > 0 else { return image }
        let pyramid = split(image, levels: levels).map { level -> PlanarImage in
            var sum: Double = 0
            for v in level.data { sum += Double(v) * Double(v) }
            let rms = Float((sum / Double(max(level.data.count, 1))).squareRoot())
            var scaled = level
            let inv = 1 / max(rms, epsilon)
            for i in scaled.data.indices { scaled.data[i] *= inv }
            return scaled
        }
        return merge(pyramid)
    }
}
