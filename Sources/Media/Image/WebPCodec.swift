import CWebP

/// WebP decoding through libwebp's animation decoder (opened on first use): stills are one-frame
/// animations, animated files give their frames composed on the canvas with their durations.
public enum WebPCodec {
    /// The frames of WebP bytes (one for a still; at most `limit`); `source` names the data in error messages.
    public static func frames(_ bytes: UnsafeRawBufferPointer, source: String, limit: Int = ImageFrame.maxFrames) throws -> [ImageFrame] {
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), bytes.count >= 12 else {
            throw MediaError.corrupt(path: source, format: "WebP", detail: "the file ends after \(bytes.count) bytes")
        }
        var options = WebPAnimDecoderOptions()
        guard mlwb_webp_anim_options_init(&options) != 0 else {
            throw MediaError.unsupported(path: source, detail: "this libwebp does not match the headers mlwb was built with")
        }
        options.color_mode = mlwb_webp_mode_rgba()
        options.use_threads = 0
        guard let decoder = mlwb_webp_anim_new(base, bytes.count, &options) else {
            throw MediaError.corrupt(path: source, format: "WebP", detail: "libwebp cannot parse it")
        }
        defer { mlwb_webp_anim_delete(decoder) }
        var info = WebPAnimInfo()
        guard mlwb_webp_anim_info(decoder, &info) != 0 else {
            throw MediaError.corrupt(path: source, format: "WebP", detail: "no canvas size")
        }
        let w = Int(info.canvas_width), h = Int(info.canvas_height)
        try Image.checkSize(width: w, height: h, source: source)
        try ImageFormat.webp.checkBudget(pixels: w * h, fileBytes: bytes.count, source: source)
        let total = min(ImageFrame.maxTotalPixels, max(4 * ImageFormat.budgetFloor, bytes.count.multipliedReportingOverflow(by: 4 * ImageFormat.pixelsPerByte).partialValue))
        let count = min(max(1, Int(info.frame_count)), max(1, limit), max(1, total / (w * h)))
        var frames: [ImageFrame] = []
        var previous: Int32 = 0
        while frames.count < count, mlwb_webp_anim_has_more(decoder) != 0 {
            var canvas: UnsafeMutablePointer<UInt8>?
            var timestamp: Int32 = 0
            guard mlwb_webp_anim_next(decoder, &canvas, &timestamp) != 0, let canvas else {
                if frames.isEmpty { throw MediaError.corrupt(path: source, format: "WebP", detail: "the first frame does not decode") }
                break   // a damaged later frame: keep what decoded
            }
            let pixels = [UInt8](UnsafeBufferPointer(start: canvas, count: w * h * 4))
            let shown = Double(timestamp - previous) / 1000
            previous = timestamp
            frames.append(ImageFrame(image: PackedImage(width: w, height: h, bytes: pixels),
                                     duration: shown > 0.011 ? shown : ImageFrame.defaultDuration))
        }
        guard !frames.isEmpty else { throw MediaError.corrupt(path: source, format: "WebP", detail: "no frames") }
        return frames
    }
}
