import CJPEG

/// JPEG decoding through libjpeg-turbo's TurboJPEG API (opened on first use), upright by the file's EXIF
/// orientation. Baseline, progressive, greyscale and CMYK files all come out as 8-bit RGB(A).
public enum JPEGCodec {
    /// Decodes JPEG bytes into opaque 8-bit RGBA; `source` names the data in error messages.
    public static func decode(_ bytes: UnsafeRawBufferPointer, source: String) throws -> PackedImage {
        guard bytes.count >= 4, let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else {
            throw MediaError.corrupt(path: source, format: "JPEG", detail: "the file ends after \(bytes.count) bytes")
        }
        guard let handle = mlwb_tjInitDecompress() else {
            throw MediaError.unsupported(path: source, detail: "libjpeg-turbo could not start a decoder")
        }
        defer { _ = mlwb_tjDestroy(handle) }
        func failure(_ what: String) -> MediaError {
            let message = mlwb_tjGetErrorStr2(handle).map { String(cString: $0) } ?? "unknown libjpeg-turbo error"
            return .corrupt(path: source, format: "JPEG", detail: "\(what): \(message)")
        }
        var width: Int32 = 0, height: Int32 = 0, subsampling: Int32 = 0, colorspace: Int32 = 0
        guard mlwb_tjDecompressHeader3(handle, base, UInt(bytes.count), &width, &height, &subsampling, &colorspace) == 0 else {
            throw failure("cannot read the header")
        }
        try Image.checkSize(width: Int(width), height: Int(height), source: source)
        try ImageFormat.jpeg.checkBudget(pixels: Int(width) * Int(height), fileBytes: bytes.count, source: source)
        let w = Int(width), h = Int(height)
        var pixels = [UInt8](repeating: 0, count: w * h * 4)
        let status = pixels.withUnsafeMutableBufferPointer { dst in
            mlwb_tjDecompress2(handle, base, UInt(bytes.count), dst.baseAddress, width, width * 4, height,
                               mlwb_tj_pixel_rgba(), mlwb_tj_flag_accurate())
        }
        if status != 0 {
            // A warning leaves a complete picture (extraneous bytes and the like), except when the data
            // ended early: libjpeg then fills the rest with grey, which must not pass for the photo.
            let message = mlwb_tjGetErrorStr2(handle).map { String(cString: $0) } ?? ""
            if mlwb_tjGetErrorCode(handle) != mlwb_tj_error_warning() || message.lowercased().contains("premature end") {
                throw failure(message.lowercased().contains("premature end") ? "the file is cut short" : "cannot decode")
            }
        }
        let image = PackedImage(width: w, height: h, bytes: pixels, isOpaque: true)
        return image.oriented(ExifOrientation.read(jpeg: bytes))
    }
}
