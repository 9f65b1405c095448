/// Numbers as people read them: byte counts, transfer rates, durations, fixed decimals.
///
/// One convention everywhere: byte counts use decimal SI units (1 kB = 1,000 B, 1 MB = 10⁶ B),
/// as disk makers, curl's `--progress-bar`-less summaries and most package registries print them.
public enum HumanReadable {
    // MARK: Bytes

    /// `bytes` as "812 B", "14.2 MB" or "215 GB" (one decimal below 100 of a unit).
    public static func bytes(_ bytes: Int64) -> String {
        let units = ["B", "kB", "MB", "GB", "TB", "PB"]
        var value = Double(bytes)
        var unit = 0
        while abs(value) >= 1000, unit < units.count - 1 { value /= 1000; unit += 1 }
        if unit == 0 { return "\(bytes) B" }
        // Rounding may carry into the next unit (999.96 kB → "1000 kB"): print it in that unit.
        if abs(value) >= 999.5, unit < units.count - 1 { value /= 1000; unit += 1 }
        return fixed(value, digits: abs(value) < 100 ? 1 : 0) + " " + units[unit]
    }

    /// `bytes` as "14.2 MB" (an `Int` count).
    public static func bytes(_ bytes: Int) -> String { self.bytes(Int64(bytes)) }

    /// A transfer rate as "12.3 MB/s" ("-- B/s" when unknown).
    public static func rate(_ bytesPerSecond: Double) -> String {
        guard bytesPerSecond.isFinite, bytesPerSecond > 0, bytesPerSecond < 9e18 else { return "-- B/s" }
        return bytes(Int64(bytesPerSecond)) + "/s"
    }

    // MARK: Time

    /// A duration as "42s", "3m05s" or "2h07m" ("--" when unknown).
    public static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0, seconds < 1e12 else { return "--" }
        let s = Int(seconds.rounded())
        if s < 60 { return "\(s)s" }
        if s < 3600 { return "\(s / 60)m" + pad2(s % 60) + "s" }
        return "\(s / 3600)h" + pad2((s % 3600) / 60) + "m"
    }

    // MARK: Numbers

    /// `value` with exactly `digits` decimals ("—" for NaN or infinity), without Foundation formatting.
    public static func fixed(_ value: Double, digits: Int) -> String {
        guard value.isFinite, abs(value) < 1e15 else { return "—" }
        var scale = 1.0
        for _ in 0..<max(0, digits) { scale *= 10 }
        let scaled = (value * scale).rounded()
        guard abs(scaled) < 9e18 else { return String(value) }
        let integer = Int64(scaled)
        let whole = integer / Int64(scale)
        let fraction = abs(integer % Int64(scale))
        let sign = integer < 0 && whole == 0 ? "-" : ""
        if digits <= 0 { return "\(whole)" }
        var fractionText = "\(fraction)"
        while fractionText.count < digits { fractionText = "0" + fractionText }
        return "\(sign)\(whole).\(fractionText)"
    }

    private static func pad2(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
}
