import Glibc

/// Turns bass and treble chroma frames into a chord sequence. Each frame scores every chord of the
/// vocabulary: the cosine of the chord's tones with the frame's pitch classes (the treble chroma plus,
/// at half weight, the bass chroma — a walking bass plays chord tones too), plus a little for the bass
/// chroma on the chord's bass note, less a little for an inversion. A softmax turns the scores into
/// probabilities, with `N` taking quiet frames and frames whose chroma is flat, and a Viterbi pass
/// through an HMM whose only parameter is the probability of staying on the same chord picks the most
/// likely path.
public struct ChordDecoder: Sendable {
    // MARK: Settings

    /// How frames are scored and smoothed.
    public struct Settings: Sendable, Equatable {
        /// Probability of keeping the chord from one 46 ms frame to the next.
        public var selfTransition = 0.97
        /// Multiplies the scores before the softmax (higher: more confident frames, less smoothing).
        public var sharpness = 3.0
        /// Weight of the bass chroma among the pitch classes a chord's tones are matched against.
        public var bassInChord = 0.5
        /// Weight of the bass note in a chord's score.
        public var bassWeight = 0.1
        /// Score taken off inversions, so a chord is in root position unless the bass says otherwise.
        public var inversionPenalty = 0.04
        /// Score taken off dim, aug, sus4 and hdim7, so they lose ties with the common chords that share
        /// their tones (C and E alone are C:maj, not C:aug).
        public var rareQualityPenalty = 0.01
        /// Frames this many dB below the loud frames of the piece count as no chord.
        public var noChordDepth = 25.0
        /// Score the flat chroma of `N` gives away against a chord.
        public var noChordOffset = 0.3
        /// Frames whose spectrum is this flat (white noise: 0.56) are N.
        public var noiseFlatness = 0.3

        /// The defaults, with the two settings users change most.
        public init(selfTransition: Double = 0.97, noChordDepth: Double = 25) {
            self.selfTransition = selfTransition
            self.noChordDepth = noChordDepth
        }
    }

    /// The chords it chooses between (besides N).
    public let vocabulary: ChordVocabulary
    /// How it scores and smooths.
    public let settings: Settings

    /// A decoder over `vocabulary`.
    public init(vocabulary: ChordVocabulary, settings: Settings = Settings()) {
        self.vocabulary = vocabulary
        self.settings = settings
    }

    /// Number of states: the chords, then N.
    public var stateCount: Int { vocabulary.chords.count + 1 }
    /// The index of `N` among the states.
    public var noChordState: Int { vocabulary.chords.count }

    // MARK: Frame probabilities

    /// Log-probabilities of each state per frame, `frameCount × stateCount`.
    public func logProbabilities(_ frames: NNLSChroma.Frames) -> [Float] {
        let states = stateCount, chords = vocabulary.chords
        var out = [Float](repeating: 0, count: frames.frameCount * states)
        // The level that counts as "loud": a high percentile of the frame levels.
        let sorted = frames.levels.sorted()
        let loud = sorted.isEmpty ? -200 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * 0.9))]
        let tones = chords.map(\.pitchClasses)
        let kappa = Float(settings.sharpness), beta = Float(settings.bassWeight), lambda = Float(settings.bassInChord)
        let penalty = Float(settings.inversionPenalty)
        let rare = chords.map { [.diminished, .augmented, .suspendedFourth, .halfDiminishedSeventh].contains($0.quality) }
        let rarePenalty = Float(settings.rareQualityPenalty)
        var scores = [Float](repeating: 0, count: states)
        var pitchClasses = [Float](repeating: 0, count: 12), b = [Float](repeating: 0, count: 12)
        for f in 0..<frames.frameCount {
            let trebleBase = f * 12
            var treblePeak: Float = 0, bassPeak: Float = 0
            for pc in 0..<12 {
                treblePeak = max(treblePeak, frames.treble[trebleBase + pc])
                bassPeak = max(bassPeak, frames.bass[trebleBase + pc])
            }
            // The bass relative to its own peak, unless there is hardly any bass next to the treble.
            for pc in 0..<12 {
                b[pc] = bassPeak > 0 ? frames.bass[trebleBase + pc] / max(bassPeak, 0.5 * treblePeak) : 0
                pitchClasses[pc] = (treblePeak > 0 ? frames.treble[trebleBase + pc] / treblePeak : 0) + lambda * b[pc]
            }
            var norm: Float = 0
            for v in pitchClasses { norm += v * v }
            norm = norm.squareRoot()
            if norm > 0 { for pc in 0..<12 { pitchClasses[pc] /= norm } }
            for (i, chord) in chords.enumerated() {
                var sum: Float = 0
                for pc in tones[i] { sum += pitchClasses[pc] }
                var s = sum / Float(tones[i].count).squareRoot() + beta * b[chord.bassPitchClass]
                if chord.bass != 0 { s -= penalty }
                if rare[i] { s -= rarePenalty }
                scores[i] = kappa * s
            }
            // N: the cosine with a flat chroma, less an offset (and all of it for a silent frame).
            let flat = pitchClasses.reduce(0, +) / Float(12).squareRoot()
            scores[states - 1] = norm > 0 ? kappa * (flat - Float(settings.noChordOffset) + beta * b.reduce(0, +) / 12) : kappa * 2
            let top = scores.max()!
            var total: Float = 0
            for s in scores { total += expf(s - top) }
            let logTotal = top + logf(total)
            // Quiet frames and noise are N whatever their chroma.
            let depth = loud - frames.levels[f]
            let silent = frames.levels[f] < -90 ? 1 : 1 / (1 + expf(-(depth - Float(settings.noChordDepth)) / 3))
            let noisy = 1 / (1 + expf(-(frames.flatness[f] - Float(settings.noiseFlatness)) / 0.03))
            let quiet = max(silent, noisy)
            let loudShare = max(1e-6, 1 - quiet)
            for i in 0..<(states - 1) { out[f * states + i] = logf(loudShare) + scores[i] - logTotal }
            out[f * states + states - 1] = logf(min(1, quiet + loudShare * expf(scores[states - 1] - logTotal)))
        }
        return out
    }

    // MARK: Viterbi

    /// The most likely state path through `logProbabilities` (`count × stateCount`), where staying costs
    /// log p and moving to any one other state log((1 − p) / (states − 1)) with p = `selfTransition`.
    public func viterbi(_ logProbabilities: [Float], count: Int, selfTransition: Double) -> [Int] {
        let k = stateCount
        guard count > 0 else { return [] }
        let stay = Float(log(selfTransition)), move = Float(log((1 - selfTransition) / Double(max(1, k - 1))))
        var delta = Array(logProbabilities[0..<k])
        var next = [Float](repeating: 0, count: k)
        var back = [Int32](repeating: 0, count: count * k)
        for t in 1..<max(1, count) {
            var best = 0
            for j in 1..<k where delta[j] > delta[best] { best = j }
            let moved = delta[best] + move
            for j in 0..<k {
                let stayed = delta[j] + stay
                if stayed >= moved {
                    next[j] = stayed + logProbabilities[t * k + j]; back[t * k + j] = Int32(j)
                } else {
                    next[j] = moved + logProbabilities[t * k + j]; back[t * k + j] = Int32(best)
                }
            }
            swap(&delta, &next)
        }
        var state = 0
        for j in 1..<k where delta[j] > delta[state] { state = j }
        var path = [Int](repeating: 0, count: count)
        for t in stride(from: count - 1, through: 0, by: -1) {
            path[t] = state
            state = Int(back[t * k + state])
        }
        return path
    }

    /// The label of state `i`.
    public func label(ofState i: Int) -> String { i == noChordState ? "N" : vocabulary.chords[i].label }
}
