import Foundation

/// Text the Preview pane draws around its picture: a plot's axes, or labelled bars under it.
public enum PreviewAnnotation: Equatable, Sendable {
    /// Tick labels: `x` on the row under the picture (positions 0…1, left to right), `y` in a
    /// gutter on its left (0…1, top to bottom).
    case axes(x: [AxisTick], y: [AxisTick])
    /// Rows of labelled bars under the picture (a classifier's top classes).
    case bars([LabelledBar])

    /// Columns the left gutter takes (y labels right-aligned, one space before the picture).
    public var gutterWidth: Int {
        guard case .axes(_, let y) = self, !y.isEmpty else { return 0 }
        return min(8, (y.map { $0.label.count }.max() ?? 0) + 1)
    }

    /// Rows taken under the picture.
    public var rowsBelow: Int {
        switch self {
        case .axes(let x, _): return x.isEmpty ? 0 : 1
        case .bars(let bars): return bars.count
        }
    }
}

/// A labelled place on an axis.
public struct AxisTick: Equatable, Sendable {
    /// 0…1 along the axis (left to right, or top to bottom).
    public var position: Double
    public var label: String

    public init(position: Double, label: String) {
        self.position = position; self.label = label
    }

    /// Ticks at round times over `duration` seconds, at most `count` of them: `0s 5s 10s`, `1:30` past a minute.
    public static func times(duration: Double, count: Int = 6) -> [AxisTick] {
        guard duration.isFinite, duration > 0, count > 1 else { return [] }
        let steps: [Double] = [0.05, 0.1, 0.2, 0.25, 0.5, 1, 2, 5, 10, 15, 20, 30, 60, 120, 300, 600, 900, 1800, 3600]
        let step = steps.first { duration / $0 <= Double(count - 1) } ?? duration / Double(count - 1)
        var ticks: [AxisTick] = []
        var t = 0.0
        while t <= duration + 1e-9, ticks.count <= count {
            ticks.append(AxisTick(position: t / duration, label: timeLabel(t, step: step)))
            t += step
        }
        return ticks
    }

    /// `12s`, `1.5s`, `2:05` (whole seconds without decimals).
    static func timeLabel(_ t: Double, step: Double) -> String {
        if t >= 60 && step >= 1 {
            let whole = Int(t.rounded())
            return "\(whole / 60):" + String(format: "%02d", whole % 60)
        }
        if step < 1 && abs(t - t.rounded()) > 1e-9 {
            let digits = step < 0.1 ? 2 : 1
            return String(format: "%.\(digits)fs", t)
        }
        return "\(Int(t.rounded()))s"
    }
}

/// One bar: a label, a fill 0…1 and the value as text.
public struct LabelledBar: Equatable, Sendable {
    public var label: String
    public var fraction: Double
    public var value: String

    public init(label: String, fraction: Double, value: String) {
        self.label = label; self.fraction = fraction; self.value = value
    }
}
