import Media

// MARK: - WarpField

/// Precomputed source coordinates for a canvas warp at one size: up to three remap stages, each a
/// mirror-wrapped (x, y) per pixel. Compute once with `CanvasWarp.field`, apply to many frames.
public struct WarpField: Sendable, Equatable {
    /// Width in pixels.
    public let width: Int
    /// Height in pixels.
    public let height: Int
    /// Per stage, `width * height` interleaved (x, y) source positions inside the image (identity stages omitted).
    public let stages: [[Float]]

    /// A field from precomputed stages (each `width * height * 2` values, already inside the image).
    public init(width: Int, height: Int, stages: [[Float]]) {
        precondition(stages.allSatisfy { $0.count == width * height * 2 }, "stage size does not match the field")
        self.width = width
        self.height = height
        self.stages = stages
    }

    /// Whether applying the field leaves images unchanged.
    public var isIdentity: Bool { stages.isEmpty }

    /// `image` remapped through every stage in turn (bilinear); the image must have the field's size.
    public func apply(to image: Image) -> Image {
        precondition(image.width == width && image.height == height, "image size does not match the warp field")
        var current = image
        for stage in stages { current = WarpField.remap(current, coordinates: stage) }
        return current
    }

    // MARK: Sampling

    /// `image` sampled bilinearly at `coordinates` (`width * height` (x, y) pairs inside the image).
    public static func remap(_ image: Image, coordinates: [Float]) -> Image {
        let w = image.width, h = image.height, c = image.channels
        precondition(coordinates.count == w * h * 2, "coordinate count does not match the image")
        var out = [Float](repeating: 0, count: w * h * c)
        image.pixels.withUnsafeBufferPointer { srcBuffer in
            coordinates.withUnsafeBufferPointer { coordBuffer in
                out.withUnsafeMutableBufferPointer { dstBuffer in
                    let src = srcBuffer.baseAddress!, xy = coordBuffer.baseAddress!, dst = dstBuffer.baseAddress!
                    Parallel.forRanges(h, chunks: 4, minimumCount: 32) { rows in
                        for y in rows {
                            for x in 0..<w {
                                let i = y * w + x
                                let sx = xy[2 * i], sy = xy[2 * i + 1]
                                let fx0 = sx.rounded(.down), fy0 = sy.rounded(.down)
                                let x0 = Int(fx0), y0 = Int(fy0)
                                let x1 = min(x0 + 1, w - 1), y1 = min(y0 + 1, h - 1)
                                let ax = sx - fx0, ay = sy - fy0
                                let w00 = (1 - ax) * (1 - ay), w10 = ax * (1 - ay), w01 = (1 - ax) * ay, w11 = ax * ay
                                let p00 = src + (y0 * w + x0) * c, p10 = src + (y0 * w + x1) * c
                                let p01 = src + (y1 * w + x0) * c, p11 = src + (y1 * w + x1) * c
                                let o = dst + i * c
                                o[0] = w00 * p00[0] + w10 * p10[0] + w01 * p01[0] + w11 * p11[0]
                                o[1] = w00 * p00[1] + w10 * p10[1] + w01 * p01[1] + w11 * p11[1]
                                o[2] = w00 * p00[2] + w10 * p10[2] + w01 * p01[2] + w11 * p11[2]
                                if c == 4 { o[3] = w00 * p00[3] + w10 * p10[3] + w01 * p01[3] + w11 * p11[3] }
                            }
                        }
                    }
                }
            }
        }
        return Image(width: w, height: h, hasAlpha: image.hasAlpha, pixels: out)
    }

    /// Mirror-wraps continuous coordinate `v` into [0, n − 1], reflecting about the outer pixel edges
    /// (−0.5 and n − 0.5), so the edge pixel repeats once (… 1 0 | 0 1 … n−1 | n−1 n−2 …).
    @inlinable public static func mirror(_ v: Float, _ n: Int) -> Float {
        if v >= 0 && v <= Float(n - 1) { return v }
        guard n > 1, v.isFinite else { return 0 }
        let period = Float(2 * n)
        var m = (v + 0.5).truncatingRemainder(dividingBy: period)
        if m < 0 { m += period }
        if m >= Float(n) { m = period - m }
        return min(max(m - 0.5, 0), Float(n - 1))
    }
}
