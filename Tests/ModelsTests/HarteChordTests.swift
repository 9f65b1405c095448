@testable import Models
import XCTest

/// Harte labels parsed and encoded as mir_eval 0.8.2 reads them.
final class HarteChordTests: XCTestCase {
    /// (label, root, semitones C…B as 1/0/x, bass, semitones with extended qualities reduced), from
    /// mir_eval 0.8.2: `encode(label)` and `encode(label, reduce_extended_chords=True)` (run in /tmp/mirvenv).
    static let encodings: [(String, Int, String, Int, String)] = [
        ("N", -1, "000000000000", -1, "000000000000"),
        ("X", -1, "xxxxxxxxxxxx", -1, "xxxxxxxxxxxx"),
        ("C", 0, "100010010000", 0, "100010010000"),
        ("C:maj", 0, "100010010000", 0, "100010010000"),
        ("C:min", 0, "100100010000", 0, "100100010000"),
        ("Db:maj", 1, "100010010000", 0, "100010010000"),
        ("C#:maj", 1, "100010010000", 0, "100010010000"),
        ("Cb:min", 11, "100100010000", 0, "100100010000"),
        ("B#:7", 0, "100010010010", 0, "100010010010"),
        ("E:maj7/3", 4, "100010010001", 4, "100010010001"),
        ("A:min7/b7", 9, "100100010010", 10, "100100010010"),
        ("G:7/3", 7, "100010010010", 4, "100010010010"),
        ("B:hdim7", 11, "100100100010", 0, "100100100010"),
        ("F#:dim", 6, "100100100000", 0, "100100100000"),
        ("C:aug", 0, "100010001000", 0, "100010001000"),
        ("G:sus4", 7, "100001010000", 0, "100001010000"),
        ("G:sus2", 7, "101000010000", 0, "101000010000"),
        ("C:maj(9)", 0, "100010010000", 0, "101010010000"),
        ("C:min(b7)", 0, "100100010010", 0, "100100010010"),
        ("C:7(b9,#11)", 0, "100010010010", 0, "110010110010"),
        ("C:maj(*3)", 0, "100000010000", 0, "100000010000"),
        ("C:maj(*1)", 0, "100010010000", 0, "100010010000"),
        ("C:(1,5)", 0, "100000010000", 0, "100000010000"),
        ("C:(3)", 0, "100010000000", 0, "100010000000"),
        ("C:1", 0, "100000000000", 0, "100000000000"),
        ("C:5", 0, "100000010000", 0, "100000010000"),
        ("C:9", 0, "100010010010", 0, "101010010010"),
        ("C:maj9", 0, "100010010001", 0, "101010010001"),
        ("C:min11", 0, "100100010010", 0, "101101010010"),
        ("C:13", 0, "100010010010", 0, "101011010110"),
        ("C:minmaj7", 0, "100100010001", 0, "100100010001"),
        ("C:maj6", 0, "100010010100", 0, "100010010100"),
        ("A:min6/6", 9, "100100010100", 9, "100100010100"),
        ("D:dim7", 2, "100100100100", 0, "100100100100"),
        ("E:maj/b7", 4, "100010010010", 10, "100010010010"),
        ("E:maj/2", 4, "101010010000", 2, "101010010000"),
        ("G:min/b3", 7, "100100010000", 3, "100100010000"),
        ("G:min/3", 7, "100110010000", 4, "100110010000"),
        ("A:7/5", 9, "100010010010", 7, "100010010010"),
        ("F:maj7/7", 5, "100010010001", 11, "100010010001"),
        ("C:maj(11)", 0, "100010010000", 0, "100011010000"),
        ("C:maj(13)", 0, "100010010000", 0, "100010010100"),
        ("C:maj(#5)", 0, "100010011000", 0, "100010011000"),
        ("C:maj(*5,b6)", 0, "100010001000", 0, "100010001000"),
        ("C:maj/9", 0, "101010010000", 2, "101010010000"),
        ("Bbb:maj", 9, "100010010000", 0, "100010010000"),
        ("A##:min", 11, "100100010000", 0, "100100010000"),
        ("C/5", 0, "100010010000", 7, "100010010000"),
        ("C:(b3,5)", 0, "100100010000", 0, "100100010000"),
        ("C:hdim7/b5", 0, "100100100010", 6, "100100100010"),
        ("C:min7(*b3)", 0, "100000010010", 0, "100000010010"),
        ("C:maj(1)", 0, "100010010000", 0, "100010010000"),
        ("C:sus4(b7)", 0, "100001010010", 0, "100001010010"),
        ("C:(*3)", 0, "100000000000", 0, "100000000000"),
    ]
    /// Labels mir_eval rejects (InvalidChordException).
    static let invalid = ["C:Maj", "H", "C:", "C:maj()", "c:maj", "C:maj/14", "C:maj(0)", "Cb#", "C:maj7/*3", "C:maj11", "C:aug7", "C:(*3", "C maj", "N:maj", "C:maj/"]

    func testEncodesEveryLabelAsMirEval() throws {
        for (label, root, semitones, bass, reduced) in Self.encodings {
            let chord = try HarteChord(label)
            let encoding = chord.encoding()
            XCTAssertEqual(encoding.root, root, label)
            XCTAssertEqual(Self.text(encoding.semitones), semitones, label)
            XCTAssertEqual(encoding.bass, bass, label)
            XCTAssertEqual(Self.text(chord.encoding(reduceExtended: true).semitones), reduced, label)
        }
    }

    func testRejectsWhatMirEvalRejectsAndSaysWhy() {
        for label in Self.invalid {
            XCTAssertThrowsError(try HarteChord(label), label) { error in
                guard let error = error as? HarteChord.ParseError else { return XCTFail("\(label): \(error)") }
                XCTAssertEqual(error.label, label)
                XCTAssertTrue(error.description.hasPrefix("'\(label)' is not a Harte chord label: "), error.description)
            }
        }
        XCTAssertTrue("\(String(describing: try? HarteChord("C:Maj")))" == "nil")
        do { _ = try HarteChord("C:Maj") } catch { XCTAssertTrue("\(error)".contains("unknown quality 'Maj'"), "\(error)") }
        do { _ = try HarteChord("C:aug7") } catch { XCTAssertTrue("\(error)".contains("no semitones for the quality 'aug7'"), "\(error)") }
    }

    func testPartsAsWritten() throws {
        let chord = try HarteChord("G#:min(*b3,9)/5")
        XCTAssertEqual(chord.root, 8)
        XCTAssertEqual(chord.quality, "min")
        XCTAssertEqual(chord.degrees, ["*b3", "9"])
        XCTAssertEqual(chord.bassDegree, "5")
        XCTAssertTrue(try HarteChord("N").isNoChord)
        XCTAssertTrue(try HarteChord("X").isUnknown)
        XCTAssertEqual(try HarteChord("A").quality, "maj")
        XCTAssertEqual(try HarteChord("A:(1,3)").quality, "")
    }

    func testPitchClassesRotateToTheRoot() throws {
        XCTAssertEqual(try HarteChord("G:maj").encoding().pitchClasses, [0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 1])   // G B D
        XCTAssertEqual(try HarteChord("N").encoding().pitchClasses, [Int](repeating: 0, count: 12))
        XCTAssertEqual(try HarteChord("X").encoding().pitchClasses, [Int](repeating: 1, count: 12))   // as mir_eval's rotation
    }

    static func text(_ semitones: [Int]) -> String { semitones.map { $0 < 0 ? "x" : String($0) }.joined() }
}
