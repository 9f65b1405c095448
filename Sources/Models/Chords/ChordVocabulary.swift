/// A chord quality the recogniser knows, with its intervals and the Harte names of its chord tones.
public enum ChordQuality: String, Sendable, CaseIterable {
    case major = "maj", minor = "min", dominantSeventh = "7", majorSeventh = "maj7", minorSeventh = "min7"
    case diminished = "dim", augmented = "aug", suspendedFourth = "sus4", halfDiminishedSeventh = "hdim7"

    /// Semitones above the root, root first.
    public var intervals: [Int] {
        switch self {
        case .major: return [0, 4, 7]
        case .minor: return [0, 3, 7]
        case .dominantSeventh: return [0, 4, 7, 10]
        case .majorSeventh: return [0, 4, 7, 11]
        case .minorSeventh: return [0, 3, 7, 10]
        case .diminished: return [0, 3, 6]
        case .augmented: return [0, 4, 8]
        case .suspendedFourth: return [0, 5, 7]
        case .halfDiminishedSeventh: return [0, 3, 6, 10]
        }
    }

    /// The Harte degree of a chord tone `semitones` above the root (`3`, `b3`, `#5`, `b7`…).
    public func degree(ofInterval semitones: Int) -> String {
        switch semitones {
        case 3: return "b3"
        case 4: return "3"
        case 5: return "4"
        case 6: return "b5"
        case 7: return "5"
        case 8: return "#5"
        case 10: return "b7"
        case 11: return "7"
        default: return "1"
        }
    }
}

/// The chords the recogniser chooses between: every root with every quality of a preset, optionally
/// with each non-root chord tone in the bass (inversions), plus `N`.
public struct ChordVocabulary: Sendable, Equatable {
    /// The quality sets a user picks from.
    public enum Preset: String, Sendable, CaseIterable {
        /// Major and minor triads.
        case majmin
        /// Triads plus 7, maj7 and min7.
        case sevenths
        /// Sevenths plus dim, aug, sus4 and hdim7.
        case full

        /// The qualities in the preset.
        public var qualities: [ChordQuality] {
            switch self {
            case .majmin: return [.major, .minor]
            case .sevenths: return [.major, .minor, .dominantSeventh, .majorSeventh, .minorSeventh]
            case .full: return ChordQuality.allCases
            }
        }
    }

    /// One chord of the vocabulary.
    public struct Chord: Sendable, Equatable, Hashable {
        /// Root pitch class (C = 0).
        public var root: Int
        public var quality: ChordQuality
        /// The bass as semitones above the root (0 in root position).
        public var bass: Int

        /// Pitch classes of the chord tones.
        public var pitchClasses: [Int] { quality.intervals.map { ($0 + root) % 12 } }
        /// The bass pitch class.
        public var bassPitchClass: Int { (root + bass) % 12 }
        /// The label in Harte syntax, e.g. `Eb:maj7/3`.
        public var label: String {
            let name = ChordVocabulary.rootNames[root] + ":" + quality.rawValue
            return bass == 0 ? name : name + "/" + quality.degree(ofInterval: bass)
        }
    }

    /// Pitch-class names used in labels.
    public static let rootNames = ["C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"]

    /// The chords (N is not among them; it is always possible).
    public let chords: [Chord]

    /// Every root × quality of `preset`, each in root position and, with `inversions`, with every other
    /// chord tone in the bass.
    public init(_ preset: Preset, inversions: Bool = true) {
        var chords: [Chord] = []
        for quality in preset.qualities {
            for root in 0..<12 {
                chords.append(Chord(root: root, quality: quality, bass: 0))
                if inversions {
                    for interval in quality.intervals.dropFirst() { chords.append(Chord(root: root, quality: quality, bass: interval)) }
                }
            }
        }
        self.chords = chords
    }
}
