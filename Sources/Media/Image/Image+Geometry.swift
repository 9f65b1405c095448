// MARK: - Resizing, cropping, padding

extension Image {
    /// This image resized to `width × height` (area average when shrinking, bicubic when enlarging by default).
    public func resized(width newWidth: Int, height newHeight: Int, filter: ResizeFilter = .automatic) -> Image {
        var data = Resampling.resize(pixels, channels: channels, width: width, height: height,
                                     toWidth: newWidth, toHeight: newHeight, filter: filter)
        if filter == .bicubic || filter == .lanczos3 || filter == .automatic {
            // Sharp filters overshoot; keep samples in the displayable range.
            for i in data.indices { data[i] = min(max(data[i], 0), 1) }
        }
        return Image(width: newWidth, height: newHeight, hasAlpha: hasAlpha, pixels: data)
    }

    /// This image scaled so its shorter side is `side` pixels, keeping the aspect ratio.
    public func resized(shorterSide side: Int, filter: ResizeFilter = .automatic) -> Image {
        if width <= height {
            return resized(width: side, height: max(1, Int((Double(height) * Double(side) / Double(width)).rounded())), filter: filter)
        }
        return resized(width: max(1, Int((Double(width) * Double(side) / Double(height)).rounded())), height: side, filter: filter)
    }

    /// The largest size with this image's aspect ratio that fits in `maxWidth × maxHeight`.
    public func fittingSize(maxWidth: Int, maxHeight: Int) -> (width: Int, height: Int) {
        let scale = min(Double(maxWidth) / Double(width), Double(maxHeight) / Double(height))
        return (max(1, Int((Double(width) * scale).rounded())), max(1, Int((Double(height) * scale).rounded())))
    }

    /// `left` and `right` side by side at `right`'s height (`left` scaled to it, aspect kept), `gap`
    /// pixels of `background` between them; RGB.
    public static func sideBySide(_ left: Image, _ right: Image, gap: Int, background: Float = 0) -> Image {
        let height = right.height
        let leftWidth = max(1, Int((Double(left.width) * Double(height) / Double(left.height)).rounded()))
        let scaled = left.width == leftWidth && left.height == height ? left : left.resized(width: leftWidth, height: height)
        let width = leftWidth + gap + right.width
        var data = [Float](repeating: background, count: width * height * 3)
        for (image, x0) in [(scaled, 0), (right, leftWidth + gap)] {
            let c = image.channels
            for y in 0..<height {
                for x in 0..<image.width {
                    let s = (y * image.width + x) * c, d = (y * width + x0 + x) * 3
                    data[d] = image.pixels[s]; data[d + 1] = image.pixels[s + 1]; data[d + 2] = image.pixels[s + 2]
                }
            }
        }
        return Image(width: width, height: height, pixels: data)
    }

    /// The rectangle at (x, y) of size `width × height`; it must lie inside the image.
    public func cropped(x: Int, y: Int, width w: Int, height h: Int) throws -> Image {
        guard x >= 0, y >= 0, w > 0, h > 0, x + w <= width, y + h <= height else {
            throw MediaError.invalidArgument("crop \(w)×\(h)+\(x)+\(y) is outside the \(width)×\(height) image")
        }
        let c = channels
        var data = [Float](repeating: 0, count: w * h * c)
        for row in 0..<h {
            let src = ((y + row) * width + x) * c
            data.replaceSubrange((row * w * c)..<((row + 1) * w * c), with: pixels[src..<(src + w * c)])
        }
        return Image(width: w, height: h, hasAlpha: hasAlpha, pixels: data)
    }

    /// The centred crop of `width × height` (torchvision's CenterCrop).
    public func centerCropped(width w: Int, height h: Int) throws -> Image {
        try cropped(x: Int((Double(width - w) / 2).rounded()), y: Int((Double(height - h) / 2).rounded()), width: w, height: h)
    }

    /// The largest centred crop with aspect ratio `aspect` (width / height).
    public func centerCropped(toAspect aspect: Double) throws -> Image {
        guard aspect > 0, aspect.isFinite else { throw MediaError.invalidArgument("aspect ratio must be positive") }
        if Double(width) / Double(height) > aspect {
            return try centerCropped(width: max(1, Int((Double(height) * aspect).rounded())), height: height)
        }
        return try centerCropped(width: width, height: max(1, Int((Double(width) / aspect).rounded())))
    }

    /// How `padded` fills the new border.
    public enum PadMode: Sendable, Equatable {
        /// A solid colour (RGBA).
        case color(SIMD4<Float>)
        /// The nearest edge pixel repeated.
        case edge
        /// The image mirrored at its edges.
        case reflect
    }

    /// This image with a border of the given widths.
    public func padded(top: Int, left: Int, bottom: Int, right: Int, mode: PadMode = .color(SIMD4(0, 0, 0, 1))) -> Image {
        let w = width + left + right, h = height + top + bottom
        return Image(width: w, height: h, hasAlpha: hasAlpha) { x, y in
            let sx = x - left, sy = y - top
            if sx >= 0, sy >= 0, sx < width, sy < height { return pixel(sx, sy) }
            switch mode {
            case .color(let c): return c
            case .edge: return pixel(min(max(sx, 0), width - 1), min(max(sy, 0), height - 1))
            case .reflect: return pixel(Image.mirror(sx, width), Image.mirror(sy, height))
            }
        }
    }

    /// Mirror-wraps coordinate `i` into `0..<n` (…2 1 0 | 0 1 2 … n-1 | n-1 n-2 …).
    @inlinable public static func mirror(_ i: Int, _ n: Int) -> Int {
        if n == 1 { return 0 }
        let period = 2 * n
        var m = i % period
        if m < 0 { m += period }
        return m < n ? m : period - 1 - m
    }
}

// MARK: - Compositing

extension Image {
    /// `(1 - amount) * self + amount * other`; both images must have the same size.
    public func blended(with other: Image, amount: Float) throws -> Image {
        guard other.width == width, other.height == height else {
            throw MediaError.invalidArgument("cannot blend a \(width)×\(height) image with a \(other.width)×\(other.height) one")
        }
        let b = other.hasAlpha == hasAlpha ? other : (hasAlpha ? other.withAlpha() : other.flattened())
        var out = self
        for i in out.pixels.indices { out.pixels[i] = pixels[i] * (1 - amount) + b.pixels[i] * amount }
        return out
    }

    /// Images laid out in a grid of `columns` columns, each resized into a cell of the first image's
    /// size (aspect kept, centred), with `spacing` pixels of `background` between them.
    public static func grid(_ images: [Image], columns: Int, spacing: Int = 0,
                            background: SIMD4<Float> = SIMD4(0, 0, 0, 1)) throws -> Image {
        guard let first = images.first else { throw MediaError.invalidArgument("grid needs at least one image") }
        guard columns > 0 else { throw MediaError.invalidArgument("grid needs at least one column") }
        let cellW = first.width, cellH = first.height
        let cols = min(columns, images.count)
        let rows = (images.count + columns - 1) / columns
        let w = cols * cellW + (cols - 1) * spacing, h = rows * cellH + (rows - 1) * spacing
        try checkSize(width: w, height: h, source: "grid")
        let alpha = images.contains { $0.hasAlpha }
        var canvas = Image(width: w, height: h, hasAlpha: alpha, fill: [background.x, background.y, background.z, background.w])
        for (index, image) in images.enumerated() {
            let fit = image.fittingSize(maxWidth: cellW, maxHeight: cellH)
            let cell = image.resized(width: fit.width, height: fit.height)
            let ox = (index % columns) * (cellW + spacing) + (cellW - fit.width) / 2
            let oy = (index / columns) * (cellH + spacing) + (cellH - fit.height) / 2
            for y in 0..<cell.height { for x in 0..<cell.width { canvas.setPixel(ox + x, oy + y, cell.pixel(x, y)) } }
        }
        return canvas
    }
}
