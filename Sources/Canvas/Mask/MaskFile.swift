import Media

// MARK: - Saving and loading masks as PNG

extension Mask {
    /// Writes the mask as an 8-bit PNG: grey for one channel, otherwise `colorized()` (atomic write).
    public func save(to path: String) throws {
        try Image.checkSize(width: width, height: height, source: path)
        try PNGCodec.save(colorized(), to: path)
    }

    /// Loads a mask PNG.
    ///
    /// A grey PNG gives one channel (its grey level), or with `channels: n > 1` n hard channels by grey
    /// level (darkest band → channel 0). A colour PNG written by `save` gives its channels back: up to
    /// three channels are read exactly from R, G, B; more are matched to the nearest palette colour.
    /// Without `channels`, the count is inferred from the palette colours present. Throws `MediaError`.
    public static func load(_ path: String, channels: Int? = nil) throws -> Mask {
        if let n = channels, n < 1 || n > maxChannels {
            throw MediaError.invalidArgument("\(path): mask channel count \(n) is out of range 1…\(maxChannels)")
        }
        let image = try ImageFile.load(path).flattened()
        let count = image.width * image.height
        let px = image.pixels
        let tolerance: Float = 1.5 / 255

        var isGrey = true
        for i in 0..<count where abs(px[i * 3] - px[i * 3 + 1]) > tolerance || abs(px[i * 3 + 1] - px[i * 3 + 2]) > tolerance {
            isGrey = false; break
        }

        if isGrey || channels == 1 {
            let grey = image.luminance()
            let n = channels ?? 1
            if n == 1 { return Mask(width: image.width, height: image.height, planes: [grey]) }
            var data = [Float](repeating: 0, count: count * n)
            for i in 0..<count {
                let band = min(n - 1, max(0, Int(grey[i] * Float(n))))
                data[i * n + band] = 1
            }
            return Mask(width: image.width, height: image.height, channels: n, values: data)
        }

        let n = channels ?? inferChannelCount(px, count: count, tolerance: tolerance)
        var data = [Float](repeating: 0, count: count * n)
        if n <= 3 {
            for i in 0..<count {
                for c in 0..<n { data[i * n + c] = snap(px[i * 3 + c], tolerance) }
            }
        } else {
            let palette = (0..<n).map { MaskPalette.color($0, of: n) }
            for i in 0..<count {
                let rgb = SIMD3(px[i * 3], px[i * 3 + 1], px[i * 3 + 2])
                let scale = max(rgb.x, rgb.y, rgb.z)
                guard scale > tolerance else { continue }
                let hue = rgb / scale
                var best = 0, bestDistance = Float.infinity
                for (c, p) in palette.enumerated() {
                    let d = p - hue
                    let dist = (d * d).sum()
                    if dist < bestDistance { bestDistance = dist; best = c }
                }
                data[i * n + best] = snap(scale, tolerance)
            }
        }
        return Mask(width: image.width, height: image.height, channels: n, values: data)
    }

    /// Values within `tolerance` of 0 or 1 snapped there (undoes 8-bit rounding at the extremes).
    private static func snap(_ v: Float, _ tolerance: Float) -> Float {
        v < tolerance ? 0 : (v > 1 - tolerance ? 1 : v)
    }

    /// The channel count implied by the palette colours in a colour mask image.
    private static func inferChannelCount(_ px: [Float], count: Int, tolerance: Float) -> Int {
        var highest = -1
        var usesGreen = false, usesBlue = false
        let palette = MaskPalette.colors
        for i in 0..<count {
            let rgb = SIMD3(px[i * 3], px[i * 3 + 1], px[i * 3 + 2])
            if rgb.y > tolerance { usesGreen = true }
            if rgb.z > tolerance { usesBlue = true }
            for c in stride(from: palette.count - 1, to: highest, by: -1) {
                let d = palette[c] - rgb
                if Swift.abs(d.x) <= tolerance && Swift.abs(d.y) <= tolerance && Swift.abs(d.z) <= tolerance {
                    highest = c; break
                }
            }
        }
        return max(highest + 1, usesBlue ? 3 : (usesGreen ? 2 : 1), 2)
    }
}
