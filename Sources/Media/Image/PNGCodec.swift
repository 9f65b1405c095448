import CPNG

/// PNG decoding and encoding through libpng's simplified `png_image` API.
///
/// Reads every PNG colour type and bit depth (grey, grey+alpha, RGB, RGBA, palette, 1–16 bit,
/// interlaced); 16-bit files keep their precision. Writes 8-bit RGB or RGBA.
public enum PNGCodec {
    // libpng's PNG_FORMAT_* values are composite macros that Swift does not import.
    private static let flagAlpha: UInt32 = 0x01
    private static let flagColor: UInt32 = 0x02
    private static let flagLinear: UInt32 = 0x04
    private static let flag16BitSRGB: UInt32 = 0x04 // PNG_IMAGE_FLAG_16BIT_sRGB (in `flags`)

    // MARK: Reading

    /// Loads a PNG file into a float `Image` (alpha kept when the file has it).
    public static func load(_ path: String) throws -> Image {
        let bytes = try FileAccess.readBytes(path)
        return try decode(bytes, source: path)
    }

    /// Loads a PNG file as 8-bit RGBA, the fastest way to get pixels for display.
    public static func loadPacked(_ path: String) throws -> PackedImage {
        let bytes = try FileAccess.readBytes(path)
        var image = try beginRead(bytes, source: path)
        defer { png_image_free(&image) }
        image.format = flagColor | flagAlpha
        var out = [UInt8](repeating: 0, count: Int(image.width) * Int(image.height) * 4)
        try finishRead(&image, into: &out, rowStride: Int32(image.width) * 4, source: path)
        return PackedImage(width: Int(image.width), height: Int(image.height), bytes: out)
    }

    /// Decodes PNG bytes into a float `Image`; `source` names the data in error messages.
    public static func decode(_ bytes: [UInt8], source: String = "PNG data") throws -> Image {
        var image = try beginRead(bytes, source: source)
        defer { png_image_free(&image) }
        let hasAlpha = image.format & flagAlpha != 0
        let width = Int(image.width), height = Int(image.height)
        let channels = hasAlpha ? 4 : 3
        let count = width * height * channels

        if image.format & flagLinear != 0 {
            // 16-bit source: read 16-bit linear light (premultiplied by libpng), then re-encode to sRGB.
            image.flags |= flag16BitSRGB  // untagged 16-bit data is sRGB-encoded, as writers produce it
            image.format = flagColor | flagLinear | (hasAlpha ? flagAlpha : 0)
            var wide = [UInt16](repeating: 0, count: count)
            try finishRead(&image, into: &wide, rowStride: Int32(width * channels), source: source)
            return Image(width: width, height: height, hasAlpha: hasAlpha,
                         pixels: SRGBTransfer.encodeLinear16(wide, channels: channels, premultiplied: hasAlpha))
        }

        image.format = flagColor | (hasAlpha ? flagAlpha : 0)
        var narrow = [UInt8](repeating: 0, count: count)
        try finishRead(&image, into: &narrow, rowStride: Int32(width * channels), source: source)
        var pixels = [Float](repeating: 0, count: count)
        narrow.withUnsafeBufferPointer { src in
            pixels.withUnsafeMutableBufferPointer { dst in
                for i in 0..<count { dst[i] = Float(src[i]) * (1 / 255) }
            }
        }
        return Image(width: width, height: height, hasAlpha: hasAlpha, pixels: pixels)
    }

    private static func beginRead(_ bytes: [UInt8], source: String) throws -> png_image {
        guard bytes.count >= 8, bytes[0] == 0x89, bytes[1] == 0x50, bytes[2] == 0x4E, bytes[3] == 0x47 else {
            throw MediaError.corrupt(path: source, format: "PNG", detail: "missing PNG signature")
        }
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        let ok = bytes.withUnsafeBytes { png_image_begin_read_from_memory(&image, $0.baseAddress, $0.count) }
        guard ok != 0 else {
            let message = messageOf(image)
            png_image_free(&image)
            throw MediaError.corrupt(path: source, format: "PNG", detail: message)
        }
        do {
            try Image.checkSize(width: Int(image.width), height: Int(image.height), source: source)
        } catch {
            png_image_free(&image)
            throw error
        }
        return image
    }

    private static func finishRead<T>(_ image: inout png_image, into buffer: inout [T], rowStride: Int32, source: String) throws {
        let ok = buffer.withUnsafeMutableBytes { png_image_finish_read(&image, nil, $0.baseAddress, rowStride, nil) }
        guard ok != 0 else {
            throw MediaError.corrupt(path: source, format: "PNG", detail: messageOf(image))
        }
    }

    private static func messageOf(_ image: png_image) -> String {
        var message = image.message
        let text = withUnsafeBytes(of: &message) { raw -> String in
            let chars = raw.prefix { $0 != 0 }
            return String(decoding: chars, as: UTF8.self)
        }
        return text.isEmpty ? "unknown libpng error" : text
    }

    // MARK: Writing

    /// Encodes an image as 8-bit PNG bytes (RGBA if the image has alpha, else RGB).
    public static func encode(_ image: Image) throws -> [UInt8] {
        let channels = image.channels
        var narrow = [UInt8](repeating: 0, count: image.pixels.count)
        image.pixels.withUnsafeBufferPointer { src in
            narrow.withUnsafeMutableBufferPointer { dst in
                for i in 0..<src.count {
                    let v = src[i]
                    dst[i] = v.isNaN ? 0 : UInt8(min(max(v, 0), 1) * 255 + 0.5)
                }
            }
        }
        return try encodeBytes(narrow, width: image.width, height: image.height, channels: channels)
    }

    /// Encodes 8-bit interleaved samples (3 or 4 channels) as PNG bytes.
    public static func encodeBytes(_ bytes: [UInt8], width: Int, height: Int, channels: Int) throws -> [UInt8] {
        precondition(channels == 3 || channels == 4)
        precondition(bytes.count == width * height * channels)
        var png = png_image()
        png.version = UInt32(PNG_IMAGE_VERSION)
        png.width = UInt32(width)
        png.height = UInt32(height)
        png.format = flagColor | (channels == 4 ? flagAlpha : 0)
        var size = 0
        let stride = Int32(width * channels)
        // First call sizes the buffer, second call fills it.
        var ok = bytes.withUnsafeBytes { png_image_write_to_memory(&png, nil, &size, 0, $0.baseAddress, stride, nil) }
        guard ok != 0, size > 0 else {
            defer { png_image_free(&png) }
            throw MediaError.writeFailed(path: "PNG data", reason: messageOf(png))
        }
        var out = [UInt8](repeating: 0, count: size)
        ok = out.withUnsafeMutableBytes { dst in
            bytes.withUnsafeBytes { png_image_write_to_memory(&png, dst.baseAddress, &size, 0, $0.baseAddress, stride, nil) }
        }
        defer { png_image_free(&png) }
        guard ok != 0 else { throw MediaError.writeFailed(path: "PNG data", reason: messageOf(png)) }
        return Array(out.prefix(size))
    }

    /// Saves an image as an 8-bit PNG, atomically (a temporary sibling renamed into place).
    public static func save(_ image: Image, to path: String) throws {
        try AtomicFile.write(try encode(image), to: path)
    }
}

// MARK: - Image convenience

extension Image {
    /// Loads a PNG file.
    public static func load(_ path: String) throws -> Image { try PNGCodec.load(path) }
    /// Saves as an 8-bit PNG file, atomically.
    public func save(_ path: String) throws { try PNGCodec.save(self, to: path) }
}
