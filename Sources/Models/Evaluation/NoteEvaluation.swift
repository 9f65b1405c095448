import Foundation
import MIDI

/// Note-level transcription scores as mir_eval's `transcription.precision_recall_f1_overlap` defines
/// them: an estimated note matches a reference note when its onset is within the onset tolerance, its
/// pitch within the pitch tolerance (cents) and — when an offset ratio is given — its offset within
/// max(offset ratio × reference duration, minimum offset tolerance); each note matches at most once
/// and the number of matches is a maximum bipartite matching.
public struct NoteEvaluation: Sendable, Equatable {
    /// Tolerances of the comparison.
    public struct Settings: Sendable, Equatable {
        /// Onset tolerance in seconds (mir_eval: 0.05).
        public var onsetTolerance = 0.05
        /// Pitch tolerance in cents (mir_eval: 50).
        public var pitchTolerance = 50.0
        /// Offset tolerance as a fraction of the reference duration; nil ignores offsets.
        public var offsetRatio: Double? = nil
        /// Smallest offset tolerance in seconds (mir_eval: 0.05).
        public var offsetMinTolerance = 0.05
        /// Compare with `<` instead of `<=`.
        public var strict = false

        public init(onsetTolerance: Double = 0.05, pitchTolerance: Double = 50, offsetRatio: Double? = nil,
                    offsetMinTolerance: Double = 0.05, strict: Bool = false) {
            self.onsetTolerance = onsetTolerance
            self.pitchTolerance = pitchTolerance
            self.offsetRatio = offsetRatio
            self.offsetMinTolerance = offsetMinTolerance
            self.strict = strict
        }
    }

    /// Number of reference notes.
    public var referenceCount: Int
    /// Number of estimated notes.
    public var estimateCount: Int
    /// Matched pairs `(reference index, estimate index)`, sorted by reference index.
    public var matching: [(reference: Int, estimate: Int)]

    public static func == (a: NoteEvaluation, b: NoteEvaluation) -> Bool {
        a.referenceCount == b.referenceCount && a.estimateCount == b.estimateCount
            && a.matching.map(\.reference) == b.matching.map(\.reference) && a.matching.map(\.estimate) == b.matching.map(\.estimate)
    }

    /// Matches / estimates (0 when either side is empty, as mir_eval returns).
    public var precision: Double {
        referenceCount == 0 || estimateCount == 0 ? 0 : Double(matching.count) / Double(estimateCount)
    }
    /// Matches / references.
    public var recall: Double {
        referenceCount == 0 || estimateCount == 0 ? 0 : Double(matching.count) / Double(referenceCount)
    }
    /// Harmonic mean of precision and recall.
    public var f1: Double {
        let p = precision, r = recall
        return p == 0 && r == 0 ? 0 : 2 * p * r / (p + r)
    }

    /// Scores `estimate` against `reference`.
    public static func evaluate(reference: [NoteEvent], estimate: [NoteEvent], settings: Settings = Settings()) -> NoteEvaluation {
        guard !reference.isEmpty, !estimate.isEmpty else {
            return NoteEvaluation(referenceCount: reference.count, estimateCount: estimate.count, matching: [])
        }
        let within: (Double, Double) -> Bool = settings.strict ? { $0 < $1 } : { $0 <= $1 }
        let refLog = reference.map { log2(hertz($0.pitch)) }
        let estLog = estimate.map { log2(hertz($0.pitch)) }
        // Candidate edges per reference note.
        var edges = [[Int]](repeating: [], count: reference.count)
        for (i, r) in reference.enumerated() {
            let offsetTolerance = settings.offsetRatio.map { max($0 * (r.end - r.start), settings.offsetMinTolerance) }
            for (j, e) in estimate.enumerated() {
                guard within(roundedDistance(r.start, e.start), settings.onsetTolerance) else { continue }
                guard within(abs(1200 * (refLog[i] - estLog[j])), settings.pitchTolerance) else { continue }
                if let tol = offsetTolerance, !within(roundedDistance(r.end, e.end), tol) { continue }
                edges[i].append(j)
            }
        }
        let pairs = maximumMatching(edges, rightCount: estimate.count)
        return NoteEvaluation(referenceCount: reference.count, estimateCount: estimate.count, matching: pairs)
    }

    /// Frequency of a MIDI pitch (A4 = 440 Hz).
    static func hertz(_ pitch: Int) -> Double { 440 * pow(2, (Double(pitch) - 69) / 12) }

    /// |a − b| rounded to 4 decimals (half to even, as NumPy's `around` multiplies, rounds and divides),
    /// so a distance of exactly 50 ms counts as within 50 ms.
    static func roundedDistance(_ a: Double, _ b: Double) -> Double {
        (abs(a - b) * 10_000).rounded(.toNearestOrEven) / 10_000
    }

    /// A maximum bipartite matching (Hopcroft–Karp) of left vertices to right vertices.
    static func maximumMatching(_ edges: [[Int]], rightCount: Int) -> [(reference: Int, estimate: Int)] {
        let leftCount = edges.count
        var matchLeft = [Int](repeating: -1, count: leftCount)
        var matchRight = [Int](repeating: -1, count: rightCount)
        var dist = [Int](repeating: 0, count: leftCount)
        let infinity = Int.max

        func bfs() -> Bool {
            var queue: [Int] = []
            for u in 0..<leftCount {
                if matchLeft[u] < 0 { dist[u] = 0; queue.append(u) } else { dist[u] = infinity }
            }
            var found = false
            var head = 0
            while head < queue.count {
                let u = queue[head]; head += 1
                for v in edges[u] {
                    let w = matchRight[v]
                    if w < 0 { found = true } else if dist[w] == infinity {
                        dist[w] = dist[u] + 1
                        queue.append(w)
                    }
                }
            }
            return found
        }

        func dfs(_ u: Int) -> Bool {
            for v in edges[u] {
                let w = matchRight[v]
                if w < 0 || (dist[w] == dist[u] + 1 && dfs(w)) {
                    matchLeft[u] = v
                    matchRight[v] = u
                    return true
                }
            }
            dist[u] = infinity
            return false
        }

        while bfs() {
            for u in 0..<leftCount where matchLeft[u] < 0 { _ = dfs(u) }
        }
        var pairs: [(reference: Int, estimate: Int)] = []
        for u in 0..<leftCount where matchLeft[u] >= 0 { pairs.append((u, matchLeft[u])) }
        return pairs
    }
}

/// Onset-only and onset+offset scores side by side, as the shared README tabulates them.
public struct NoteEvaluationReport: Sendable, Equatable {
    public var onset: NoteEvaluation
    public var onsetOffset: NoteEvaluation

    /// Scores with onsets only and with onsets + offsets (`offsetRatio`, mir_eval's 0.2 by default).
    public init(reference: [NoteEvent], estimate: [NoteEvent], onsetTolerance: Double = 0.05,
                pitchTolerance: Double = 50, offsetRatio: Double = 0.2, offsetMinTolerance: Double = 0.05) {
        onset = NoteEvaluation.evaluate(reference: reference, estimate: estimate,
                                        settings: .init(onsetTolerance: onsetTolerance, pitchTolerance: pitchTolerance))
        onsetOffset = NoteEvaluation.evaluate(reference: reference, estimate: estimate,
                                              settings: .init(onsetTolerance: onsetTolerance, pitchTolerance: pitchTolerance,
                                                              offsetRatio: offsetRatio, offsetMinTolerance: offsetMinTolerance))
    }
}
