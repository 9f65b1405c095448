/// Nearest-colour lookup in the terminal palettes, by Oklab distance.
public enum TerminalPalette {
    /// The six channel levels of the xterm 6×6×6 colour cube (indices 16–231).
    public static let cubeLevels: [UInt8] = [0, 95, 135, 175, 215, 255]

    /// The RGB value of xterm colour `index` (0–255; 0–15 are xterm's default ANSI colours).
    public static func color(ofIndex index: Int) -> RGB8 {
        switch index {
        case 0..<16: return ansi16[index]
        case 16..<232:
            let i = index - 16
            return RGB8(cubeLevels[i / 36], cubeLevels[(i / 6) % 6], cubeLevels[i % 6])
        default:
            let v = UInt8(8 + 10 * (index - 232))
            return RGB8(v, v, v)
        }
    }

    /// xterm's default values for the 16 ANSI colours.
    public static let ansi16: [RGB8] = [
        RGB8(0, 0, 0), RGB8(205, 0, 0), RGB8(0, 205, 0), RGB8(205, 205, 0),
        RGB8(0, 0, 238), RGB8(205, 0, 205), RGB8(0, 205, 205), RGB8(229, 229, 229),
        RGB8(127, 127, 127), RGB8(255, 0, 0), RGB8(0, 255, 0), RGB8(255, 255, 0),
        RGB8(92, 92, 255), RGB8(255, 0, 255), RGB8(0, 255, 255), RGB8(255, 255, 255),
    ]

    private static let oklab256: [SIMD3<Float>] = (0..<256).map { color(ofIndex: $0).oklab }

    /// The nearest colour among 16–255 (the cube and grey ramp; 0–15 vary between terminal themes).
    ///
    /// Only plausible candidates are compared: the cube points within two levels of the colour on
    /// each axis and the greys around its mean (tested against an exhaustive search).
    public static func nearest256(_ c: RGB8) -> UInt8 {
        let target = c.oklab
        var best = 16, bestDistance = Float.infinity
        let rs = levelCandidates(c.r), gs = levelCandidates(c.g), bs = levelCandidates(c.b)
        for r in rs { for g in gs { for b in bs {
            let index = 16 + 36 * r + 6 * g + b
            let d = distance(oklab256[index], target)
            if d < bestDistance { bestDistance = d; best = index }
        } } }
        let grey = (Int(c.r) + Int(c.g) + Int(c.b)) / 3
        let g0 = min(23, max(0, (grey - 8) / 10))
        for index in (232 + max(0, g0 - 2))...(232 + min(23, g0 + 3)) {
            let d = distance(oklab256[index], target)
            if d < bestDistance { bestDistance = d; best = index }
        }
        return UInt8(best)
    }

    /// The nearest of the 16 ANSI colours.
    public static func nearest16(_ c: RGB8) -> UInt8 {
        let target = c.oklab
        var best = 0, bestDistance = Float.infinity
        for index in 0..<16 {
            let d = distance(oklab256[index], target)
            if d < bestDistance { bestDistance = d; best = index }
        }
        return UInt8(best)
    }

    /// The cube levels around a channel value (two on each side): perceptual distance can prefer
    /// a level that is not the nearest on that channel alone.
    private static func levelCandidates(_ v: UInt8) -> ClosedRange<Int> {
        var upper = 0
        while upper < 5 && cubeLevels[upper] < v { upper += 1 }
        return max(0, upper - 2)...min(5, upper + 1)
    }

    @inline(__always) private static func distance(_ a: SIMD3<Float>, _ b: SIMD3<Float>) -> Float {
        let d = a - b
        return (d * d).sum()
    }
}
