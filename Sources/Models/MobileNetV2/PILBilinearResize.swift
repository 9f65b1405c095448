// MARK: - PIL-compatible bilinear resampling of 8-bit images

/// An 8-bit image with interleaved channels (RGB: 3 bytes per pixel), rows top to bottom.
public struct PixelBytes: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public let channels: Int
    public var bytes: [UInt8]

    public init(width: Int, height: Int, channels: Int = 3, bytes: [UInt8]) {
        precondition(width >= 0 && height >= 0 && channels > 0, "bad image shape")
        precondition(bytes.count == width * height * channels, "byte count does not match the size")
        self.width = width
        self.height = height
        self.channels = channels
        self.bytes = bytes
    }

    /// The window `width × height` at (`x`, `y`), which must lie inside the image.
    public func cropped(x: Int, y: Int, width w: Int, height h: Int) -> PixelBytes {
        precondition(x >= 0 && y >= 0 && w >= 0 && h >= 0 && x + w <= width && y + h <= height, "crop outside the image")
        var out = [UInt8](repeating: 0, count: w * h * channels)
        let rowBytes = w * channels
        for row in 0..<h {
            let src = ((y + row) * width + x) * channels
            out.replaceSubrange(row * rowBytes..<(row + 1) * rowBytes, with: bytes[src..<src + rowBytes])
        }
        return PixelBytes(width: w, height: h, channels: channels, bytes: out)
    }

    /// The image inside a border of `value` bytes (`left`/`top`/`right`/`bottom` pixels wide).
    public func padded(left: Int, top: Int, right: Int, bottom: Int, value: UInt8 = 0) -> PixelBytes {
        let w = width + left + right, h = height + top + bottom
        var out = [UInt8](repeating: value, count: w * h * channels)
        let rowBytes = width * channels
        for row in 0..<height {
            let dst = ((top + row) * w + left) * channels
            out.replaceSubrange(dst..<dst + rowBytes, with: bytes[row * rowBytes..<(row + 1) * rowBytes])
        }
        return PixelBytes(width: w, height: h, channels: channels, bytes: out)
    }
}

/// Bilinear resizing that gives the same bytes as Pillow's `Image.resize(size, Image.BILINEAR)` on 8-bit images
/// (what torchvision's `Resize` does to a PIL image).
///
/// How Pillow does it:
/// - The resize is separable: a horizontal pass (only when the width changes) and a vertical pass (only when the
///   height changes), the second working on the 8-bit output of the first. Each pass rounds and clips to 8 bits,
///   so the intermediate quantisation (and so the order) is part of the result. With neither pass the image is
///   copied. Pillow ≤ 12 always runs the horizontal pass first; Pillow 13 runs the vertical pass first when
///   the height shrinks by more than twice as many pixels as the width (`inH − outH > 0` and
///   `inH − outH > 2 · (inW − outW)`), to make the horizontal pass cheaper. `passOrder` picks the rule.
/// - Each pass is a convolution with the triangle filter `max(0, 1 − |t|)`. When shrinking by `scale =
///   in / out > 1`, the filter is stretched by `scale` (support `scale` input pixels on each side, so the
///   resize averages — antialiasing); when enlarging, the support stays 1.
/// - Output pixel `i` is centred at input coordinate `c = (i + 0.5) · scale`. It reads input pixels
///   `lo ..< hi` with `lo = trunc(c − support + 0.5)` clamped to ≥ 0 and `hi = trunc(c + support + 0.5)`
///   clamped to ≤ size; pixel `j` gets the weight `triangle((j − c + 0.5) · (1 / filterScale))`, and the
///   weights are divided by their sum (in double precision).
/// - For 8-bit images the normalised weights become fixed point with 22 fraction bits (rounded half away
///   from zero); a pixel is `(2^21 + Σ byte · weight) >> 22` (arithmetic shift), clipped to 0…255.
public enum PILBilinearResize {
    /// Fraction bits of the fixed-point weights (32 bits − 8 for the value − 2 for overflow headroom).
    static let precisionBits = 22

    /// The input window and fixed-point weights of every output pixel along one axis.
    struct Taps: Equatable {
        /// First input index read by output pixel `i`.
        var start: [Int]
        /// Number of input pixels read by output pixel `i`.
        var count: [Int]
        /// Weights, `stride` per output pixel (the first `count[i]` are used).
        var weights: [Int32]
        var stride: Int
    }

    /// Pillow's triangle (bilinear) filter.
    @inline(__always) static func triangle(_ t: Double) -> Double {
        let a = t < 0 ? -t : t
        return a < 1 ? 1 - a : 0
    }

    /// The taps for resampling `inSize` pixels to `outSize` (the whole extent; no box).
    static func taps(inSize: Int, outSize: Int) -> Taps {
        precondition(inSize > 0 && outSize > 0, "sizes must be positive")
        let scale = Double(inSize) / Double(outSize)
        let filterScale = max(scale, 1)
        let support = 1.0 * filterScale
        let reciprocal = 1.0 / filterScale
        let stride = Int(support.rounded(.up)) * 2 + 1
        var start = [Int](repeating: 0, count: outSize)
        var count = [Int](repeating: 0, count: outSize)
        var weights = [Int32](repeating: 0, count: outSize * stride)
        var real = [Double](repeating: 0, count: stride)
        let one = Double(1 << precisionBits)
        for i in 0..<outSize {
            let center = (Double(i) + 0.5) * scale
            let lo = max(0, Int(center - support + 0.5))
            let hi = min(inSize, Int(center + support + 0.5))
            let n = max(0, hi - lo)
            var sum = 0.0
            for j in 0..<n {
                let w = triangle((Double(lo + j) - center + 0.5) * reciprocal)
                real[j] = w
                sum += w
            }
            for j in 0..<n {
                let k = sum != 0 ? real[j] / sum : real[j]
                // Round half away from zero, then truncate, as a C cast does.
                weights[i * stride + j] = Int32(k < 0 ? (-0.5 + k * one) : (0.5 + k * one))
            }
            start[i] = lo
            count[i] = n
        }
        return Taps(start: start, count: count, weights: weights, stride: stride)
    }

    /// An accumulated fixed-point sum as a byte.
    @inline(__always) static func clip(_ accumulator: Int) -> UInt8 {
        let v = accumulator >> precisionBits
        return v < 0 ? 0 : (v > 255 ? 255 : UInt8(v))
    }

    /// Which pass Pillow runs first when both are needed.
    public enum PassOrder: Sendable {
        /// Pillow 13 and later: vertical first when the height shrinks by more than twice as many pixels as the width.
        case pillow13
        /// Pillow 12 and earlier: always horizontal first.
        case horizontalFirst
    }

    /// Whether the horizontal pass runs before the vertical one for this resize.
    static func horizontalRunsFirst(from image: (width: Int, height: Int), to size: (width: Int, height: Int),
                                    order: PassOrder) -> Bool {
        switch order {
        case .horizontalFirst: return true
        case .pillow13:
            let shrinkY = image.height - size.height, shrinkX = image.width - size.width
            return !(shrinkY > 0 && shrinkY > 2 * shrinkX)
        }
    }

    /// `image` resized to `width × height` exactly as Pillow's bilinear `resize` does it.
    public static func resize(_ image: PixelBytes, width: Int, height: Int, passOrder: PassOrder = .pillow13) -> PixelBytes {
        precondition(width > 0 && height > 0, "sizes must be positive")
        let needX = width != image.width, needY = height != image.height
        var current = image
        if horizontalRunsFirst(from: (image.width, image.height), to: (width, height), order: passOrder) {
            if needX { current = horizontal(current, taps: taps(inSize: image.width, outSize: width)) }
            if needY { current = vertical(current, taps: taps(inSize: image.height, outSize: height)) }
        } else {
            if needY { current = vertical(current, taps: taps(inSize: image.height, outSize: height)) }
            if needX { current = horizontal(current, taps: taps(inSize: image.width, outSize: width)) }
        }
        return current
    }

    static func horizontal(_ image: PixelBytes, taps: Taps) -> PixelBytes {
        let c = image.channels, outWidth = taps.start.count, h = image.height, inWidth = image.width
        var out = [UInt8](repeating: 0, count: outWidth * h * c)
        let half = 1 << (precisionBits - 1)
        image.bytes.withUnsafeBufferPointer { src in
            taps.weights.withUnsafeBufferPointer { k in
                out.withUnsafeMutableBufferPointer { dst in
                    for y in 0..<h {
                        let rowIn = y * inWidth * c, rowOut = y * outWidth * c
                        for x in 0..<outWidth {
                            let first = taps.start[x], n = taps.count[x], kb = x * taps.stride
                            for ch in 0..<c {
                                var acc = half
                                var p = rowIn + first * c + ch
                                for j in 0..<n {
                                    acc += Int(src[p]) * Int(k[kb + j])
                                    p += c
                                }
                                dst[rowOut + x * c + ch] = clip(acc)
                            }
                        }
                    }
                }
            }
        }
        return PixelBytes(width: outWidth, height: h, channels: c, bytes: out)
    }

    static func vertical(_ image: PixelBytes, taps: Taps) -> PixelBytes {
        let c = image.channels, outHeight = taps.start.count, w = image.width
        let rowBytes = w * c
        var out = [UInt8](repeating: 0, count: outHeight * rowBytes)
        let half = 1 << (precisionBits - 1)
        image.bytes.withUnsafeBufferPointer { src in
            taps.weights.withUnsafeBufferPointer { k in
                out.withUnsafeMutableBufferPointer { dst in
                    var acc = [Int](repeating: 0, count: rowBytes)
                    for y in 0..<outHeight {
                        let first = taps.start[y], n = taps.count[y], kb = y * taps.stride
                        for i in 0..<rowBytes { acc[i] = half }
                        for j in 0..<n {
                            let weight = Int(k[kb + j]), row = (first + j) * rowBytes
                            for i in 0..<rowBytes { acc[i] += Int(src[row + i]) * weight }
                        }
                        let base = y * rowBytes
                        for i in 0..<rowBytes { dst[base + i] = clip(acc[i]) }
                    }
                }
            }
        }
        return PixelBytes(width: w, height: outHeight, channels: c, bytes: out)
    }
}
