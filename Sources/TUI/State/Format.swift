import Media

/// Short human-readable numbers for the panes.
public enum Format {
    /// 1536 → "1.5 KB", 14212972 → "13.6 MB".
    public static func bytes(_ n: Int) -> String {
        let units = ["B", "KB", "MB", "GB", "TB"]
        var value = Double(n)
        var unit = 0
        while value >= 1024 && unit < units.count - 1 { value /= 1024; unit += 1 }
        if unit == 0 { return "\(n) B" }
        return value >= 100 ? "\(Int(value.rounded())) \(units[unit])" : "\(decimal(value, 1)) \(units[unit])"
    }

    /// Seconds as "42 s", "3 m 05 s", "1 h 02 m".
    public static func duration(_ seconds: Double) -> String {
        guard seconds >= 0, let s = seconds.roundedInt() else { return "—" }
        if s < 60 { return "\(s) s" }
        if s < 3600 { return "\(s / 60) m \(pad2(s % 60)) s" }
        return "\(s / 3600) h \(pad2((s % 3600) / 60)) m"
    }

    /// A number with `places` decimals.
    public static func decimal(_ value: Double, _ places: Int) -> String {
        guard value.isFinite else { return "—" }
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let rounded = (value * scale).rounded() / scale
        var text = String(rounded)
        if let dot = text.firstIndex(of: ".") {
            let decimals = text.distance(from: dot, to: text.endIndex) - 1
            if decimals < places { text += String(repeating: "0", count: places - decimals) }
            if places == 0 { text = String(text[..<dot]) }
        } else if places > 0 {
            text += "." + String(repeating: "0", count: places)
        }
        return text
    }

    private static func pad2(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
}
