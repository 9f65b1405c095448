@testable import Models
import XCTest

/// The chord vocabulary: sizes per preset and labels mir_eval reads back to the same chord.
final class ChordVocabularyTests: XCTestCase {
    func testPresetSizes() {
        XCTAssertEqual(ChordVocabulary(.majmin, inversions: false).chords.count, 24)
        XCTAssertEqual(ChordVocabulary(.majmin).chords.count, 72)
        XCTAssertEqual(ChordVocabulary(.sevenths).chords.count, 12 * (3 + 3 + 4 + 4 + 4))
        XCTAssertEqual(ChordVocabulary(.full).chords.count, 12 * 31)
    }

    func testLabelsEncodeToTheirOwnPitchClassesAndBass() throws {
        for chord in ChordVocabulary(.full).chords {
            let encoding = try HarteChord(chord.label).encoding()
            XCTAssertEqual(encoding.root, chord.root, chord.label)
            XCTAssertEqual(encoding.bass, chord.bass, chord.label)
            let pitchClasses = Set((0..<12).filter { encoding.pitchClasses[$0] == 1 })
            XCTAssertEqual(pitchClasses, Set(chord.pitchClasses), chord.label)
        }
        XCTAssertEqual(ChordVocabulary.Chord(root: 7, quality: .dominantSeventh, bass: 4).label, "G:7/3")
        XCTAssertEqual(ChordVocabulary.Chord(root: 3, quality: .halfDiminishedSeventh, bass: 0).label, "Eb:hdim7")
        XCTAssertEqual(ChordVocabulary.Chord(root: 0, quality: .augmented, bass: 8).label, "C:aug/#5")
    }
}
