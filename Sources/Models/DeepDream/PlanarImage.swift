import Media

// MARK: - Planar float image

/// A channel-planar float image (C × H × W, rows top to bottom) — the layout the network consumes and
/// the one the dream loop updates. Values are RGB in [0, 1] units but may leave that range while dreaming.
public struct PlanarImage: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public let channels: Int
    /// `channels * height * width` samples, channel after channel.
    public var data: [Float]

    public init(width: Int, height: Int, channels: Int = 3, data: [Float]) {
        precondition(data.count == width * height * channels, "planar data does not match its size")
        self.width = width; self.height = height; self.channels = channels; self.data = data
    }

    public init(width: Int, height: Int, channels: Int = 3, fill: Float = 0) {
        self.init(width: width, height: height, channels: channels,
                  data: [Float](repeating: fill, count: width * height * channels))
    }

    /// The RGB samples of `image` (alpha dropped).
    public init(_ image: Image) {
        let n = image.width * image.height, c = image.channels
        var d = [Float](repeating: 0, count: 3 * n)
        image.pixels.withUnsafeBufferPointer { src in
            d.withUnsafeMutableBufferPointer { dst in
                for k in 0..<3 { for i in 0..<n { dst[k * n + i] = src[i * c + k] } }
            }
        }
        self.init(width: image.width, height: image.height, channels: 3, data: d)
    }

    /// Pixels per plane.
    public var planeCount: Int { width * height }

    /// An interleaved RGB `Image`, clamped to [0, 1].
    public func image() -> Image {
        precondition(channels == 3, "only 3-channel planar images convert to Image")
        let n = planeCount
        var px = [Float](repeating: 0, count: 3 * n)
        data.withUnsafeBufferPointer { src in
            px.withUnsafeMutableBufferPointer { dst in
                for k in 0..<3 { for i in 0..<n { dst[i * 3 + k] = min(max(src[k * n + i], 0), 1) } }
            }
        }
        return Image(width: width, height: height, hasAlpha: false, pixels: px)
    }

    /// This image resampled to `w × h` (bilinear; antialiased when shrinking).
    public func resized(width w: Int, height h: Int) -> PlanarImage {
        if w == width && h == height { return self }
        let n = planeCount
        var out: [Float] = []
        out.reserveCapacity(w * h * channels)
        for k in 0..<channels {
            let plane = Array(data[(k * n)..<((k + 1) * n)])
            out += Resampling.resize(plane, channels: 1, width: width, height: height, toWidth: w, toHeight: h, filter: .bilinear)
        }
        return PlanarImage(width: w, height: h, channels: channels, data: out)
    }

    /// Circular shift: the sample at (x, y) moves to ((x + dx) mod W, (y + dy) mod H).
    public func rolled(dx: Int, dy: Int) -> PlanarImage {
        let sx = ((dx % width) + width) % width, sy = ((dy % height) + height) % height
        if sx == 0 && sy == 0 { return self }
        var out = data
        let w = width, h = height
        data.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for k in 0..<channels {
                    let base = k * w * h
                    for y in 0..<h {
                        let srcRow = base + y * w, dstRow = base + ((y + sy) % h) * w
                        for x in 0..<w { dst[dstRow + (x + sx) % w] = src[srcRow + x] }
                    }
                }
            }
        }
        return PlanarImage(width: w, height: h, channels: channels, data: out)
    }

    /// The rectangle at (x, y) of size w × h (inside the image).
    public func crop(x: Int, y: Int, width w: Int, height h: Int) -> PlanarImage {
        var out = [Float](repeating: 0, count: w * h * channels)
        let n = planeCount
        for k in 0..<channels {
            for row in 0..<h {
                let s = k * n + (y + row) * width + x, d = (k * h + row) * w
                out.replaceSubrange(d..<(d + w), with: data[s..<(s + w)])
            }
        }
        return PlanarImage(width: w, height: h, channels: channels, data: out)
    }

    /// Writes `tile` at (x, y).
    public mutating func paste(_ tile: PlanarImage, x: Int, y: Int) {
        let n = planeCount
        for k in 0..<channels {
            for row in 0..<tile.height {
                let d = k * n + (y + row) * width + x, s = (k * tile.height + row) * tile.width
                data.replaceSubrange(d..<(d + tile.width), with: tile.data[s..<(s + tile.width)])
            }
        }
    }

    /// self + other (same size).
    public static func + (a: PlanarImage, b: PlanarImage) -> PlanarImage {
        precondition(a.data.count == b.data.count)
        var out = a
        for i in out.data.indices { out.data[i] += b.data[i] }
        return out
    }

    /// self − other (same size).
    public static func - (a: PlanarImage, b: PlanarImage) -> PlanarImage {
        precondition(a.data.count == b.data.count)
        var out = a
        for i in out.data.indices { out.data[i] -= b.data[i] }
        return out
    }
}
