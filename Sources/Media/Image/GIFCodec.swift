import CGIF

/// GIF decoding through giflib (opened on first use): the frames composed on the logical screen as a
/// viewer shows them (transparency, disposal to background or to the previous frame, interlacing), with
/// their delays. A still is the first frame.
public enum GIFCodec {
    /// The frames of GIF bytes (at most `limit`, and at most `ImageFrame.maxTotalPixels` canvas pixels in
    /// all); `source` names the data in error messages. A file damaged after its first frame gives the
    /// frames before the damage.
    public static func frames(_ bytes: UnsafeRawBufferPointer, source: String, limit: Int = ImageFrame.maxFrames) throws -> [ImageFrame] {
        let reader = Reader(bytes)
        var error: Int32 = 0
        let opened = withExtendedLifetime(reader) {
            mlwb_gif_open(Unmanaged.passUnretained(reader).toOpaque(), { gif, buffer, count in
                guard let gif, let buffer, let user = gif.pointee.UserData, count > 0 else { return 0 }
                return Unmanaged<Reader>.fromOpaque(user).takeUnretainedValue().read(into: buffer, count: Int(count))
            }, &error)
        }
        guard let gif = opened else { throw corrupt(source, error) }
        defer { var closing: Int32 = 0; _ = mlwb_gif_close(gif, &closing) }
        return try withExtendedLifetime(reader) {
            var composer = Composer(gif: gif, source: source, limit: max(1, limit), fileBytes: bytes.count)
            return try composer.run()
        }
    }

    static func corrupt(_ source: String, _ code: Int32) -> MediaError {
        let message = mlwb_gif_error_string(code).map { String(cString: $0) } ?? "giflib error \(code)"
        return .corrupt(path: source, format: "GIF", detail: message)
    }

    /// giflib's input callback reads from memory through this.
    final class Reader {
        let bytes: UnsafeRawBufferPointer
        var offset = 0
        init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }
        func read(into buffer: UnsafeMutablePointer<UInt8>, count: Int) -> Int32 {
            let n = min(count, bytes.count - offset)
            guard n > 0, let base = bytes.baseAddress else { return 0 }
            buffer.update(from: base.advanced(by: offset).assumingMemoryBound(to: UInt8.self), count: n)
            offset += n
            return Int32(n)
        }
    }

    // MARK: Composition

    /// Walks the records, composing each image onto the canvas.
    struct Composer {
        let gif: UnsafeMutablePointer<GifFileType>
        let source: String
        let limit: Int
        /// The file's size: what it may decode to is bounded by it (`ImageFormat.checkBudget`).
        let fileBytes: Int
        var canvas: [UInt8] = []
        var width = 0, height = 0
        var frames: [ImageFrame] = []
        // The graphics control extension that applies to the next image.
        var disposal = 0, delay = 0, transparent: Int? = nil

        init(gif: UnsafeMutablePointer<GifFileType>, source: String, limit: Int, fileBytes: Int) {
            self.gif = gif; self.source = source; self.limit = limit; self.fileBytes = fileBytes
        }

        /// Canvas pixels over all frames: four budgets' worth, and never above `ImageFrame.maxTotalPixels`.
        var totalBudget: Int {
            min(ImageFrame.maxTotalPixels,
                max(4 * ImageFormat.budgetFloor, fileBytes.multipliedReportingOverflow(by: 4 * ImageFormat.pixelsPerByte).partialValue))
        }

        mutating func run() throws -> [ImageFrame] {
            while frames.count < limit, frames.isEmpty || (frames.count + 1) * width * height <= totalBudget {
                var type = GifRecordType(0)
                guard mlwb_gif_record_type(gif, &type) != 0 else { return try partial() }
                let kind = Int32(type.rawValue)
                if kind == mlwb_gif_record_end() { break }
                if kind == mlwb_gif_record_extension() {
                    guard readExtension() else { return try partial() }
                } else if kind == mlwb_gif_record_image() {
                    guard mlwb_gif_image_desc(gif) != 0 else { return try partial() }
                    if !(try readImage()) { return try partial() }
                }
            }
            guard !frames.isEmpty else { throw MediaError.corrupt(path: source, format: "GIF", detail: "no image in the file") }
            return frames
        }

        /// The frames so far after an error, or the error when there are none.
        func partial() throws -> [ImageFrame] {
            if frames.isEmpty { throw GIFCodec.corrupt(source, gif.pointee.Error) }
            return frames
        }

        mutating func readExtension() -> Bool {
            var code: Int32 = 0
            var block: UnsafeMutablePointer<GifByteType>?
            guard mlwb_gif_extension(gif, &code, &block) != 0 else { return false }
            if code == mlwb_gif_graphics_control_code(), let b = block, b[0] >= 4 {
                disposal = Int(b[1] >> 2) & 7
                delay = Int(b[2]) | Int(b[3]) << 8
                transparent = b[1] & 1 != 0 ? Int(b[4]) : nil
            }
            while block != nil {
                guard mlwb_gif_extension_next(gif, &block) != 0 else { return false }
            }
            return true
        }

        /// Reads the current image's rows and composes it; false when giflib reported an error.
        mutating func readImage() throws -> Bool {
            let desc = gif.pointee.Image
            let left = Int(desc.Left), top = Int(desc.Top), w = Int(desc.Width), h = Int(desc.Height)
            guard w > 0, h > 0, left >= 0, top >= 0 else {
                throw MediaError.corrupt(path: source, format: "GIF", detail: "an image of \(w)×\(h) at \(left),\(top)")
            }
            try ImageFormat.gif.checkBudget(pixels: w * h, fileBytes: fileBytes, source: source)
            if canvas.isEmpty {
                width = max(Int(gif.pointee.SWidth), left + w)
                height = max(Int(gif.pointee.SHeight), top + h)
                try Image.checkSize(width: width, height: height, source: source)
                try ImageFormat.gif.checkBudget(pixels: width * height, fileBytes: fileBytes, source: source)
                canvas = [UInt8](repeating: 0, count: width * height * 4)
            }
            guard let map = desc.ColorMap ?? gif.pointee.SColorMap, let colors = map.pointee.Colors else {
                throw MediaError.corrupt(path: source, format: "GIF", detail: "an image without a colour table")
            }
            let colorCount = Int(map.pointee.ColorCount)
            // Every row, in file order (interlaced images come in four passes).
            var rows = [UInt8](repeating: 0, count: w * h)
            let order: [Int] = desc.Interlace
                ? [(0, 8), (4, 8), (2, 4), (1, 2)].flatMap { stride(from: $0.0, to: h, by: $0.1) }
                : Array(0..<h)
            for y in order {
                let ok = rows.withUnsafeMutableBufferPointer { mlwb_gif_line(gif, $0.baseAddress! + y * w, Int32(w)) }
                guard ok != 0 else { return false }
            }
            let saved = disposal == 3 ? canvas : nil
            let x0 = left, x1 = min(width, left + w), y0 = top, y1 = min(height, top + h)
            for y in y0..<max(y0, y1) {
                for x in x0..<max(x0, x1) {
                    let index = Int(rows[(y - top) * w + (x - left)])
                    if index == transparent || index >= colorCount { continue }
                    let c = colors[index], p = (y * width + x) * 4
                    canvas[p] = c.Red; canvas[p + 1] = c.Green; canvas[p + 2] = c.Blue; canvas[p + 3] = 255
                }
            }
            frames.append(ImageFrame(image: PackedImage(width: width, height: height, bytes: canvas),
                                     duration: delay > 1 ? Double(delay) / 100 : ImageFrame.defaultDuration))
            // Disposal before the next frame: 2 clears the rectangle, 3 restores what was there.
            if disposal == 2 {
                for y in y0..<max(y0, y1) { for x in x0..<max(x0, x1) { for c in 0..<4 { canvas[(y * width + x) * 4 + c] = 0 } } }
            } else if let saved {
                canvas = saved
            }
            disposal = 0; delay = 0; transparent = nil
            return true
        }
    }
}
