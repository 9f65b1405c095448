import Foundation

/// Beat-tracking scores as mir_eval 0.8.2's `beat.evaluate` computes them (Davies, Degara and Plumbley's
/// evaluation methods): F-measure, Cemgil, Goto, P-score, continuity (CMLc, CMLt, AMLc, AMLt) and
/// information gain, reproduced step for step, including mir_eval's handling of edge cases.
public struct BeatEvaluation: Sendable, Equatable {
    // MARK: Scores

    public var fMeasure: Double
    public var cemgil: Double
    /// Cemgil's score at the best of the five metrical variations of the reference.
    public var cemgilBestMetricLevel: Double
    public var goto: Double
    public var pScore: Double
    /// Correct metric level, continuous.
    public var cmlC: Double
    /// Correct metric level, total.
    public var cmlT: Double
    /// Any metric level, continuous.
    public var amlC: Double
    /// Any metric level, total.
    public var amlT: Double
    public var informationGain: Double

    /// The scores with mir_eval's names, in its order.
    public var named: [(name: String, value: Double)] {
        Array(zip(Self.names, [fMeasure, cemgil, cemgilBestMetricLevel, goto, pScore, cmlC, cmlT, amlC, amlT, informationGain]))
    }

    /// mir_eval's names of the scores, in its order.
    public static let names = ["F-measure", "Cemgil", "Cemgil Best Metric Level", "Goto", "P-score", "Correct Metric Level Continuous",
                               "Correct Metric Level Total", "Any Metric Level Continuous", "Any Metric Level Total", "Information gain"]

    public static func == (a: BeatEvaluation, b: BeatEvaluation) -> Bool { a.named.map(\.value) == b.named.map(\.value) }

    // MARK: Evaluating

    /// mir_eval's `beat.evaluate`: both lists trimmed to beats at or after `minBeatTime` (5 s by default,
    /// as mir_eval does; 0 keeps every beat), then every metric with its default parameters.
    public static func evaluate(reference: [Double], estimate: [Double], minBeatTime: Double = 5) -> BeatEvaluation {
        let ref = reference.filter { $0 >= minBeatTime }, est = estimate.filter { $0 >= minBeatTime }
        let (c, cBest) = cemgil(ref, est)
        let (cmlc, cmlt, amlc, amlt) = continuity(ref, est)
        return BeatEvaluation(fMeasure: fMeasure(ref, est), cemgil: c, cemgilBestMetricLevel: cBest, goto: goto(ref, est),
                              pScore: pScore(ref, est), cmlC: cmlc, cmlT: cmlt, amlC: amlc, amlT: amlt,
                              informationGain: informationGain(ref, est))
    }

    // MARK: Metrics

    /// The F-measure of estimated beats within `window` seconds of a reference beat (each used once).
    public static func fMeasure(_ ref: [Double], _ est: [Double], window: Double = 0.07) -> Double {
        guard !ref.isEmpty, !est.isEmpty else { return 0 }
        let matched = Double(matchCount(ref, est, window: window))
        let precision = matched / Double(est.count), recall = matched / Double(ref.count)
        return precision == 0 && recall == 0 ? 0 : 2 * precision * recall / (precision + recall)
    }

    /// The largest number of (reference, estimate) pairs closer than `window`, each beat used once.
    static func matchCount(_ ref: [Double], _ est: [Double], window: Double) -> Int {
        var edges = [[Int]](repeating: [], count: ref.count)
        var lower = 0
        for (i, r) in ref.enumerated() {
            while lower < est.count, est[lower] < r - window { lower += 1 }
            var j = lower
            while j < est.count, est[j] <= r + window {
                if abs(r - est[j]) <= window { edges[i].append(j) }
                j += 1
            }
        }
        return NoteEvaluation.maximumMatching(edges, rightCount: est.count).count
    }

    /// The reference at its own, the off-beat, double, and the two half metrical levels.
    static func variations(_ ref: [Double]) -> [[Double]] {
        var double: [Double] = []
        for i in 0..<(2 * ref.count - 1) {
            double.append(i % 2 == 0 ? ref[i / 2] : 0.5 * (ref[i / 2] + ref[i / 2 + 1]))
        }
        let offBeat = stride(from: 1, to: double.count, by: 2).map { double[$0] }
        let halfOdd = stride(from: 0, to: ref.count, by: 2).map { ref[$0] }
        let halfEven = stride(from: 1, to: ref.count, by: 2).map { ref[$0] }
        return [ref, offBeat, double, halfOdd, halfEven]
    }

    /// Cemgil's Gaussian-error accuracy (σ = 40 ms) and its best value over the metrical variations.
    public static func cemgil(_ ref: [Double], _ est: [Double], sigma: Double = 0.04) -> (Double, Double) {
        guard !ref.isEmpty, !est.isEmpty else { return (0, 0) }
        let accuracies = variations(ref).map { variation -> Double in
            var accuracy = 0.0
            for beat in variation {
                let difference = est.map { abs(beat - $0) }.min()!
                accuracy += exp(-(difference * difference) / (2 * sigma * sigma))
            }
            return accuracy / (0.5 * Double(est.count + variation.count))
        }
        return (accuracies[0], accuracies.max()!)
    }

    /// Goto and Muraoka's binary score: 1 when a long enough stretch of beats is paired with small, steady errors.
    public static func goto(_ ref: [Double], _ est: [Double], threshold: Double = 0.35, mu: Double = 0.2, sigma: Double = 0.2) -> Double {
        guard !ref.isEmpty, !est.isEmpty else { return 0 }
        var error = [Double](repeating: 1, count: ref.count)
        if ref.count > 2 {
            for n in 1..<(ref.count - 1) {
                let previous = 0.5 * (ref[n] - ref[n - 1]), next = 0.5 * (ref[n + 1] - ref[n])
                let inWindow = est.filter { $0 >= ref[n] - previous && $0 < ref[n] + next }
                guard inWindow.count == 1 else { error[n] = 1; continue }
                let offset = inWindow[0] - ref[n]
                error[n] = offset < 0 ? offset / previous : offset / next
            }
        }
        let incorrect = error.indices.filter { abs(error[$0]) > threshold }
        var criteria = 0
        var track: ArraySlice<Double> = []
        if incorrect.count < 3 {
            // mir_eval slices between the first and last incorrect beat, dropping one more at the end.
            let start = (incorrect.first ?? -1) + 1, end = (incorrect.last ?? 0) - 1
            track = start < end ? error[start..<end] : []
            criteria = 1
        } else {
            let gaps = zip(incorrect.dropFirst(), incorrect).map { $0 - $1 }
            let longest = gaps.max()!
            let at = gaps.firstIndex(of: longest)!
            if Double(longest - 1) > 0.25 * Double(ref.count - 2) {
                criteria = 1
                track = error[incorrect[at]...incorrect[at + 1]]
            }
        }
        if criteria == 1 {
            // mean of an empty slice is NaN in NumPy, which fails the test below.
            guard track.count >= 2 else { return 0 }
            let mean = track.reduce(0) { $0 + abs($1) } / Double(track.count)
            let average = track.reduce(0, +) / Double(track.count)
            let variance = track.reduce(0) { $0 + ($1 - average) * ($1 - average) } / Double(track.count - 1)
            if mean < mu && variance.squareRoot() < sigma { return 1 }
        }
        return 0
    }

    /// McKinney's P-score: cross-correlation of 100 Hz impulse trains within 20 % of the median beat interval.
    public static func pScore(_ ref: [Double], _ est: [Double], threshold: Double = 0.2) -> Double {
        guard ref.count > 1, est.count > 1 else { return 0 }
        let offset = min(ref.min()!, est.min()!)
        func train(_ beats: [Double]) -> [Int] { Array(Set(beats.map { Int((($0 - offset) * 100).rounded(.up)) })).sorted() }
        let r = train(ref), e = train(est)
        let intervals = zip(r.dropFirst(), r).map { Double($0 - $1) }.sorted()
        guard !intervals.isEmpty else { return 0 }
        let median = intervals.count % 2 == 1 ? intervals[intervals.count / 2]
            : 0.5 * (intervals[intervals.count / 2 - 1] + intervals[intervals.count / 2])
        let window = Int((threshold * median).rounded(.toNearestOrEven))
        var hits = 0
        var lower = 0
        for x in r {
            while lower < e.count, e[lower] < x - window { lower += 1 }
            var j = lower
            while j < e.count, e[j] <= x + window { hits += 1; j += 1 }
        }
        return Double(hits) / Double(max(ref.count, est.count))
    }

    /// Hainsworth's and Klapuri's continuity scores: (CMLc, CMLt, AMLc, AMLt), phase and period within 17.5 %.
    public static func continuity(_ ref: [Double], _ est: [Double], phaseThreshold: Double = 0.175,
                                  periodThreshold: Double = 0.175) -> (Double, Double, Double, Double) {
        guard ref.count > 1, est.count > 1 else { return (0, 0, 0, 0) }
        var continuous: [Double] = [], total: [Double] = []
        for variation in variations(ref) {
            let count = max(variation.count, est.count)
            var used = [Bool](repeating: false, count: count)
            var success = [Bool](repeating: false, count: count)
            for m in est.indices {
                var nearest = 0
                var best = Double.infinity
                for (i, r) in variation.enumerated() where abs(est[m] - r) < best { best = abs(est[m] - r); nearest = i }
                guard !used[nearest] else { continue }
                let phase: Double, period: Double
                if m == 0 || nearest == 0 {
                    let referenceInterval = nearest + 1 < variation.count ? variation[nearest + 1] - variation[nearest]
                        : variation[nearest] - variation[nearest - 1]
                    let estimatedInterval = m + 1 < est.count ? est[m + 1] - est[m] : est[m] - est[m - 1]
                    if referenceInterval == 0 {
                        phase = best == 0 ? 1 : .infinity
                        period = estimatedInterval == 0 ? 0 : .infinity
                    } else {
                        phase = abs(best / referenceInterval)
                        period = abs(1 - estimatedInterval / referenceInterval)
                    }
                } else {
                    let referenceInterval = variation[nearest] - variation[nearest - 1]
                    phase = abs(best / referenceInterval)
                    period = abs(1 - (est[m] - est[m - 1]) / referenceInterval)
                }
                if phase < phaseThreshold && period < periodThreshold {
                    used[nearest] = true
                    success[m] = true
                }
            }
            var longest = 0, run = 0
            for s in success { run = s ? run + 1 : 0; longest = max(longest, run) }
            continuous.append(Double(longest) / Double(count))
            total.append(Double(success.filter { $0 }.count) / Double(count))
        }
        return (continuous[0], total[0], continuous.max()!, total.max()!)
    }

    /// The information gain of the beat-error histogram (41 bins) over a uniform one, the worse direction.
    public static func informationGain(_ ref: [Double], _ est: [Double], bins: Int = 41) -> Double {
        guard ref.count > 1, est.count > 1 else { return 0 }
        let forward = entropy(ref, est, bins: bins), backward = entropy(est, ref, bins: bins)
        let norm = log2(Double(bins))
        return (norm - max(forward, backward)) / norm
    }

    /// The entropy of the histogram of `est`'s errors relative to `ref`'s intervals (mir_eval's `_get_entropy`,
    /// including its choice of interval at the first beat).
    static func entropy(_ ref: [Double], _ est: [Double], bins: Int) -> Double {
        var counts = [Int](repeating: 0, count: bins)
        func edge(_ k: Int) -> Double { k == bins ? 0.5 : Double(k) * (1.0 / Double(bins)) + -0.5 }
        let last = ref.count - 1
        for e in est {
            var closest = 0
            var best = Double.infinity
            for (i, r) in ref.enumerated() where abs(e - r) < best { best = abs(e - r); closest = i }
            let error = e - ref[closest]
            let interval: Double
            if closest == last {
                interval = 0.5 * (ref[last] - ref[last - 1])
            } else if error < 0 {
                // At the first beat NumPy's index −1 wraps to the last beat, as mir_eval does.
                interval = 0.5 * (ref[closest] - ref[closest == 0 ? last : closest - 1])
            } else {
                interval = 0.5 * (ref[closest + 1] - ref[closest])
            }
            var value = 0.5 * error / interval
            // np.mod(value + 0.5, -1) + 0.5: into (−0.5, 0.5].
            let shifted = value + 0.5
            value = shifted - (-1) * (shifted / -1).rounded(.down) + 0.5
            guard value.isFinite, value >= -0.5, value <= 0.5 else { continue }
            // np.histogram over linspace(−0.5, 0.5, bins + 1): a first guess, then corrected against the edges.
            var index = min(Int((value + 0.5) * (Double(bins) / 1.0)), bins - 1)
            if value < edge(index) { index -= 1 }
            if index < bins - 1, value >= edge(index + 1) { index += 1 }
            counts[max(0, min(bins - 1, index))] += 1
        }
        let sum = Double(counts.reduce(0, +))
        guard sum > 0 else { return 0 }
        var h = 0.0
        for c in counts where c > 0 {
            let p = Double(c) / sum
            h -= p * log2(p)
        }
        return h
    }
}
