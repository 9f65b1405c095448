import Dispatch
import Foundation
import Synchronization

/// One decoded beat: its time and its place in the bar (1 = downbeat).
public struct Beat: Sendable, Equatable, Hashable {
    /// Seconds from the start of the audio.
    public var time: Double
    /// 1 for the downbeat, 2, 3, … for the following beats of the bar.
    public var position: Int

    public init(time: Double, position: Int) { self.time = time; self.position = position }
}

/// Frame-wise beat and downbeat activations (e.g. BeatNet's network output), the decoder's input.
public struct BeatActivations: Sendable, Equatable {
    /// Frames per second.
    public var fps: Double
    /// Probability that frame i is a beat that is not a downbeat.
    public var beat: [Float]
    /// Probability that frame i is a downbeat.
    public var downbeat: [Float]

    public init(fps: Double, beat: [Float], downbeat: [Float]) {
        self.fps = fps; self.beat = beat; self.downbeat = downbeat
    }

    /// The number of frames.
    public var count: Int { min(beat.count, downbeat.count) }
}

/// Offline (and causal online) beat and downbeat decoding with the bar-pointer model of Krebs, Böck and
/// Widmer (ISMIR 2015, "An efficient state-space model for joint tempo and meter tracking"), as madmom's
/// downbeat tracker uses it; written for mlwb from the paper.
///
/// The hidden state is (tempo k, beat b in the bar, phase q in the beat): a tempo is a whole number of
/// frames per beat τ_k, the phase advances by one frame per frame, and only at the end of a beat may the
/// tempo change, to τ_j with probability ∝ exp(−λ·|τ_j/τ_k − 1|). A frame in the first 1/λ_obs of a beat is
/// a beat frame (of the first beat: a downbeat frame) and is scored by the beat (downbeat) activation;
/// other frames by the rest, spread over the non-beat share. Viterbi finds the best path through the
/// sparse state space for each candidate meter, and the meter whose path scores best wins.
public struct BarPointerDecoder: Sendable {
    /// Decoding settings.
    public struct Settings: Sendable, Equatable {
        /// Slowest and fastest tempo, in beats per minute.
        public var minBPM: Double = 55
        public var maxBPM: Double = 215
        /// Number of tempo states (log-spaced beat periods between the two; duplicates removed).
        public var tempoCount: Int = 60
        /// Beats per bar to try (6/8 is 2 beats of a dotted quarter, or 6).
        public var meters: [Int] = [3, 4]
        /// λ of the tempo-change distribution: larger keeps the tempo steadier.
        public var transitionLambda: Double = 100
        /// 1/λ_obs of each beat period counts as the beat.
        public var observationLambda: Double = 16
        /// Place each beat at the strongest activation within its beat frames (else at the beat's first frame).
        public var correctToPeak = true
        /// Frames before the first and after the last frame whose beat + downbeat activation exceeds this are
        /// left out (no beats are invented in silence before or after the music).
        public var threshold: Float = 0.05
        /// Leading and trailing beats whose activation peak is below this share of the median beat's are
        /// dropped: the decoder keeps the pulse going into a fade-out or reverb tail that the music has left.
        public var weakEndShare: Float = 0.5

        public init() {}

        /// The problem with these settings, if any.
        public var problem: String? {
            guard minBPM.isFinite, maxBPM.isFinite, minBPM > 0, maxBPM > minBPM else { return "the tempo range must be 0 < min < max BPM" }
            guard maxBPM <= 1000 else { return "tempi above 1000 BPM are not beats" }
            guard (1...1000).contains(tempoCount) else { return "tempo states must be 1–1000" }
            guard !meters.isEmpty, meters.allSatisfy({ (1...16).contains($0) }) else { return "beats per bar must be 1–16" }
            guard transitionLambda > 0, transitionLambda.isFinite else { return "the transition λ must be positive" }
            guard observationLambda >= 1, observationLambda.isFinite else { return "the observation λ must be at least 1" }
            return nil
        }
    }

    public var settings: Settings

    public init(settings: Settings = Settings()) { self.settings = settings }

    // MARK: State space

    /// Beat periods in frames for the tempo range at `fps`, shortest first.
    func periods(fps: Double) -> [Int] {
        let shortest = max(1, Int((60 * fps / settings.maxBPM).rounded(.down)))
        let longest = max(shortest, Int((60 * fps / settings.minBPM).rounded(.up)))
        var values: [Int] = []
        let n = max(1, settings.tempoCount)
        for i in 0..<n {
            let v = n == 1 ? Double(shortest)
                : exp(log(Double(shortest)) + (log(Double(longest)) - log(Double(shortest))) * Double(i) / Double(n - 1))
            let p = Int(v.rounded())
            if values.last != p { values.append(p) }
        }
        return values
    }

    // MARK: Decoding

    /// The best beats for `activations` over every candidate meter, with the meter chosen.
    public func decode(_ activations: BeatActivations) -> (beats: [Beat], beatsPerBar: Int) {
        // The meters are independent Viterbi passes: one per core.
        let meters = settings.meters
        let results = Mutex([(score: Double, beats: [Beat])?](repeating: nil, count: meters.count))
        DispatchQueue.concurrentPerform(iterations: meters.count) { i in
            let result = decode(activations, beatsPerBar: meters[i])
            results.withLock { $0[i] = result }
        }
        var best: (score: Double, beats: [Beat], meter: Int)?
        for (i, result) in results.withLock({ $0 }).enumerated() {
            guard let result else { continue }
            if best == nil || result.score > best!.score { best = (result.score, result.beats, meters[i]) }
        }
        return (best?.beats ?? [], best?.meter ?? settings.meters.first ?? 4)
    }

    /// Viterbi decoding with a fixed meter; returns the path's log probability and its beats.
    public func decode(_ activations: BeatActivations, beatsPerBar: Int) -> (Double, [Beat]) {
        let active = (0..<activations.count).filter { activations.beat[$0] + activations.downbeat[$0] > settings.threshold }
        guard let first = active.first, let last = active.last, last > first else { return (-.infinity, []) }
        let cropped = BeatActivations(fps: activations.fps, beat: Array(activations.beat[first...last]),
                                      downbeat: Array(activations.downbeat[first...last]))
        let (score, beats) = decodeWhole(cropped, beatsPerBar: beatsPerBar)
        let shift = Double(first) / activations.fps
        return (score, trimWeakEnds(beats.map { Beat(time: $0.time + shift, position: $0.position) }, activations))
    }

    /// Viterbi over every frame of `activations`.
    private func decodeWhole(_ activations: BeatActivations, beatsPerBar: Int,
                             filtered: ((_ frame: Int, _ score: Double, _ beat: Int, _ phase: Int, _ period: Int) -> Void)? = nil) -> (Double, [Beat]) {
        let frames = activations.count
        guard frames > 1, beatsPerBar >= 1 else { return (-.infinity, []) }
        let taus = periods(fps: activations.fps)
        let tempi = taus.count
        let bars = beatsPerBar
        // State layout: for tempo k, beat b, phase q: offset[k] + b·τ_k + q.
        var offset = [Int](repeating: 0, count: tempi + 1)
        for k in 0..<tempi { offset[k + 1] = offset[k] + bars * taus[k] }
        let stateCount = offset[tempi]
        // Tempo-change log probabilities: row k (from) → column j (to), each row normalised.
        var change = [Double](repeating: 0, count: tempi * tempi)
        for k in 0..<tempi {
            var row = (0..<tempi).map { j in -settings.transitionLambda * abs(Double(taus[j]) / Double(taus[k]) - 1) }
            let top = row.max()!
            let total = row.reduce(0) { $0 + exp($1 - top) }
            for j in 0..<tempi { row[j] -= top + log(total) }
            for j in 0..<tempi { change[k * tempi + j] = row[j] }
        }
        // Observation classes per state: 0 non-beat, 1 beat, 2 downbeat.
        var kind = [UInt8](repeating: 0, count: stateCount)
        for k in 0..<tempi {
            let beatFrames = max(1, Int((Double(taus[k]) / settings.observationLambda).rounded(.up)))
            for b in 0..<bars {
                for q in 0..<min(beatFrames, taus[k]) { kind[offset[k] + b * taus[k] + q] = b == 0 ? 2 : 1 }
            }
        }
        let nonBeatShare = log(1 / max(1, settings.observationLambda - 1))
        func observation(_ t: Int) -> (Double, Double, Double) {
            let beat = Double(min(max(activations.beat[t], 1e-7), 1))
            let down = Double(min(max(activations.downbeat[t], 1e-7), 1))
            let rest = max(1 - beat - down, 1e-7)
            return (log(rest) + nonBeatShare, log(beat), log(down))
        }

        // Tempo changes too unlikely to matter (below machine epsilon, as madmom drops them) are left out.
        // Flat tables: the sources of tempo k are entries sourceStart[k]..<sourceStart[k+1], each with the
        // state of its tempo's last phase of beat 0, that tempo's period and the change's log probability.
        let floor = log(Double.ulpOfOne)
        var sourceStart = [Int](repeating: 0, count: tempi + 1)
        var sourceLast: [Int] = [], sourcePeriod: [Int] = [], sourceLogP: [Double] = [], sourceTempo: [UInt16] = []
        for k in 0..<tempi {
            for j in 0..<tempi where change[j * tempi + k] >= floor {
                sourceLast.append(offset[j] + taus[j] - 1); sourcePeriod.append(taus[j])
                sourceLogP.append(change[j * tempi + k]); sourceTempo.append(UInt16(j))
            }
            sourceStart[k + 1] = sourceLast.count
        }
        var beatFrames = [Int](repeating: 1, count: tempi)
        for k in 0..<tempi { beatFrames[k] = min(taus[k], max(1, Int((Double(taus[k]) / settings.observationLambda).rounded(.up)))) }

        var score = [Double](repeating: -log(Double(stateCount)), count: stateCount)
        var next = [Double](repeating: 0, count: stateCount)
        // For each frame and each beat-start state (k, b): the tempo the path came from.
        var backTempo = [UInt16](repeating: 0, count: frames * tempi * bars)
        let o = observation(0)
        for s in 0..<stateCount { score[s] += kind[s] == 0 ? o.0 : (kind[s] == 1 ? o.1 : o.2) }
        score.withUnsafeMutableBufferPointer { scoreBuffer in
        next.withUnsafeMutableBufferPointer { nextBuffer in
        backTempo.withUnsafeMutableBufferPointer { back in
        sourceLast.withUnsafeBufferPointer { srcLast in
        sourcePeriod.withUnsafeBufferPointer { srcPeriod in
        sourceLogP.withUnsafeBufferPointer { srcLogP in
        sourceTempo.withUnsafeBufferPointer { srcTempo in
            var current = scoreBuffer.baseAddress!, upcoming = nextBuffer.baseAddress!
            let srcLast = srcLast.baseAddress!, srcPeriod = srcPeriod.baseAddress!
            let srcLogP = srcLogP.baseAddress!, srcTempo = srcTempo.baseAddress!, back = back.baseAddress!
            for t in 1..<frames {
                let (nonBeat, beat, down) = observation(t)
                for k in 0..<tempi {
                    let tau = taus[k], onBeat = beatFrames[k]
                    let sources = sourceStart[k]..<sourceStart[k + 1]
                    for b in 0..<bars {
                        let base = offset[k] &+ b &* tau
                        let here = b == 0 ? down : beat
                        // Phase q > 0 comes from q − 1 of the same beat and tempo.
                        let from = current + base - 1, to = upcoming + base
                        var q = 1
                        while q < onBeat { to[q] = from[q] + here; q &+= 1 }
                        while q < tau { to[q] = from[q] + nonBeat; q &+= 1 }
                        // Phase 0 of beat b comes from the last phase of beat b − 1 at any (likely) tempo.
                        let previousBeat = b == 0 ? bars - 1 : b - 1
                        var bestValue = -Double.infinity, bestSource = sources.lowerBound
                        for i in sources {
                            let value = current[srcLast[i] &+ previousBeat &* srcPeriod[i]] + srcLogP[i]
                            if value > bestValue { bestValue = value; bestSource = i }
                        }
                        to[0] = bestValue + (onBeat > 0 ? here : nonBeat)
                        back[(t &* tempi &+ k) &* bars &+ b] = srcTempo[bestSource]
                    }
                }
                swap(&current, &upcoming)
                if let filtered {
                    // The causal (filtering) estimate: the best state given the frames so far.
                    var best = 0
                    for i in 1..<stateCount where current[i] > current[best] { best = i }
                    let k = (0..<tempi).last { offset[$0] <= best }!
                    filtered(t, current[best], (best - offset[k]) / taus[k], (best - offset[k]) % taus[k], taus[k])
                }
            }
            if current != scoreBuffer.baseAddress! { scoreBuffer.baseAddress!.update(from: current, count: stateCount) }
        }
        }
        }
        }
        }
        }
        }
        // Backtrack from the best final state.
        var state = 0
        var bestFinal = -Double.infinity
        for s in 0..<stateCount where score[s] > bestFinal { bestFinal = score[s]; state = s }
        var k = (0..<tempi).last { offset[$0] <= state }!
        var b = (state - offset[k]) / taus[k], q = (state - offset[k]) % taus[k]
        var path = [(k: Int, b: Int, q: Int)](repeating: (0, 0, 0), count: frames)
        for t in stride(from: frames - 1, through: 0, by: -1) {
            path[t] = (k, b, q)
            guard t > 0 else { break }
            if q > 0 {
                q -= 1
            } else {
                let j = Int(backTempo[(t * tempi + k) * bars + b])
                b = (b + bars - 1) % bars
                k = j
                q = taus[j] - 1
            }
        }
        return (bestFinal, beats(from: path, taus: taus, activations: activations, bars: bars))
    }

    /// `beats` without the weak beats at either end (see `Settings.weakEndShare`).
    func trimWeakEnds(_ beats: [Beat], _ activations: BeatActivations) -> [Beat] {
        guard beats.count > 4, settings.weakEndShare > 0 else { return beats }
        let peaks = beats.map { beat -> Float in
            let centre = Int((beat.time * activations.fps).rounded())
            var peak: Float = 0
            for f in max(0, centre - 2)...min(activations.count - 1, max(0, centre + 2)) {
                peak = max(peak, activations.beat[f] + activations.downbeat[f])
            }
            return peak
        }
        let median = peaks.sorted()[peaks.count / 2]
        let floor = settings.weakEndShare * median
        guard let first = peaks.firstIndex(where: { $0 >= floor }), let last = peaks.lastIndex(where: { $0 >= floor }) else { return beats }
        return Array(beats[first...last])
    }

    // MARK: Online

    /// Causal decoding: at every frame the most likely state given only the frames so far (over every
    /// candidate meter); a beat is reported when that state is in a beat's first frames, at most once per half period.
    /// This is what a live tracker could report; offline Viterbi (`decode`) sees the whole piece and is better.
    public func decodeOnline(_ activations: BeatActivations) -> (beats: [Beat], beatsPerBar: Int) {
        let active = (0..<activations.count).filter { activations.beat[$0] + activations.downbeat[$0] > settings.threshold }
        guard let first = active.first, let last = active.last, last > first else { return ([], settings.meters.first ?? 4) }
        let cropped = BeatActivations(fps: activations.fps, beat: Array(activations.beat[first...last]),
                                      downbeat: Array(activations.downbeat[first...last]))
        let frames = cropped.count
        var best = [(score: Double, beat: Int, phase: Int, period: Int, meter: Int)](repeating: (-.infinity, 0, 1, 1, 0), count: frames)
        for meter in settings.meters {
            _ = decodeWhole(cropped, beatsPerBar: meter) { t, score, beat, phase, period in
                if score > best[t].score { best[t] = (score, beat, phase, period, meter) }
            }
        }
        var beats: [Beat] = []
        var lastFrame = -Int.max / 2
        var meters: [Int: Int] = [:]
        for t in 1..<frames where Double(best[t].phase) < Double(best[t].period) / settings.observationLambda
            && t - lastFrame > best[t].period / 2 {
            beats.append(Beat(time: Double(t + first) / activations.fps, position: best[t].beat + 1))
            meters[best[t].meter, default: 0] += 1
            lastFrame = t
        }
        return (beats, meters.max { $0.value < $1.value }?.key ?? settings.meters.first ?? 4)
    }

    /// Beats where the path enters a beat, placed at the strongest activation of that beat's beat frames.
    private func beats(from path: [(k: Int, b: Int, q: Int)], taus: [Int], activations: BeatActivations, bars: Int) -> [Beat] {
        var result: [Beat] = []
        var t = 0
        while t < path.count {
            guard path[t].q == 0 else { t += 1; continue }
            let beatFrames = max(1, Int((Double(taus[path[t].k]) / settings.observationLambda).rounded(.up)))
            var peak = t
            if settings.correctToPeak {
                var u = t
                var best = -Float.infinity
                while u < path.count, path[u].b == path[t].b, path[u].q < beatFrames {
                    let a = activations.beat[u] + activations.downbeat[u]
                    if a > best { best = a; peak = u }
                    u += 1
                }
            }
            result.append(Beat(time: Double(peak) / activations.fps, position: path[t].b + 1))
            t += 1
        }
        // A path that starts mid-beat has no entry into that beat: nothing to report for it.
        return result
    }
}
