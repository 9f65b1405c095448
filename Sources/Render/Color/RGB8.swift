import Glibc

/// An 8-bit sRGB colour, the unit a terminal cell is painted with.
public struct RGB8: Hashable, Sendable, CustomStringConvertible {
    public var r: UInt8
    public var g: UInt8
    public var b: UInt8

    @inlinable public init(_ r: UInt8, _ g: UInt8, _ b: UInt8) {
        self.r = r; self.g = g; self.b = b
    }

    /// The colour packed as 0xRRGGBB.
    @inlinable public var packed: UInt32 { UInt32(r) << 16 | UInt32(g) << 8 | UInt32(b) }

    /// Hex notation, e.g. `#ff8800`.
    public var description: String {
        let digits = Array("0123456789abcdef")
        return "#" + [r, g, b].map { String(digits[Int($0 >> 4)]) + String(digits[Int($0 & 15)]) }.joined()
    }

    /// Parses `#rrggbb` or `rrggbb`.
    public init?(hex: String) {
        let text = hex.hasPrefix("#") ? String(hex.dropFirst()) : hex
        guard text.count == 6, let value = UInt32(text, radix: 16) else { return nil }
        self.init(UInt8(value >> 16), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF))
    }

    // MARK: Perceptual space

    /// The colour in Oklab (L, a, b), where Euclidean distance approximates perceived difference.
    public var oklab: SIMD3<Float> {
        let table = RGB8.linearTable
        let lr = table[Int(r)], lg = table[Int(g)], lb = table[Int(b)]
        let l = cbrtf(0.4122214708 * lr + 0.5363325363 * lg + 0.0514459929 * lb)
        let m = cbrtf(0.2119034982 * lr + 0.6806995451 * lg + 0.1073969566 * lb)
        let s = cbrtf(0.0883024619 * lr + 0.2817188376 * lg + 0.6299787005 * lb)
        return SIMD3(0.2104542553 * l + 0.7936177850 * m - 0.0040720468 * s,
                     1.9779984951 * l - 2.4285922050 * m + 0.4505937099 * s,
                     0.0259040371 * l + 0.7827717662 * m - 0.8086757660 * s)
    }

    /// Linear-light value of each 8-bit sRGB code.
    static let linearTable: [Float] = (0..<256).map { i in
        let v = Float(i) / 255
        return v <= 0.04045 ? v / 12.92 : powf((v + 0.055) / 1.055, 2.4)
    }
}
