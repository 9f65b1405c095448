import Foundation

/// Time intervals with a text label each, as `.lab` files hold them (`start end label`, one per line),
/// and the interval algebra mir_eval's chord evaluation uses: `adjust_intervals` and
/// `merge_labeled_intervals`.
public struct LabeledIntervals: Sendable, Equatable {
    /// `(start, end)` in seconds, in file order.
    public var intervals: [(start: Double, end: Double)]
    /// One label per interval.
    public var labels: [String]
    /// Where they were read from (a path), for messages; empty when built in code.
    public var source: String

    /// Intervals with one label each; `source` names where they came from.
    public init(intervals: [(start: Double, end: Double)], labels: [String], source: String = "") {
        precondition(intervals.count == labels.count, "one label per interval")
        self.intervals = intervals
        self.labels = labels
        self.source = source
    }

    /// Equal intervals and labels (where they were read from does not count).
    public static func == (a: LabeledIntervals, b: LabeledIntervals) -> Bool {
        a.labels == b.labels && a.intervals.map(\.start) == b.intervals.map(\.start) && a.intervals.map(\.end) == b.intervals.map(\.end)
    }

    /// Number of intervals.
    public var count: Int { intervals.count }
    /// Durations (end − start) of the intervals.
    public var durations: [Double] { intervals.map { $0.end - $0.start } }

    // MARK: Reading and writing

    /// Reads a `.lab` file: whitespace-separated `start end label` (the label is the rest of the line),
    /// `#` comment lines and blank lines skipped, as `mir_eval.io.load_labeled_intervals` reads it.
    public static func read(_ path: String) throws -> LabeledIntervals {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw EvaluationFileError(path: path, line: nil, reason: "cannot be read (missing or not a file)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw EvaluationFileError(path: path, line: nil, reason: "is not UTF-8 text")
        }
        return try parse(text, path: path)
    }

    /// Parses `.lab` text; `path` names the source in errors.
    public static func parse(_ text: String, path: String = "<text>") throws -> LabeledIntervals {
        var intervals: [(start: Double, end: Double)] = []
        var labels: [String] = []
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            var fields: [Substring] = []
            var rest = Substring(line)
            for _ in 0..<2 {
                guard let space = rest.firstIndex(where: { $0 == " " || $0 == "\t" }) else { break }
                fields.append(rest[..<space])
                rest = rest[space...].drop { $0 == " " || $0 == "\t" }
            }
            fields.append(rest)
            guard fields.count == 3, !fields[2].isEmpty else {
                throw EvaluationFileError(path: path, line: number + 1, reason: "expected 'start end label', got '\(line)'")
            }
            guard let start = Double(fields[0]), let end = Double(fields[1]), start.isFinite, end.isFinite else {
                throw EvaluationFileError(path: path, line: number + 1, reason: "times must be numbers in seconds, got '\(fields[0])' and '\(fields[1])'")
            }
            guard start >= 0, end >= start else {
                throw EvaluationFileError(path: path, line: number + 1,
                                          reason: "an interval needs 0 ≤ start ≤ end, got \(fields[0]) … \(fields[1])")
            }
            intervals.append((start, end))
            labels.append(String(fields[2]))
        }
        return LabeledIntervals(intervals: intervals, labels: labels, source: path)
    }

    /// The `.lab` text: `start<TAB>end<TAB>label` with times to 6 decimals.
    public var labText: String {
        var out = ""
        for (interval, label) in zip(intervals, labels) {
            out += String(format: "%.6f\t%.6f\t", interval.start, interval.end) + label + "\n"
        }
        return out
    }

    // MARK: mir_eval's interval algebra

    /// `mir_eval.util.adjust_intervals`: drops intervals outside `tMin…tMax`, clips the rest, and pads
    /// with `fill`-labelled intervals where the span falls short.
    public func adjusted(tMin: Double, tMax: Double, fill: String) -> LabeledIntervals {
        if intervals.isEmpty { return LabeledIntervals(intervals: [(tMin, tMax)], labels: [fill], source: source) }
        var ivs = intervals, labs = labels
        if let first = ivs.firstIndex(where: { $0.end >= tMin }) {
            ivs = Array(ivs[first...]); labs = Array(labs[first...])
        }
        ivs = ivs.map { (max(tMin, $0.start), max(tMin, $0.end)) }
        let low = ivs.map { min($0.start, $0.end) }.min() ?? tMin
        if low > tMin { ivs.insert((tMin, low), at: 0); labs.insert(fill, at: 0) }
        if let last = ivs.firstIndex(where: { $0.start > tMax }) {
            ivs = Array(ivs[..<last]); labs = Array(labs[..<last])
        }
        ivs = ivs.map { (min(tMax, $0.start), min(tMax, $0.end)) }
        let high = ivs.map { max($0.start, $0.end) }.max() ?? tMax
        if ivs.isEmpty || high < tMax { ivs.append((ivs.isEmpty ? tMin : high, tMax)); labs.append(fill) }
        return LabeledIntervals(intervals: ivs, labels: labs, source: source)
    }

    /// `mir_eval.util.merge_labeled_intervals`: the common refinement of two sequences that span the same
    /// range — every boundary of either one — with each side's label at the start of every piece (the
    /// last interval, in order, that starts at or before it).
    public static func merge(_ x: LabeledIntervals, _ y: LabeledIntervals) throws -> (intervals: [(start: Double, end: Double)], x: [String], y: [String]) {
        guard let x0 = x.intervals.first, let y0 = y.intervals.first, x0.start == y0.start,
              x.intervals.last!.end == y.intervals.last!.end else {
            throw EvaluationFileError(path: "", line: nil, reason: "the two interval lists do not span the same time range")
        }
        let boundaries = Array(Set(x.intervals.flatMap { [$0.start, $0.end] } + y.intervals.flatMap { [$0.start, $0.end] })).sorted()
        var pieces: [(start: Double, end: Double)] = []
        var xl: [String] = [], yl: [String] = []
        for i in 0..<max(0, boundaries.count - 1) {
            let t0 = boundaries[i]
            pieces.append((t0, boundaries[i + 1]))
            xl.append(x.labels[x.lastIndex(startingAtOrBefore: t0)])
            yl.append(y.labels[y.lastIndex(startingAtOrBefore: t0)])
        }
        return (pieces, xl, yl)
    }

    /// The highest index whose interval starts at or before `t` (0 when none does).
    func lastIndex(startingAtOrBefore t: Double) -> Int {
        var found = 0
        for (i, interval) in intervals.enumerated() where interval.start <= t { found = i }
        return found
    }
}

/// A reference or estimate file that cannot be scored.
public struct EvaluationFileError: Error, Equatable, CustomStringConvertible {
    /// The file (empty when there is none), the 1-based line if one is to blame, and what is wrong.
    public var path: String
    public var line: Int?
    public var reason: String
    /// An error about `path` (and `line`).
    public init(path: String, line: Int?, reason: String) { self.path = path; self.line = line; self.reason = reason }
    /// `path:line: reason`.
    public var description: String {
        let place = path.isEmpty ? "" : (line.map { "\(path):\($0): " } ?? "\(path): ")
        return place + reason
    }
}
