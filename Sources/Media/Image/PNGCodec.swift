import CPNG

/// PNG decoding and encoding through libpng's simplified `png_image` API.
///
/// Reads every PNG colour type and bit depth (grey, grey+alpha, RGB, RGBA, palette, 1–16 bit,
/// interlaced); 16-bit files keep their precision. Writes 8-bit RGB or RGBA.
public enum PNGCodec {
    // libpng's PNG_FORMAT_* values are composite macros that Swift does not import.
    private static let flagAlpha: UInt32 = 0x01
    private static let flagColor: UInt32 = 0x02
    /// `PNG_IMAGE_FLAG_FAST` (png.h): faster, larger output.
    private static let imageFlagFast: UInt32 = 0x02
    private static let flagLinear: UInt32 = 0x04
    private static let flag16BitSRGB: UInt32 = 0x04 // PNG_IMAGE_FLAG_16BIT_sRGB (in `flags`)

    // MARK: Reading

    /// Loads a PNG file into a float `Image` (alpha kept when the file has it).
    public static func load(_ path: String) throws -> Image {
        let bytes = try FileAccess.readBytes(path)
        return try decode(bytes, source: path)
    }

    /// Loads a PNG file as 8-bit RGBA, the fastest way to get pixels to keep.
    public static func loadPacked(_ path: String) throws -> PackedImage {
        try FileAccess.readBytes(path).withUnsafeBytes { try decodePacked($0, source: path) }
    }

    /// Decodes PNG bytes as 8-bit RGBA.
    public static func decodePacked(_ bytes: UnsafeRawBufferPointer, source: String) throws -> PackedImage {
        let image = try beginRead(bytes, source: source)
        defer { release(image) }
        let opaque = image.pointee.format & flagAlpha == 0
        image.pointee.format = flagColor | flagAlpha
        let width = Int(image.pointee.width), height = Int(image.pointee.height)
        var out = [UInt8](repeating: 0, count: width * height * 4)
        try finishRead(image, into: &out, rowStride: Int32(width * 4), source: source)
        return PackedImage(width: width, height: height, bytes: out, isOpaque: opaque ? true : nil)
    }

    /// Decodes a PNG file as 8-bit RGBA into a transient buffer and calls `body` with it: the
    /// fastest way to look at a picture once (the file is mapped, not copied, and the pixels sit
    /// in huge pages). The pixels are only valid inside `body`.
    public static func withPackedPixels<R>(_ path: String, _ body: (PackedPixels) throws -> R) throws -> R {
        try FileAccess.withMappedBytes(path) { file in
            let image = try beginRead(file, source: path)
            defer { release(image) }
            let opaque = image.pointee.format & flagAlpha == 0
            image.pointee.format = flagColor | flagAlpha
            let width = Int(image.pointee.width), height = Int(image.pointee.height)
            guard let buffer = MappedBuffer(count: width * height * 4) else {
                throw MediaError.tooLarge(path: path, detail: "cannot allocate \(width)×\(height) pixels")
            }
            guard png_image_finish_read(image, nil, buffer.bytes.baseAddress, Int32(width * 4), nil) != 0 else {
                throw MediaError.corrupt(path: path, format: "PNG", detail: messageOf(image.pointee))
            }
            return try withExtendedLifetime(buffer) {
                try body(PackedPixels(width: width, height: height, bytes: UnsafeRawBufferPointer(buffer.bytes),
                                      isOpaque: opaque))
            }
        }
    }

    /// Decodes PNG bytes into a float `Image`; `source` names the data in error messages.
    public static func decode(_ bytes: [UInt8], source: String = "PNG data") throws -> Image {
        try reading(bytes, source: source) { image in
        let hasAlpha = image.pointee.format & flagAlpha != 0
        let width = Int(image.pointee.width), height = Int(image.pointee.height)
        let channels = hasAlpha ? 4 : 3
        let count = width * height * channels

        if image.pointee.format & flagLinear != 0 {
            // 16-bit source: read 16-bit linear light (premultiplied by libpng), then re-encode to sRGB.
            image.pointee.flags |= flag16BitSRGB  // untagged 16-bit data is sRGB-encoded, as writers produce it
            image.pointee.format = flagColor | flagLinear | (hasAlpha ? flagAlpha : 0)
            var wide = [UInt16](repeating: 0, count: count)
            try finishRead(image, into: &wide, rowStride: Int32(width * channels), source: source)
            return Image(width: width, height: height, hasAlpha: hasAlpha,
                         pixels: SRGBTransfer.encodeLinear16(wide, channels: channels, premultiplied: hasAlpha,
                                                             fileGamma: fileGamma(bytes)))
        }

        image.pointee.format = flagColor | (hasAlpha ? flagAlpha : 0)
        var narrow = [UInt8](repeating: 0, count: count)
        try finishRead(image, into: &narrow, rowStride: Int32(width * channels), source: source)
        var pixels = [Float](repeating: 0, count: count)
        narrow.withUnsafeBufferPointer { src in
            pixels.withUnsafeMutableBufferPointer { dst in
                for i in 0..<count { dst[i] = Float(src[i]) * (1 / 255) }
            }
        }
        return Image(width: width, height: height, hasAlpha: hasAlpha, pixels: pixels)
        }
    }

    // libpng keeps a pointer to the png_image it was started with (for its error handler), so the
    // struct must stay at one address for its whole life: it lives on the heap, never copied.
    // libpng also reads the memory given to begin_read lazily, so everything happens inside one
    // `withUnsafeBytes` scope.
    private static func reading<R>(_ bytes: [UInt8], source: String, _ body: (UnsafeMutablePointer<png_image>) throws -> R) throws -> R {
        try bytes.withUnsafeBytes { raw in
            let image = try beginRead(raw, source: source)
            defer { release(image) }
            return try body(image)
        }
    }

    private static func beginRead(_ bytes: UnsafeRawBufferPointer, source: String) throws -> UnsafeMutablePointer<png_image> {
        guard bytes.count >= 8, bytes[0] == 0x89, bytes[1] == 0x50, bytes[2] == 0x4E, bytes[3] == 0x47 else {
            throw MediaError.corrupt(path: source, format: "PNG", detail: "missing PNG signature")
        }
        let image = UnsafeMutablePointer<png_image>.allocate(capacity: 1)
        image.initialize(to: png_image())
        image.pointee.version = UInt32(PNG_IMAGE_VERSION)
        let ok = png_image_begin_read_from_memory(image, bytes.baseAddress, bytes.count)
        guard ok != 0 else {
            let message = messageOf(image.pointee)
            release(image)
            throw MediaError.corrupt(path: source, format: "PNG", detail: message)
        }
        do {
            try Image.checkSize(width: Int(image.pointee.width), height: Int(image.pointee.height), source: source)
        } catch {
            release(image)
            throw error
        }
        return image
    }

    private static func release(_ image: UnsafeMutablePointer<png_image>) {
        png_image_free(image)
        image.deinitialize(count: 1)
        image.deallocate()
    }

    private static func finishRead<T>(_ image: UnsafeMutablePointer<png_image>, into buffer: inout [T], rowStride: Int32, source: String) throws {
        let ok = buffer.withUnsafeMutableBytes { png_image_finish_read(image, nil, $0.baseAddress, rowStride, nil) }
        guard ok != 0 else {
            throw MediaError.corrupt(path: source, format: "PNG", detail: messageOf(image.pointee))
        }
    }

    /// The gAMA value of a file without an sRGB chunk (nil when it has none), found by walking
    /// the chunks before the image data.
    static func fileGamma(_ bytes: [UInt8]) -> Double? {
        var offset = 8
        while offset + 12 <= bytes.count {
            let length = Int(bytes[offset]) << 24 | Int(bytes[offset + 1]) << 16 | Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
            let type = String(decoding: bytes[(offset + 4)..<(offset + 8)], as: UTF8.self)
            if type == "IDAT" || type == "sRGB" || type == "iCCP" { return nil }
            if type == "gAMA", length == 4, offset + 12 <= bytes.count {
                let b = bytes[(offset + 8)..<(offset + 12)].reduce(0) { $0 << 8 | Int($1) }
                return b > 0 ? Double(b) / 100_000 : nil
            }
            offset += 12 + length
        }
        return nil
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

    /// Encodes 8-bit interleaved samples (3 or 4 channels) as PNG bytes; `fast` trades size for speed
    /// (libpng's `PNG_IMAGE_FLAG_FAST`, for pictures sent to a terminal rather than stored).
    public static func encodeBytes(_ bytes: [UInt8], width: Int, height: Int, channels: Int, fast: Bool = false) throws -> [UInt8] {
        precondition(channels == 3 || channels == 4)
        precondition(bytes.count == width * height * channels)
        var png = png_image()
        png.version = UInt32(PNG_IMAGE_VERSION)
        png.width = UInt32(width)
        png.height = UInt32(height)
        png.format = flagColor | (channels == 4 ? flagAlpha : 0)
        if fast { png.flags = imageFlagFast }
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
    /// Loads a picture (PNG, JPEG, WebP or GIF, told apart by its bytes).
    public static func load(_ path: String) throws -> Image { try ImageFile.load(path) }
    /// Saves as an 8-bit PNG file, atomically.
    public func save(_ path: String) throws { try PNGCodec.save(self, to: path) }
}
