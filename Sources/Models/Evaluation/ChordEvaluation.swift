import Foundation

/// Chord-recognition scores as `mir_eval.chord.evaluate` computes them: the estimate is clipped and
/// padded with `N` to the reference's span, both are cut at every boundary of either, and each
/// comparison rule scores the pieces weighted by duration (pieces a rule leaves out, such as `X` or —
/// for `majmin` — a reference `sus4`, weigh nothing). Segmentation scores compare the boundaries of
/// runs of equal chords.
public struct ChordEvaluation: Sendable, Equatable {
    /// A comparison rule of `mir_eval.chord`.
    public enum Metric: String, Sendable, CaseIterable {
        case root, majmin
        case majminInv = "majmin_inv"
        case sevenths
        case seventhsInv = "sevenths_inv"
        case tetrads
        case tetradsInv = "tetrads_inv"
        case thirds
        case thirdsInv = "thirds_inv"
        case triads
        case triadsInv = "triads_inv"
        case mirex
    }

    /// Duration-weighted accuracy per metric.
    public var scores: [Metric: Double]
    /// 1 − directional Hamming distance of the reference's segments to the estimate's.
    public var overSegmentation: Double
    /// The same the other way round.
    public var underSegmentation: Double
    /// The smaller of the two.
    public var segmentation: Double { min(overSegmentation, underSegmentation) }

    /// The score of `metric`.
    public subscript(metric: Metric) -> Double { scores[metric] ?? 0 }

    // MARK: Evaluating

    /// Scores `estimate` against `reference`; throws for a label that does not parse or an empty reference.
    public static func evaluate(reference: LabeledIntervals, estimate: LabeledIntervals) throws -> ChordEvaluation {
        guard !reference.intervals.isEmpty else {
            throw EvaluationFileError(path: reference.source, line: nil, reason: "the reference has no intervals")
        }
        // mir_eval refuses these too (intervals that do not align, or overlap).
        for (name, side) in [("reference", reference), ("estimate", estimate)] {
            for i in 1..<max(1, side.count) where side.intervals[i].start < side.intervals[i - 1].end - 1e-9 {
                throw EvaluationFileError(path: side.source, line: nil, reason: "the \(name)'s intervals are not in time order: interval \(i + 1) "
                    + "starts at \(side.intervals[i].start) s, before interval \(i) ends at \(side.intervals[i - 1].end) s (sort the lines and remove overlaps)")
            }
        }
        do {
            return try score(reference: reference, estimate: estimate)
        } catch let error as HarteChord.ParseError {
            // Name the file the label came from.
            let side = reference.labels.contains(error.label) ? reference : estimate
            guard !side.source.isEmpty else { throw error }
            throw EvaluationFileError(path: side.source, line: nil, reason: error.description)
        }
    }

    /// The scores of parsed interval lists.
    static func score(reference: LabeledIntervals, estimate: LabeledIntervals) throws -> ChordEvaluation {
        let all = reference.intervals.flatMap { [$0.start, $0.end] }
        let adjusted = estimate.adjusted(tMin: all.min()!, tMax: all.max()!, fill: "N")
        let merged = try LabeledIntervals.merge(reference, adjusted)
        var cache: [String: HarteChord] = [:]
        func chord(_ label: String) throws -> HarteChord {
            if let c = cache[label] { return c }
            let c = try HarteChord(label)
            cache[label] = c
            return c
        }
        let refs = try merged.x.map { try chord($0).encoding() }
        let ests = try merged.y.map { try chord($0).encoding() }
        let weights = merged.intervals.map { $0.end - $0.start }
        var scores: [Metric: Double] = [:]
        for metric in Metric.allCases {
            let comparisons = zip(refs, ests).map { compare(metric, reference: $0, estimate: $1) }
            scores[metric] = weightedAccuracy(comparisons, weights: weights)
        }
        let refSegments = try segments(reference.intervals, reference.labels, chord)
        let estSegments = try segments(adjusted.intervals, adjusted.labels, chord)
        return ChordEvaluation(scores: scores,
                               overSegmentation: 1 - directionalHammingDistance(refSegments, estSegments),
                               underSegmentation: 1 - directionalHammingDistance(estSegments, refSegments))
    }

    /// Reads two `.lab` files and scores the second against the first.
    public static func evaluate(referencePath: String, estimatePath: String) throws -> ChordEvaluation {
        try evaluate(reference: try LabeledIntervals.read(referencePath), estimate: try LabeledIntervals.read(estimatePath))
    }

    // MARK: Comparison rules

    /// The score of one piece under `metric`: 1 or 0, or -1 when the rule leaves the reference out.
    public static func compare(_ metric: Metric, reference r: HarteChord.Encoding, estimate e: HarteChord.Encoding) -> Double {
        let rootEqual = r.root == e.root, bassEqual = r.bass == e.bass
        let unknown = r.semitones.contains { $0 < 0 }
        let triadEqual = r.semitones[0..<8] == e.semitones[0..<8]
        let allEqual = r.semitones == e.semitones
        func score(_ ok: Bool) -> Double { ok ? 1 : 0 }
        // A bass note the reference chord does not contain makes an inversion rule skip it (never
        // happens for parsed labels, whose bass is always added to the semitones, as in mir_eval).
        let inversionValid = r.bass < 0 || r.semitones[r.bass] != 0
        switch metric {
        case .root: return unknown ? -1 : score(rootEqual)
        case .thirds: return unknown ? -1 : score(rootEqual && r.semitones[3] == e.semitones[3])
        case .thirdsInv: return unknown ? -1 : score(rootEqual && r.semitones[3] == e.semitones[3] && bassEqual)
        case .triads: return unknown ? -1 : score(rootEqual && triadEqual)
        case .triadsInv: return unknown ? -1 : score(rootEqual && triadEqual && bassEqual)
        case .tetrads: return unknown ? -1 : score(rootEqual && allEqual)
        case .tetradsInv: return unknown ? -1 : score(rootEqual && allEqual && bassEqual)
        case .majmin, .majminInv:
            let head = Array(r.semitones[0..<8])
            let valid = head == majorHead || head == minorHead || (r.root < 0 && r.semitones.allSatisfy { $0 == 0 })
            guard valid else { return -1 }
            if metric == .majmin { return score(rootEqual && triadEqual) }
            return inversionValid ? score(rootEqual && bassEqual && triadEqual) : -1
        case .sevenths, .seventhsInv:
            guard seventhsGamut.contains(r.semitones) else { return -1 }
            if metric == .sevenths { return score(rootEqual && allEqual) }
            return inversionValid ? score(rootEqual && bassEqual && allEqual) : -1
        case .mirex:
            let count = r.semitones.filter { $0 > 0 }.count
            if (count > 0 && count < 3) || unknown { return -1 }
            if r.root == -1 && e.root == -1 { return 1 }
            let shared = zip(r.pitchClasses, e.pitchClasses).reduce(0) { $0 + $1.0 * $1.1 }
            return score(shared >= 3)
        }
    }

    static let majorHead = Array(HarteChord.qualityBitmaps["maj"]![0..<8])
    static let minorHead = Array(HarteChord.qualityBitmaps["min"]![0..<8])
    static let seventhsGamut: Set<[Int]> = Set(["maj", "min", "maj7", "7", "min7", ""].map { HarteChord.qualityBitmaps[$0]! })

    /// `mir_eval.chord.weighted_accuracy`: the weighted mean of the comparisons that count (≥ 0); 0 when
    /// there is no weight or nothing counts.
    public static func weightedAccuracy(_ comparisons: [Double], weights: [Double]) -> Double {
        guard weights.reduce(0, +) > 0 else { return 0 }
        var total = 0.0, sum = 0.0
        for (c, w) in zip(comparisons, weights) where c >= 0 { total += w; sum += c * w }
        return total > 0 ? sum / total : 0
    }

    // MARK: Segmentation

    /// `merge_chord_intervals`: runs of equal chords (root, semitones with extensions reduced, bass) joined.
    static func segments(_ intervals: [(start: Double, end: Double)], _ labels: [String],
                         _ chord: (String) throws -> HarteChord) throws -> [(start: Double, end: Double)] {
        var out: [(start: Double, end: Double)] = []
        var previous: HarteChord.Encoding?
        for (interval, label) in zip(intervals, labels) {
            let encoding = try chord(label).encoding(reduceExtended: true)
            if encoding != previous || out.isEmpty {
                out.append(interval)
                previous = encoding
            } else {
                out[out.count - 1].end = interval.end
            }
        }
        return out
    }

    /// Harte's directional Hamming distance: for each reference segment, the part not covered by the
    /// largest estimate piece inside it, summed and divided by the reference's span.
    static func directionalHammingDistance(_ reference: [(start: Double, end: Double)], _ estimate: [(start: Double, end: Double)]) -> Double {
        guard let first = reference.first, let last = reference.last, last.end > first.start else { return 0 }
        let boundaries = Array(Set(estimate.flatMap { [$0.start, $0.end] })).sorted()
        var total = 0.0
        for segment in reference {
            var points = [segment.start]
            points += boundaries.filter { $0 >= segment.start && $0 < segment.end }
            points.append(segment.end)
            var longest = 0.0
            for i in 1..<points.count { longest = max(longest, points[i] - points[i - 1]) }
            total += (segment.end - segment.start) - longest
        }
        return total / (last.end - first.start)
    }
}
