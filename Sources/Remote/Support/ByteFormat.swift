import Media

/// Human-readable byte counts, rates and durations for progress lines and messages.
public enum ByteFormat {
    /// `bytes` as "12.3 MB" (decimal units, one decimal above 1 kB).
    public static func string(_ bytes: Int64) -> String {
        let units = ["B", "kB", "MB", "GB", "TB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1000, unit < units.count - 1 { value /= 1000; unit += 1 }
        if unit == 0 { return "\(bytes) B" }
        return fixed(value, digits: value < 100 ? 1 : 0) + " " + units[unit]
    }

    /// A transfer rate as "12.3 MB/s".
    public static func rate(_ bytesPerSecond: Double) -> String {
        guard bytesPerSecond > 0, let whole = bytesPerSecond.roundedInt(.down) else { return "-- B/s" }
        return string(Int64(whole)) + "/s"
    }

    /// A duration as "42s", "3m05s" or "2h07m".
    public static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0, let s = seconds.roundedInt() else { return "--" }
        if s < 60 { return "\(s)s" }
        if s < 3600 { return "\(s / 60)m" + pad2(s % 60) + "s" }
        return "\(s / 3600)h" + pad2((s % 3600) / 60) + "m"
    }

    /// `value` with a fixed number of decimals (no Foundation formatting).
    /// (Values that are not finite, or too large for 64-bit integers, come out in plain notation.)
    public static func fixed(_ value: Double, digits: Int) -> String {
        var scale = 1.0
        for _ in 0..<min(max(digits, 0), 15) { scale *= 10 }
        guard let rounded = (value * scale).roundedInt(), abs(rounded) < 1 << 62 else { return "\(value)" }
        let scaled = Int64(rounded)
        let whole = scaled / Int64(scale)
        let frac = scaled % Int64(scale)
        if digits == 0 { return "\(whole)" }
        var fracText = "\(abs(frac))"
        while fracText.count < digits { fracText = "0" + fracText }
        return "\(whole).\(fracText)"
    }

    private static func pad2(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
}
