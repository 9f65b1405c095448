/// A stretch of constant tempo.
public struct TempoSegment: Sendable, Equatable {
    public var start: Double
    public var end: Double
    /// Beats per minute at the beat level of the beat list.
    public var bpm: Double

    public init(start: Double, end: Double, bpm: Double) { self.start = start; self.end = end; self.bpm = bpm }
}

/// The tempo of a beat list, and where it changes: segments of steady inter-beat intervals.
public enum TempoSegments {
    /// Segments covering the first to the last beat; a new one starts where the median interval of the next
    /// `window` beats differs from the current segment's by more than `tolerance` (a fraction).
    public static func segments(_ beats: [Double], window: Int = 4, tolerance: Double = 0.08) -> [TempoSegment] {
        guard beats.count >= 2 else { return [] }
        let intervals = zip(beats.dropFirst(), beats).map { $0 - $1 }
        func median(_ values: ArraySlice<Double>) -> Double {
            let sorted = values.sorted()
            return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : 0.5 * (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2])
        }
        var cuts = [0]
        var i = 1
        while i < intervals.count {
            let current = median(intervals[cuts.last!..<i])
            let ahead = intervals[i..<min(intervals.count, i + window)]
            if ahead.count >= min(window, intervals.count - i), ahead.count >= 2 || i + ahead.count == intervals.count,
               abs(median(ahead) / current - 1) > tolerance, abs(intervals[i] / current - 1) > tolerance, i - cuts.last! >= 2 {
                cuts.append(i)
                i += 1
                continue
            }
            i += 1
        }
        cuts.append(intervals.count)
        // Segments shorter than twice `window` intervals (a transition, a ritardando at the very end) join the
        // neighbour whose tempo is closer.
        var spans = zip(cuts, cuts.dropFirst()).filter { $0.1 > $0.0 }.map { (start: $0.0, end: $0.1) }
        while spans.count > 1, let short = spans.indices.min(by: { spans[$0].end - spans[$0].start < spans[$1].end - spans[$1].start }),
              spans[short].end - spans[short].start < 2 * window {
            let own = median(intervals[spans[short].start..<spans[short].end])
            func distance(_ j: Int) -> Double { abs(median(intervals[spans[j].start..<spans[j].end]) / own - 1) }
            let neighbour = short == 0 ? 1 : short == spans.count - 1 ? short - 1 : (distance(short - 1) <= distance(short + 1) ? short - 1 : short + 1)
            let merged = (start: min(spans[short].start, spans[neighbour].start), end: max(spans[short].end, spans[neighbour].end))
            spans[min(short, neighbour)] = merged
            spans.remove(at: max(short, neighbour))
        }
        return spans.map { TempoSegment(start: beats[$0.start], end: beats[$0.end], bpm: 60 / median(intervals[$0.start..<$0.end])) }
    }

    /// One tempo for the whole list: 60 / the median inter-beat interval (0 with fewer than two beats).
    public static func overall(_ beats: [Double]) -> Double {
        guard beats.count >= 2 else { return 0 }
        let sorted = zip(beats.dropFirst(), beats).map { $0 - $1 }.sorted()
        let m = sorted.count % 2 == 1 ? sorted[sorted.count / 2] : 0.5 * (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2])
        return m > 0 ? 60 / m : 0
    }
}
