/// Reading pictures in any format mlwb knows (PNG, JPEG, WebP, GIF), chosen by the file's bytes.
///
/// Every command and pane that reads an image comes through here; outputs are written as PNG
/// (`PNGCodec`). A file in another format gets `MediaError.unsupported` naming the formats read.
public enum ImageFile {
    // MARK: Format

    /// The format of the file at `path`, from its first bytes.
    public static func format(of path: String) throws -> ImageFormat {
        try format(ofHead: FileAccess.readHead(path, count: ImageFormat.headLength), source: path)
    }

    /// The format of data starting with `head`, or the error a user should see.
    static func format(ofHead head: [UInt8], source: String) throws -> ImageFormat {
        if let format = ImageFormat.detect(head) { return format }
        if head.isEmpty { throw MediaError.corrupt(path: source, format: "image", detail: "the file is empty") }
        throw MediaError.unknownImageFormat(path: source)
    }

    // MARK: Reading

    /// Loads a picture into a float `Image` (alpha kept when the file has it; 16-bit PNGs keep their precision).
    public static func load(_ path: String) throws -> Image {
        try decode(FileAccess.readBytes(path), source: path)
    }

    /// Decodes a picture's bytes into a float `Image`; `source` names the data in error messages.
    public static func decode(_ bytes: [UInt8], source: String) throws -> Image {
        let format = try format(ofHead: Array(bytes.prefix(ImageFormat.headLength)), source: source)
        if format == .png { return try PNGCodec.decode(bytes, source: source) }
        let packed = try bytes.withUnsafeBytes { try decodePacked($0, format: format, source: source) }
        return packed.toImage(keepingAlpha: !packed.isOpaque)
    }

    /// Loads a picture as 8-bit RGBA.
    public static func loadPacked(_ path: String) throws -> PackedImage {
        let bytes = try FileAccess.readBytes(path)
        let format = try format(ofHead: Array(bytes.prefix(ImageFormat.headLength)), source: path)
        if format == .png { return try PNGCodec.loadPacked(path) }
        return try bytes.withUnsafeBytes { try decodePacked($0, format: format, source: path) }
    }

    /// Calls `body` with the picture's 8-bit RGBA pixels (PNGs decode straight from the mapped file into
    /// huge pages, the fast path of `mlwb show`); the format is passed along for titles.
    public static func withPackedPixels<R>(_ path: String, _ body: (PackedPixels, ImageFormat) throws -> R) throws -> R {
        let format = try format(of: path)
        if format == .png { return try PNGCodec.withPackedPixels(path) { try body($0, .png) } }
        let packed = try FileAccess.withMappedBytes(path) { try decodePacked($0, format: format, source: path) }
        return try packed.withPixels { try body($0, format) }
    }

    /// Every frame of an animated GIF or WebP (one frame for a still of any format), at most `limit`.
    public static func frames(_ path: String, limit: Int = ImageFrame.maxFrames) throws -> [ImageFrame] {
        let format = try format(of: path)
        return try FileAccess.withMappedBytes(path) { bytes in
            switch format {
            case .gif: return try GIFCodec.frames(bytes, source: path, limit: limit)
            case .webp: return try WebPCodec.frames(bytes, source: path, limit: limit)
            case .png, .jpeg:
                let still = format == .png ? try PNGCodec.loadPacked(path) : try JPEGCodec.decode(bytes, source: path)
                return [ImageFrame(image: still, duration: ImageFrame.defaultDuration)]
            }
        }
    }

    /// The first picture in non-PNG bytes, as 8-bit RGBA.
    static func decodePacked(_ bytes: UnsafeRawBufferPointer, format: ImageFormat, source: String) throws -> PackedImage {
        switch format {
        case .jpeg: return try JPEGCodec.decode(bytes, source: source)
        case .webp: return try WebPCodec.frames(bytes, source: source, limit: 1)[0].image
        case .gif: return try GIFCodec.frames(bytes, source: source, limit: 1)[0].image
        case .png:
            return try PNGCodec.decodePacked(bytes, source: source)
        }
    }
}
