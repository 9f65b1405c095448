import Glibc

/// The sRGB transfer function, in both directions, with tables for the hot paths.
public enum SRGBTransfer {
    /// sRGB-encoded value in [0, 1] → linear light.
    @inlinable public static func toLinear(_ v: Float) -> Float {
        v <= 0.04045 ? v / 12.92 : powf((v + 0.055) / 1.055, 2.4)
    }

    /// Linear light in [0, 1] → sRGB-encoded value.
    @inlinable public static func fromLinear(_ v: Float) -> Float {
        v <= 0.0031308 ? v * 12.92 : 1.055 * powf(v, 1 / 2.4) - 0.055
    }

    /// Linear light for each 8-bit sRGB code.
    public static let linearOf8Bit: [Float] = (0..<256).map { toLinear(Float($0) / 255) }

    /// sRGB value for each 16-bit linear code (64 Ki entries, built on first use).
    static let encodedOf16Bit: [Float] = (0..<65536).map { fromLinear(Float($0) / 65535) }

    /// Converts libpng's 16-bit linear output (optionally premultiplied) back into display values.
    ///
    /// libpng linearised the samples with the file's gamma. A file gamma near 1/2.2 counts as sRGB
    /// (as libpng's own 8-bit path treats it), so the exact inverse power curve recovers the stored
    /// values; otherwise the samples are encoded with the sRGB curve, as the 8-bit path would.
    static func encodeLinear16(_ wide: [UInt16], channels: Int, premultiplied: Bool, fileGamma: Double? = nil) -> [Float] {
        var out = [Float](repeating: 0, count: wide.count)
        var fromLinear: (Float) -> Float = { SRGBTransfer.fromLinear($0) }
        var table = encodedOf16Bit
        if let g = fileGamma, abs(g - 0.45455) < 0.05 {
            let exponent = Float(g)
            fromLinear = { powf($0, exponent) }
            table = (0..<65536).map { powf(Float($0) / 65535, exponent) }
        }
        let pixelCount = wide.count / channels
        for p in 0..<pixelCount {
            let base = p * channels
            if premultiplied {
                let a = Float(wide[base + 3]) / 65535
                out[base + 3] = a
                for k in 0..<3 {
                    let linear = a > 0 ? min(Float(wide[base + k]) / 65535 / a, 1) : 0
                    out[base + k] = fromLinear(linear)
                }
            } else {
                for k in 0..<channels { out[base + k] = table[Int(wide[base + k])] }
            }
        }
        return out
    }
}

// MARK: - Fast paths

extension SRGBTransfer {
    /// `toLinear` sampled at 4097 points over [0, 1] (index = value × 4096), for per-pixel loops.
    public static let linearTable4096: [Float] = (0...4096).map { toLinear(Float($0) / 4096) }
}
