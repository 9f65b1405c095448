import Media
import TestSupport
import XCTest
@testable import MIDI

/// The `onset_s,offset_s,midi_pitch,velocity` CSV format.
final class NoteTableTests: XCTestCase {
    func testDecodeAndEncode() throws {
        let text = "\u{FEFF}onset_s,offset_s,midi_pitch,velocity\r\n0.5,0.8125,57,83\r\n\r\n0.4992290249433107,1.0,73.0,0\n"
        let table = try NoteTable.decode(text)
        XCTAssertEqual(table.notes, [
            NoteEvent(pitch: 57, start: 0.5, end: 0.8125, velocity: 83),
            NoteEvent(pitch: 73, start: 0.4992290249433107, end: 1.0, velocity: 1),
        ])
        XCTAssertEqual(table.encode(), """
            onset_s,offset_s,midi_pitch,velocity
            0.499229,1.000000,73,1
            0.500000,0.812500,57,83

            """)
        XCTAssertEqual(NoteTable.fixed(2.0000005, 6), "2.000001")
        XCTAssertEqual(NoteTable.fixed(12.5, 0), "13")
    }

    func testFileRoundTrip() throws {
        let directory = try TemporaryDirectory(prefix: "mlwb-notes")
        defer { directory.remove() }
        let path = directory.file("notes.csv")
        let notes = [NoteEvent(pitch: 60, start: 0.1, end: 0.45, velocity: 90),
                     NoteEvent(pitch: 64, start: 0.45, end: 0.8, velocity: 100)]
        try NoteTable(notes: notes).write(to: path)
        XCTAssertEqual(try NoteTable.read(path).notes, notes)
        // readNotes takes either format.
        let midi = directory.file("notes.mid")
        try MIDIFile(notes: notes).write(to: midi)
        XCTAssertEqual(try NoteTable.readNotes(path), notes)
        XCTAssertEqual(try NoteTable.readNotes(midi).map(\.pitch), [60, 64])
        XCTAssertEqual(try NoteTable.readNotes(midi).map(\.start), [0.1, 0.45].map { (($0 * 960).rounded()) / 960 })
    }

    func testBadTables() {
        let cases: [(String, String)] = [
            ("", "the file is empty"),
            ("onset,offset,pitch,velocity\n", "line 1: expected the header 'onset_s,offset_s,midi_pitch,velocity'"),
            ("onset_s,offset_s,midi_pitch,velocity\n0.5,0.6,60\n", "line 2: expected 4 comma-separated values, found 3"),
            ("onset_s,offset_s,midi_pitch,velocity\n0.5,abc,60,9\n", "line 2: offset_s 'abc' is not a number"),
            ("onset_s,offset_s,midi_pitch,velocity\n0.5,0.6,60,9\n0.7,0.6,60,9\n", "line 3: offset 0.6 s is before onset 0.7 s"),
            ("onset_s,offset_s,midi_pitch,velocity\n0.5,0.6,60.5,9\n", "line 2: midi_pitch 60.5 is not a whole number"),
            ("onset_s,offset_s,midi_pitch,velocity\n0.5,0.6,60,300\n", "line 2: velocity 300.0 is outside 0–127"),
            ("onset_s,offset_s,midi_pitch,velocity\n-1,0.6,60,30\n", "line 2: onset -1.0 s is negative"),
        ]
        for (text, message) in cases {
            XCTAssertThrowsError(try NoteTable.decode(text, source: "t.csv")) { error in
                guard case MediaError.corrupt("t.csv", "note CSV", let detail) = error else { return XCTFail("\(error)") }
                XCTAssertTrue(detail.hasPrefix(message), "'\(detail)' does not start with '\(message)'")
            }
        }
    }

    func testMergingUnisons() {
        let notes = [NoteEvent(pitch: 60, start: 0, end: 1, velocity: 80, channel: 0),
                     NoteEvent(pitch: 60, start: 0.5, end: 1.5, velocity: 70, channel: 1),
                     NoteEvent(pitch: 60, start: 1.5, end: 2, velocity: 60, channel: 1),  // touches: separate
                     NoteEvent(pitch: 64, start: 0.5, end: 1, velocity: 50, channel: 1)]
        XCTAssertEqual(NoteEvent.mergingUnisons(notes), [
            NoteEvent(pitch: 60, start: 0, end: 1.5, velocity: 80, channel: 0),
            NoteEvent(pitch: 64, start: 0.5, end: 1, velocity: 50, channel: 1),
            NoteEvent(pitch: 60, start: 1.5, end: 2, velocity: 60, channel: 1),
        ])
    }
}
