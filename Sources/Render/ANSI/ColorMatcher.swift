/// Whether the terminal may show one colour key where another is asked for: the same key, or in
/// 24-bit mode with a tolerance, every channel within it. An unknown colour (`SGRPlanner.unset`)
/// matches nothing.
struct ColorMatcher {
    /// Whether nearly equal colours match (24-bit mode with a tolerance above 0).
    let fuzzy: Bool
    /// The largest difference per byte of a key that still matches (0 unless `fuzzy`).
    let limit: UInt8

    init(mode: ColorMode, tolerance: Int) {
        fuzzy = tolerance > 0 && mode == .truecolor
        limit = fuzzy ? UInt8(clamping: tolerance) : 0
    }

    // MARK: One pair

    /// Whether key `b` may be shown as key `a` (either may be `SGRPlanner.unset`).
    @inline(__always) func matches(_ a: UInt32, _ b: UInt32) -> Bool {
        guard (a | b) >> 24 == 0 else { return false }  // keys are below 2^24; `unset` is not
        if a == b { return true }
        guard fuzzy else { return false }
        let x = unsafeBitCast(a, to: SIMD4<UInt8>.self), y = unsafeBitCast(b, to: SIMD4<UInt8>.self)
        return all(pointwiseMax(x, y) &- pointwiseMin(x, y) .<= SIMD4(repeating: limit))
    }

    // MARK: Eight pairs at once

    /// The channels of eight colour keys (no `unset`), for `matchBits`.
    struct Channels {
        var r: SIMD8<Int32>, g: SIMD8<Int32>, b: SIMD8<Int32>

        @inline(__always) init(_ keys: SIMD8<UInt32>) {
            let k = SIMD8<Int32>(truncatingIfNeeded: keys)
            r = k &>> 16
            g = (k &>> 8) & 0xFF
            b = k & 0xFF
        }
    }

    /// `bit` in each lane whose colours match (as `matches` says for colour keys), 0 elsewhere.
    /// Plain integer lane arithmetic, which the compiler keeps in vector registers (masks and
    /// `replacing(with:where:)` on wide vectors were compiled lane by lane).
    @inline(__always) func matchBits(_ x: Channels, _ y: Channels, bit: Int32) -> SIMD8<UInt32> {
        let t = Int32(limit), twice = 2 * Int32(limit)
        // A channel is off when x − y + t leaves 0…2t, i.e. when it or 2t − it is negative.
        @inline(__always) func off(_ a: SIMD8<Int32>, _ b: SIMD8<Int32>) -> SIMD8<Int32> {
            let v = a &- b &+ t
            return v | (twice &- v)
        }
        let anyOff = (off(x.r, y.r) | off(x.g, y.g) | off(x.b, y.b)) &>> 31  // -1 or 0
        return SIMD8<UInt32>(truncatingIfNeeded: ~anyOff & bit)
    }
}
