import Media

/// Opaque 8-bit pixels at the size they will be sent to the terminal, rows top to bottom.
public struct Bitmap: Equatable, Sendable {
    /// Width in pixels.
    public let width: Int
    /// Height in pixels.
    public let height: Int
    /// `width × height` colours.
    public var pixels: [RGB8]

    /// A bitmap over existing colours (`width × height` of them).
    public init(width: Int, height: Int, pixels: [RGB8]) {
        precondition(pixels.count == width * height, "pixel count does not match the size")
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// A bitmap filled with one colour.
    public init(width: Int, height: Int, fill: RGB8) {
        self.init(width: width, height: height, pixels: [RGB8](repeating: fill, count: width * height))
    }

    /// The colour at (x, y).
    @inlinable public subscript(x: Int, y: Int) -> RGB8 { pixels[y * width + x] }

    /// Interleaved RGB bytes, 3 per pixel.
    public var rgbBytes: [UInt8] {
        [UInt8](unsafeUninitializedCapacity: pixels.count * 3) { out, count in
            pixels.withUnsafeBufferPointer { src in
                for i in 0..<src.count {
                    out[3 * i] = src[i].r; out[3 * i + 1] = src[i].g; out[3 * i + 2] = src[i].b
                }
            }
            count = pixels.count * 3
        }
    }

    /// The bitmap as PNG bytes (RGB, libpng's fast compression).
    public func pngBytes() throws -> [UInt8] {
        try PNGCodec.encodeBytes(rgbBytes, width: width, height: height, channels: 3, fast: true)
    }
}
