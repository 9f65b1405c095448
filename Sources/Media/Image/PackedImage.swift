/// An 8-bit sRGB RGBA image straight from a decoder, for display paths that never need floats.
///
/// `mlwb show` decodes into this and renders without converting, which keeps the terminal preview
/// of a large PNG fast; everything else works on `Image`.
public struct PackedImage: Sendable, Equatable {
    /// Width in pixels.
    public let width: Int
    /// Height in pixels.
    public let height: Int
    /// RGBA bytes, 4 per pixel, straight alpha, rows top to bottom.
    public var bytes: [UInt8]
    /// Whether every alpha byte is 255 (lets renderers skip compositing).
    public var isOpaque: Bool

    /// An image over existing RGBA bytes; `bytes.count` must be `width * height * 4`.
    /// Pass `isOpaque` when known (a decoder knows if the file had alpha); otherwise it is computed.
    public init(width: Int, height: Int, bytes: [UInt8], isOpaque: Bool? = nil) {
        precondition(bytes.count == width * height * 4, "byte count does not match the size")
        self.width = width
        self.height = height
        self.bytes = bytes
        self.isOpaque = isOpaque ?? stride(from: 3, to: bytes.count, by: 4).allSatisfy { bytes[$0] == 255 }
    }

    /// Calls `body` with the bytes borrowed as `PackedPixels`.
    public func withPixels<R>(_ body: (PackedPixels) throws -> R) rethrows -> R {
        try bytes.withUnsafeBytes { try body(PackedPixels(width: width, height: height, bytes: $0, isOpaque: isOpaque)) }
    }

    /// The same pixels as a float `Image` (alpha kept).
    public func toImage() -> Image { toImage(keepingAlpha: true) }

    /// The same pixels as a float `Image`, RGBA or (dropping alpha) RGB.
    public func toImage(keepingAlpha: Bool) -> Image {
        let channels = keepingAlpha ? 4 : 3
        var data = [Float](repeating: 0, count: width * height * channels)
        bytes.withUnsafeBufferPointer { src in
            data.withUnsafeMutableBufferPointer { dst in
                for p in 0..<(width * height) {
                    for c in 0..<channels { dst[p * channels + c] = Float(src[p * 4 + c]) * (1 / 255) }
                }
            }
        }
        return Image(width: width, height: height, hasAlpha: keepingAlpha, pixels: data)
    }
}

/// 8-bit RGBA pixels borrowed for the length of a call (see `PNGCodec.withPackedPixels`).
public struct PackedPixels {
    /// Width in pixels.
    public let width: Int
    /// Height in pixels.
    public let height: Int
    /// RGBA bytes, 4 per pixel, straight alpha, rows top to bottom.
    public let bytes: UnsafeRawBufferPointer
    /// Whether every alpha byte is 255.
    public let isOpaque: Bool

    /// Wraps `bytes` (`width * height * 4` of them).
    public init(width: Int, height: Int, bytes: UnsafeRawBufferPointer, isOpaque: Bool) {
        precondition(bytes.count == width * height * 4, "byte count does not match the size")
        self.width = width
        self.height = height
        self.bytes = bytes
        self.isOpaque = isOpaque
    }
}
