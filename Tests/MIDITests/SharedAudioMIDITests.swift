import TestSupport
import XCTest
@testable import MIDI

/// Reads the real MIDI files of ../shared/audio and compares them with their ground-truth note tables.
final class SharedAudioMIDITests: XCTestCase {
    private static let excerpts = ["bach_bwv66_6", "joplin_maple_leaf_rag", "mozart_k155_ii"]

    func testMIDIFilesMatchGroundTruth() throws {
        for name in Self.excerpts {
            let midiPath = try SharedData.require("audio/\(name).mid")
            let csvPath = try SharedData.require("audio/\(name).notes.csv")
            let file = try MIDIFile.read(midiPath)
            let truth = try NoteTable.read(csvPath).notes

            XCTAssertEqual(file.format, 1, name)
            XCTAssertEqual(file.ticksPerQuarter, 480, name)
            XCTAssertEqual(file.tempoMap.changes.count, 1, "\(name): one constant tempo")
            XCTAssertTrue(file.notes.allSatisfy { $0.program == 0 }, "\(name): GM program 0")

            // The table has one row per sounding note: unisons between parts are merged.
            let merged = NoteEvent.mergingUnisons(file.notes)
            XCTAssertEqual(merged.count, truth.count, "\(name): \(file.notes.count) notes, \(merged.count) after merging unisons")
            // Both the MIDI file and the table hold nominal times (the 1–3 ms lag is only in the audio),
            // so they agree to the table's 6 decimals; 3 ms is the loosest acceptable bound.
            var worst = 0.0
            for (index, (got, expected)) in zip(merged, truth.sorted(by: NoteEvent.onsetOrder)).enumerated() {
                worst = max(worst, abs(got.start - expected.start), abs(got.end - expected.end))
                guard got.pitch == expected.pitch, got.velocity == expected.velocity,
                      abs(got.start - expected.start) <= 0.003, abs(got.end - expected.end) <= 0.003 else {
                    XCTFail("\(name) row \(index): MIDI \(got) vs table \(expected)")
                    break
                }
            }
            XCTAssertLessThan(worst, 1e-5, "\(name): worst time difference \(worst) s")
            print("\(name): \(file.notes.count) MIDI notes, \(merged.count) sounding, worst time error \(worst) s")
        }
    }
}

// MARK: - Round trip of real files

extension SharedAudioMIDITests {
    func testRealFilesRoundTripInBothFormats() throws {
        for name in Self.excerpts {
            let original = try MIDIFile.read(try SharedData.require("audio/\(name).mid"))
            for format in [0, 1] {
                let again = try MIDIFile.decode(original.encode(format: format))
                XCTAssertEqual(again.notes.count, original.notes.count, name)
                for (a, b) in zip(again.notes, original.notes) {
                    XCTAssertEqual(a.pitch, b.pitch)
                    XCTAssertEqual(a.velocity, b.velocity)
                    XCTAssertEqual(a.channel, b.channel)
                    XCTAssertEqual(a.start, b.start, accuracy: 1e-9)
                    XCTAssertEqual(a.end, b.end, accuracy: 1e-9)
                }
                if format == 1 { XCTAssertEqual(again.trackNames, original.trackNames, name) }
            }
        }
    }
}
