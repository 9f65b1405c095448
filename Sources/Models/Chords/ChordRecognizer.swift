import Audio

/// One chord over a stretch of time; `label` is in Harte syntax (`C:maj`, `G:7/3`, `N`).
public struct ChordSegment: Sendable, Equatable {
    /// Start and end in seconds.
    public var start: Double
    public var end: Double
    /// The chord, `N` for none.
    public var label: String
    /// A segment from `start` to `end` seconds.
    public init(start: Double, end: Double, label: String) { self.start = start; self.end = end; self.label = label }
}

/// Counting words for the summaries of a chord run.
public enum ChordsSummary {
    /// "1 chord", "3 chords".
    public static func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }
}

/// Chord recognition with no learned weights: NNLS bass/treble chroma (`NNLSChroma`), chord templates
/// with inversions and N (`ChordVocabulary`), HMM smoothing (`ChordDecoder`); frame by frame, or — given
/// beat times — one chord per beat at most, changing only on beats.
public struct ChordRecognizer: Sendable {
    // MARK: Settings

    /// Everything the recogniser can be told.
    public struct Settings: Sendable, Equatable {
        /// The chord qualities to choose from.
        public var vocabulary: ChordVocabulary.Preset = .full
        /// Also consider every chord with another chord tone in the bass.
        public var inversions = true
        /// The feature extraction.
        public var chroma = NNLSChroma.Settings()
        /// Scoring and smoothing.
        public var decoder = ChordDecoder.Settings()
        /// Settings from their parts (each defaulted).
        public init(vocabulary: ChordVocabulary.Preset = .full, inversions: Bool = true,
                    chroma: NNLSChroma.Settings = NNLSChroma.Settings(), decoder: ChordDecoder.Settings = ChordDecoder.Settings()) {
            self.vocabulary = vocabulary
            self.inversions = inversions
            self.chroma = chroma
            self.decoder = decoder
        }
    }

    /// What a recognition produced: the chords and the features they were read from.
    public struct Result: Sendable {
        /// The chords, contiguous from 0 to the clip's end.
        public var segments: [ChordSegment]
        /// The bass and treble chroma, levels and tuning they came from.
        public var frames: NNLSChroma.Frames
        /// The beats the chords were aligned to (empty for frame-level decoding).
        public var beats: [Double]
    }

    /// What it was told.
    public let settings: Settings
    /// The decoder built from the settings' vocabulary.
    public let decoder: ChordDecoder

    /// A recogniser with `settings`.
    public init(settings: Settings = Settings()) {
        self.settings = settings
        decoder = ChordDecoder(vocabulary: ChordVocabulary(settings.vocabulary, inversions: settings.inversions), settings: settings.decoder)
    }

    // MARK: Recognising

    /// The chords of `clip` (any rate and channel count); with `beats` (seconds, any order) chords change
    /// only on beats. `shouldStop` is polled during the analysis; a stopped run returns what it has.
    public func recognize(_ clip: AudioClip, beats: [Double]? = nil, shouldStop: () -> Bool = { false }) -> Result {
        let frames = NNLSChroma.analyse(clip, settings: settings.chroma, shouldStop: shouldStop)
        return decode(frames, beats: beats)
    }

    /// The chords of already analysed frames.
    public func decode(_ frames: NNLSChroma.Frames, beats: [Double]? = nil) -> Result {
        let duration = frames.duration
        guard frames.frameCount > 0, duration > 0 else {
            return Result(segments: duration > 0 ? [ChordSegment(start: 0, end: duration, label: "N")] : [], frames: frames, beats: [])
        }
        let logP = decoder.logProbabilities(frames)
        let k = decoder.stateCount
        let halfHop = 0.5 / frames.frameRate
        // Units: single frames, or the frames between consecutive beats.
        var units: [(start: Double, end: Double, frames: Range<Int>)] = []
        let usable = (beats ?? []).filter { $0 > 0 && $0 < duration && $0.isFinite }.sorted()
        if usable.isEmpty {
            for t in 0..<frames.frameCount {
                units.append((max(0, frames.time(ofFrame: t) - halfHop), min(duration, frames.time(ofFrame: t) + halfHop), t..<(t + 1)))
            }
        } else {
            let edges = [0] + usable + [duration]
            var t = 0
            for i in 0..<(edges.count - 1) {
                let first = t
                while t < frames.frameCount, frames.time(ofFrame: t) < edges[i + 1] { t += 1 }
                if t > first {
                    units.append((edges[i], edges[i + 1], first..<t))
                } else if !units.isEmpty {
                    units[units.count - 1].end = edges[i + 1]   // no frame inside: the previous unit absorbs it
                } else {
                    units.append((edges[i], edges[i + 1], first..<first))
                }
            }
            if t < frames.frameCount, !units.isEmpty {
                let last = units.count - 1
                units[last].frames = units[last].frames.lowerBound..<frames.frameCount
            }
        }
        var unitLogP = [Float](repeating: 0, count: units.count * k)
        for (u, unit) in units.enumerated() {
            for t in unit.frames { for j in 0..<k { unitLogP[u * k + j] += logP[t * k + j] } }
        }
        let path = decoder.viterbi(unitLogP, count: units.count, selfTransition: settings.decoder.selfTransition)
        var segments: [ChordSegment] = []
        for (u, unit) in units.enumerated() {
            let label = decoder.label(ofState: path[u])
            let start = segments.isEmpty ? 0 : unit.start
            if let last = segments.last, last.label == label {
                segments[segments.count - 1].end = unit.end
            } else {
                if !segments.isEmpty { segments[segments.count - 1].end = start }
                segments.append(ChordSegment(start: start, end: unit.end, label: label))
            }
        }
        if !segments.isEmpty { segments[segments.count - 1].end = duration }
        return Result(segments: segments, frames: frames, beats: usable)
    }
}
