/// A chord label in Harte syntax (`C:maj7/3`, `A:min(9)`, `G:(1,5)`, `N`, `X`), parsed and encoded as
/// mir_eval's `chord` module reads it: a root pitch class, the active semitones relative to the root
/// (the quality's shorthand, then added and omitted degrees, then the bass) and the bass interval.
public struct HarteChord: Sendable, Equatable, Hashable {
    // MARK: Parts

    /// The label as written.
    public let label: String
    /// Root pitch class 0…11 (C = 0), -1 for `N` and `X`.
    public let root: Int
    /// The quality shorthand as written ("maj" when only a root is given, "" for `C:(1,3)`), nil for N/X.
    public let quality: String?
    /// Added (`9`) and omitted (`*3`) degrees in parentheses, as written.
    public let degrees: [String]
    /// The bass degree as written ("1" when absent).
    public let bassDegree: String

    /// Whether this is `N` (no chord).
    public var isNoChord: Bool { label == "N" }
    /// Whether this is `X` (a chord that cannot be named; left out of every score).
    public var isUnknown: Bool { label == "X" }

    // MARK: Parsing

    /// Parses `text`; throws a `HarteChord.ParseError` that says which part is malformed.
    public init(_ text: String) throws {
        label = text
        if text == "N" || text == "X" {
            root = -1; quality = nil; degrees = []; bassDegree = ""
            return
        }
        var scanner = Scanner(Array(text.utf8), label: text)
        root = try scanner.root()
        var quality = "maj"
        var degrees: [String] = []
        if scanner.take(UInt8(ascii: ":")) {
            if scanner.peek == UInt8(ascii: "(") {
                quality = ""
            } else {
                quality = try scanner.shorthand()
            }
            if scanner.take(UInt8(ascii: "(")) {
                degrees = try scanner.degreeList()
            } else if quality.isEmpty {
                throw ParseError(label: text, reason: "a ':' must be followed by a quality or '(degrees)'")
            }
        }
        var bass = "1"
        if scanner.take(UInt8(ascii: "/")) {
            bass = try scanner.degree(allowOmission: false)
        }
        guard scanner.atEnd else {
            throw ParseError(label: text, reason: "unexpected '\(scanner.rest)'")
        }
        guard Self.qualityBitmaps[quality] != nil else {
            throw ParseError(label: text, reason: "mir_eval has no semitones for the quality '\(quality)'")
        }
        self.quality = quality
        self.degrees = degrees
        bassDegree = bass
    }

    /// Why a label could not be parsed.
    public struct ParseError: Error, Equatable, CustomStringConvertible {
        /// The label that failed and why.
        public var label: String
        public var reason: String
        public var description: String { "'\(label)' is not a Harte chord label: \(reason)" }
    }

    // MARK: Encoding

    /// The numbers mir_eval compares: root, 12 relative semitones (1 active, 0 not; all -1 for `X`) and
    /// the bass as a relative semitone (-1 for N/X).
    public struct Encoding: Sendable, Equatable, Hashable {
        /// Root pitch class (-1 for N and X), relative semitones, relative bass semitone (-1 for N and X).
        public var root: Int
        public var semitones: [Int]
        public var bass: Int
        /// The semitones rotated to absolute pitch classes (mir_eval's `rotate_bitmap_to_root`: every
        /// non-zero entry becomes a 1 at `(index + root) mod 12`).
        public var pitchClasses: [Int] {
            var out = [Int](repeating: 0, count: 12)
            for i in 0..<12 where semitones[i] != 0 { out[((i + root) % 12 + 12) % 12] = 1 }
            return out
        }
    }

    /// mir_eval's `encode`; `reduceExtended` maps 9/11/13 qualities to sevenths plus extensions and folds
    /// degrees above the octave back into it (as `merge_chord_intervals` does).
    public func encoding(reduceExtended: Bool = false) -> Encoding {
        if isNoChord { return Encoding(root: -1, semitones: [Int](repeating: 0, count: 12), bass: -1) }
        if isUnknown { return Encoding(root: -1, semitones: [Int](repeating: -1, count: 12), bass: -1) }
        var name = quality ?? "maj"
        var extra: [String] = []
        if reduceExtended, let reduced = Self.extendedReduction[name] { name = reduced.quality; extra = reduced.degrees }
        var bits = Self.qualityBitmaps[name] ?? [Int](repeating: 0, count: 12)
        bits[0] = 1
        var unique: [String] = []
        for degree in degrees + extra where !unique.contains(degree) { unique.append(degree) }
        for degree in unique {
            let omitted = degree.hasPrefix("*")
            let semitone = Self.semitone(ofDegree: omitted ? String(degree.dropFirst()) : degree)
            if semitone < 12 || reduceExtended { bits[((semitone % 12) + 12) % 12] += omitted ? -1 : 1 }
        }
        bits = bits.map { $0 > 0 ? 1 : 0 }
        let bass = ((Self.semitone(ofDegree: bassDegree) % 12) + 12) % 12
        bits[bass] = 1
        return Encoding(root: root, semitones: bits, bass: bass)
    }

    // MARK: Tables

    /// Semitones of the natural pitch names.
    static let naturals: [UInt8: Int] = [UInt8(ascii: "C"): 0, UInt8(ascii: "D"): 2, UInt8(ascii: "E"): 4, UInt8(ascii: "F"): 5,
                                         UInt8(ascii: "G"): 7, UInt8(ascii: "A"): 9, UInt8(ascii: "B"): 11]
    /// Semitones of the scale degrees 1…13.
    static let degreeSemitones = [0, 2, 4, 5, 7, 9, 11, 12, 14, 16, 17, 19, 21]
    /// The shorthands the grammar accepts (mir_eval's regular expression).
    static let shorthands = ["maj", "min", "dim", "aug", "1", "5", "sus2", "sus4", "maj6", "min6", "7", "maj7", "min7", "dim7",
                             "hdim7", "minmaj7", "aug7", "9", "maj9", "min9", "11", "maj11", "min11", "13", "maj13", "min13"]
    /// Relative semitones of each quality mir_eval can encode (`aug7` and `maj11` parse but have none).
    static let qualityBitmaps: [String: [Int]] = {
        func bits(_ semitones: [Int]) -> [Int] {
            var b = [Int](repeating: 0, count: 12)
            for s in semitones { b[s] = 1 }
            return b
        }
        return ["maj": bits([0, 4, 7]), "min": bits([0, 3, 7]), "aug": bits([0, 4, 8]), "dim": bits([0, 3, 6]),
                "sus4": bits([0, 5, 7]), "sus2": bits([0, 2, 7]), "7": bits([0, 4, 7, 10]), "maj7": bits([0, 4, 7, 11]),
                "min7": bits([0, 3, 7, 10]), "minmaj7": bits([0, 3, 7, 11]), "maj6": bits([0, 4, 7, 9]), "min6": bits([0, 3, 7, 9]),
                "dim7": bits([0, 3, 6, 9]), "hdim7": bits([0, 3, 6, 10]), "maj9": bits([0, 4, 7, 11]), "min9": bits([0, 3, 7, 10]),
                "9": bits([0, 4, 7, 10]), "min11": bits([0, 3, 7, 10]), "11": bits([0, 4, 7, 10]), "maj13": bits([0, 4, 7, 11]),
                "min13": bits([0, 3, 7, 10]), "13": bits([0, 4, 7, 10]), "1": bits([0]), "5": bits([0, 7]), "": bits([])]
    }()
    /// Extended qualities as a seventh plus extensions (mir_eval's `EXTENDED_QUALITY_REDUX`).
    static let extendedReduction: [String: (quality: String, degrees: [String])] = [
        "minmaj7": ("min", ["7"]), "maj9": ("maj7", ["9"]), "min9": ("min7", ["9"]), "9": ("7", ["9"]),
        "11": ("7", ["9", "11"]), "13": ("7", ["9", "11", "13"]), "min11": ("min7", ["9", "11"]),
        "maj13": ("maj7", ["9", "11", "13"]), "min13": ("min7", ["9", "11", "13"]),
    ]

    /// Semitones of a degree such as `b3`, `#5`, `9` (not reduced to an octave; may be negative).
    static func semitone(ofDegree degree: String) -> Int {
        let sharps = degree.prefix { $0 == "#" }.count, flats = degree.prefix { $0 == "b" }.count
        let number = Int(degree.dropFirst(sharps + flats)) ?? 1
        return degreeSemitones[max(0, min(12, number - 1))] + sharps - flats
    }

    // MARK: Scanner

    /// A cursor over the label's bytes for the hand-written grammar.
    struct Scanner {
        let bytes: [UInt8]
        let label: String
        var index = 0
        init(_ bytes: [UInt8], label: String) { self.bytes = bytes; self.label = label }

        var atEnd: Bool { index >= bytes.count }
        var peek: UInt8? { atEnd ? nil : bytes[index] }
        var rest: String { String(decoding: bytes[index...], as: UTF8.self) }

        mutating func take(_ byte: UInt8) -> Bool {
            guard peek == byte else { return false }
            index += 1
            return true
        }

        func error(_ reason: String) -> ParseError { ParseError(label: label, reason: reason) }

        /// `[A-G](b*|#*)` as a pitch class.
        mutating func root() throws -> Int {
            guard let letter = peek, let natural = HarteChord.naturals[letter] else {
                throw error("a chord starts with a root A–G (or is N or X)")
            }
            index += 1
            return ((natural + accidentals()) % 12 + 12) % 12
        }

        /// Consumes `b*` or `#*` and returns the semitone offset.
        mutating func accidentals() -> Int {
            if peek == UInt8(ascii: "#") {
                var n = 0
                while take(UInt8(ascii: "#")) { n += 1 }
                return n
            }
            var n = 0
            while take(UInt8(ascii: "b")) { n -= 1 }
            return n
        }

        /// The longest shorthand that lets the rest of the label parse (the grammar's alternation).
        mutating func shorthand() throws -> String {
            let start = index
            var end = index
            while end < bytes.count, bytes[end] != UInt8(ascii: "("), bytes[end] != UInt8(ascii: "/") { end += 1 }
            let word = String(decoding: bytes[start..<end], as: UTF8.self)
            guard HarteChord.shorthands.contains(word) else {
                throw error("unknown quality '\(word)' (known: \(HarteChord.shorthands.joined(separator: ", ")))")
            }
            index = end
            return word
        }

        /// `degree(,degree)*)` after an opening parenthesis.
        mutating func degreeList() throws -> [String] {
            var list = [try degree(allowOmission: true)]
            while take(UInt8(ascii: ",")) { list.append(try degree(allowOmission: true)) }
            guard take(UInt8(ascii: ")")) else { throw error("degrees in parentheses must be separated by ',' and closed by ')'") }
            return list
        }

        /// `\*?(b*|#*)([1-9]|1[0-3]?)`.
        mutating func degree(allowOmission: Bool) throws -> String {
            let start = index
            if allowOmission { _ = take(UInt8(ascii: "*")) }
            _ = accidentals()
            guard let first = peek, first >= UInt8(ascii: "1"), first <= UInt8(ascii: "9") else {
                throw error("a degree is a number 1–13 with optional b or # (and * to omit it)")
            }
            index += 1
            if first == UInt8(ascii: "1"), let second = peek, second >= UInt8(ascii: "0"), second <= UInt8(ascii: "3") { index += 1 }
            return String(decoding: bytes[start..<index], as: UTF8.self)
        }
    }
}
