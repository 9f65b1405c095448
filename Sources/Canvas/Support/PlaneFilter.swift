// MARK: - PlaneFilter

/// Small filters over single-channel float planes (`width * height` values, rows top to bottom).
public enum PlaneFilter {
    /// A `size × size` box blur (OpenCV `blur`), edges mirrored; sizes below 2 return the plane unchanged.
    public static func boxBlur(_ plane: [Float], width: Int, height: Int, size: Int) -> [Float] {
        guard size > 1, width > 0, height > 0 else { return plane }
        let before = (size - 1) / 2
        let scale = 1 / Float(size)
        var middle = [Float](repeating: 0, count: plane.count)
        for y in 0..<height {
            for x in 0..<width {
                var s: Float = 0
                for k in 0..<size { s += plane[y * width + mirror(x - before + k, width)] }
                middle[y * width + x] = s * scale
            }
        }
        var out = [Float](repeating: 0, count: plane.count)
        for y in 0..<height {
            for x in 0..<width {
                var s: Float = 0
                for k in 0..<size { s += middle[mirror(y - before + k, height) * width + x] }
                out[y * width + x] = s * scale
            }
        }
        return out
    }

    /// A 3 × 3 maximum filter (morphological dilation), applied `times` times.
    public static func dilate(_ plane: [Float], width: Int, height: Int, times: Int = 1) -> [Float] {
        var current = plane
        for _ in 0..<max(0, times) {
            var out = current
            for y in 0..<height {
                for x in 0..<width {
                    var m = current[y * width + x]
                    for dy in -1...1 {
                        let yy = y + dy
                        guard yy >= 0, yy < height else { continue }
                        for dx in -1...1 {
                            let xx = x + dx
                            guard xx >= 0, xx < width else { continue }
                            m = max(m, current[yy * width + xx])
                        }
                    }
                    out[y * width + x] = m
                }
            }
            current = out
        }
        return current
    }

    /// Mirror-wraps `i` into `0..<n` (edge pixel repeated: … 1 0 | 0 1 … n-1 | n-1 …).
    @inlinable static func mirror(_ i: Int, _ n: Int) -> Int {
        if n == 1 { return 0 }
        let period = 2 * n
        var m = i % period
        if m < 0 { m += period }
        return m < n ? m : period - 1 - m
    }
}
