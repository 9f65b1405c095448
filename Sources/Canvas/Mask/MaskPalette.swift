import Media

/// The colours masks are drawn and saved with: one distinct, saturated, non-grey colour per channel.
///
/// Channels 0–2 are pure red, green and blue, so a mask of up to three channels is stored exactly in a
/// PNG's RGB channels. Black means "no channel" (all weights 0). A single-channel mask is drawn in grey.
public enum MaskPalette {
    /// The palette (RGB, 0–1); channel `c` uses `colors[c % colors.count]`.
    public static let colors: [SIMD3<Float>] = [
        SIMD3(1, 0, 0), SIMD3(0, 1, 0), SIMD3(0, 0, 1),
        SIMD3(1, 1, 0), SIMD3(1, 0, 1), SIMD3(0, 1, 1),
        SIMD3(1, 0.5, 0), SIMD3(0.5, 0, 1), SIMD3(0, 1, 0.5), SIMD3(1, 0, 0.5),
        SIMD3(0.5, 1, 0), SIMD3(0, 0.5, 1), SIMD3(1, 0.5, 0.5), SIMD3(0.5, 0.5, 1),
        SIMD3(0.5, 1, 0.5), SIMD3(1, 1, 0.5),
    ]

    /// The colour of channel `c` in a mask of `channelCount` channels.
    public static func color(_ c: Int, of channelCount: Int) -> SIMD3<Float> {
        channelCount == 1 ? SIMD3(1, 1, 1) : colors[c % colors.count]
    }
}

// MARK: - Display

extension Mask {
    /// An RGB image with each channel's palette colour mixed by its weight (divided by the weight sum
    /// where that exceeds 1), for display; a one-channel mask becomes grey.
    public func colorized() -> Image {
        let n = channelCount, count = width * height
        let palette = (0..<n).map { MaskPalette.color($0, of: n) }
        var out = [Float](repeating: 0, count: count * 3)
        values.withUnsafeBufferPointer { v in
            out.withUnsafeMutableBufferPointer { o in
                for i in 0..<count {
                    var rgb = SIMD3<Float>(0, 0, 0)
                    var sum: Float = 0
                    for c in 0..<n {
                        let w = min(max(v[i * n + c], 0), 1)
                        rgb += w * palette[c]
                        sum += w
                    }
                    if sum > 1 { rgb /= sum }
                    o[i * 3] = rgb.x; o[i * 3 + 1] = rgb.y; o[i * 3 + 2] = rgb.z
                }
            }
        }
        return Image(width: width, height: height, pixels: out)
    }
}
