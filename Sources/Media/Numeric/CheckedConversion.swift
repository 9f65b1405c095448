/// Conversions from floating-point values that may come from files, headers or models (NaN, ±∞,
/// or beyond `Int`'s range) to integers, without the trap of a plain `Int(x)`.
extension BinaryFloatingPoint {
    // MARK: Checked

    /// The value rounded by `rule` as an `Int`, or nil when it is NaN, infinite or outside `Int`'s range.
    public func roundedInt(_ rule: FloatingPointRoundingRule = .toNearestOrAwayFromZero) -> Int? {
        guard isFinite else { return nil }
        let rounded = self.rounded(rule)
        // 2^63 is the first value beyond Int.max; every finite double below it converts.
        guard rounded >= -0x1p63, rounded < 0x1p63 else { return nil }
        return Int(rounded)
    }

    // MARK: Clamped

    /// The value rounded by `rule` and clamped into `range` (−∞ and +∞ to its ends), or nil for NaN.
    public func roundedInt(_ rule: FloatingPointRoundingRule = .toNearestOrAwayFromZero,
                           clampedTo range: ClosedRange<Int>) -> Int? {
        guard !isNaN else { return nil }
        if self <= Self(range.lowerBound) { return range.lowerBound }
        if self >= Self(range.upperBound) { return range.upperBound }
        let rounded = self.rounded(rule)
        guard let value = rounded.roundedInt(.towardZero) else { return rounded < 0 ? range.lowerBound : range.upperBound }
        return Swift.min(Swift.max(value, range.lowerBound), range.upperBound)
    }
}
