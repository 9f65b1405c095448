/// A raster image of 32-bit float samples in [0, 1], sRGB-encoded, interleaved RGB or RGBA, rows top to bottom.
///
/// Every loader produces this one type (grey, palette and 16-bit files are expanded), and every
/// image operation, renderer and model consumes it.
public struct Image: Sendable, Equatable {
    /// Width in pixels.
    public let width: Int
    /// Height in pixels.
    public let height: Int
    /// Whether the fourth channel holds (straight, not premultiplied) alpha.
    public let hasAlpha: Bool
    /// Interleaved samples, `width * height * channels` of them.
    public var pixels: [Float]

    /// The largest number of pixels mlwb allocates for one image (64 Mpx, 1 GiB as float RGBA).
    public static let maxPixels = 1 << 26
    /// The largest width or height mlwb accepts.
    public static let maxDimension = 1 << 16

    /// Samples per pixel: 3 or 4.
    @inlinable public var channels: Int { hasAlpha ? 4 : 3 }

    // MARK: Creating images

    /// An image filled with one colour (`fill` gives 3 or 4 components; alpha defaults to 1).
    public init(width: Int, height: Int, hasAlpha: Bool = false, fill: [Float] = [0, 0, 0, 1]) {
        precondition(width >= 0 && height >= 0, "negative image size")
        self.width = width
        self.height = height
        self.hasAlpha = hasAlpha
        let c = hasAlpha ? 4 : 3
        var pixel = Array(fill.prefix(c))
        while pixel.count < c { pixel.append(pixel.count == 3 ? 1 : 0) }
        var data = [Float](repeating: 0, count: width * height * c)
        if pixel.contains(where: { $0 != 0 }) {
            for i in 0..<(width * height) {
                for k in 0..<c { data[i * c + k] = pixel[k] }
            }
        }
        self.pixels = data
    }

    /// An image over existing interleaved samples; `pixels.count` must equal `width * height * channels`.
    public init(width: Int, height: Int, hasAlpha: Bool = false, pixels: [Float]) {
        precondition(pixels.count == width * height * (hasAlpha ? 4 : 3), "pixel count does not match the size")
        self.width = width
        self.height = height
        self.hasAlpha = hasAlpha
        self.pixels = pixels
    }

    /// An image whose pixels are computed by `color(x, y)` (RGB or RGBA components).
    public init(width: Int, height: Int, hasAlpha: Bool = false, _ color: (Int, Int) -> SIMD4<Float>) {
        let c = hasAlpha ? 4 : 3
        var data = [Float](repeating: 0, count: width * height * c)
        for y in 0..<height {
            for x in 0..<width {
                let p = color(x, y)
                let i = (y * width + x) * c
                data[i] = p.x; data[i + 1] = p.y; data[i + 2] = p.z
                if hasAlpha { data[i + 3] = p.w }
            }
        }
        self.init(width: width, height: height, hasAlpha: hasAlpha, pixels: data)
    }

    /// Throws `MediaError.tooLarge` unless an image of this size may be allocated.
    public static func checkSize(width: Int, height: Int, source: String = "image") throws {
        guard width > 0, height > 0 else {
            throw MediaError.invalidArgument("\(source): image size \(width)×\(height) is empty")
        }
        guard width <= maxDimension, height <= maxDimension, width * height <= maxPixels else {
            throw MediaError.tooLarge(
                path: source,
                detail: "\(width)×\(height) pixels (limit \(maxDimension) per side and \(maxPixels / (1 << 20)) Mpx); scale it down first")
        }
    }

    // MARK: Pixels

    /// The pixel at (x, y) as RGBA (alpha 1 for RGB images).
    @inlinable public func pixel(_ x: Int, _ y: Int) -> SIMD4<Float> {
        let c = channels
        let i = (y * width + x) * c
        return SIMD4(pixels[i], pixels[i + 1], pixels[i + 2], hasAlpha ? pixels[i + 3] : 1)
    }

    /// Sets the pixel at (x, y) from RGBA components (alpha ignored for RGB images).
    @inlinable public mutating func setPixel(_ x: Int, _ y: Int, _ value: SIMD4<Float>) {
        let c = channels
        let i = (y * width + x) * c
        pixels[i] = value.x; pixels[i + 1] = value.y; pixels[i + 2] = value.z
        if hasAlpha { pixels[i + 3] = value.w }
    }

    // MARK: Channel layout

    /// This image with an opaque alpha channel added (or itself if it has one).
    public func withAlpha() -> Image {
        if hasAlpha { return self }
        var data = [Float](repeating: 1, count: width * height * 4)
        for i in 0..<(width * height) {
            data[i * 4] = pixels[i * 3]; data[i * 4 + 1] = pixels[i * 3 + 1]; data[i * 4 + 2] = pixels[i * 3 + 2]
        }
        return Image(width: width, height: height, hasAlpha: true, pixels: data)
    }

    /// This image composited over a solid `background` colour, without alpha.
    public func flattened(over background: SIMD3<Float> = SIMD3(0, 0, 0)) -> Image {
        guard hasAlpha else { return self }
        var data = [Float](repeating: 0, count: width * height * 3)
        for i in 0..<(width * height) {
            let a = pixels[i * 4 + 3]
            for k in 0..<3 { data[i * 3 + k] = pixels[i * 4 + k] * a + background[k] * (1 - a) }
        }
        return Image(width: width, height: height, hasAlpha: false, pixels: data)
    }

    /// Luma (Rec. 601 weights) per pixel, `width * height` values.
    public func luminance() -> [Float] {
        let c = channels
        var out = [Float](repeating: 0, count: width * height)
        for i in 0..<(width * height) {
            out[i] = 0.299 * pixels[i * c] + 0.587 * pixels[i * c + 1] + 0.114 * pixels[i * c + 2]
        }
        return out
    }

    /// Every sample clamped to [0, 1].
    public func clamped() -> Image {
        var copy = self
        for i in copy.pixels.indices { copy.pixels[i] = min(max(copy.pixels[i], 0), 1) }
        return copy
    }
}
