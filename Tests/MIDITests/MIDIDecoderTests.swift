import Media
import XCTest
@testable import MIDI

/// Decoding hand-built files: running status, meta and sysex events, note pairing rules.
final class MIDIDecoderTests: XCTestCase {
    // MARK: Running status

    func testRunningStatusAndVelocityZeroNoteOff() throws {
        // 480 tpq, default 120 bpm: 480 ticks = 0.5 s.
        let events: [UInt8] = [
            0x00, 0x90, 60, 100,      // note-on C4
            0x00, 64, 90,             // running status: note-on E4
            0x83, 0x60, 60, 0,        // +480: running status note-on vel 0 = note-off C4
            0x00, 64, 0,              // note-off E4
            0x00, 0x80, 67, 64,       // stray note-off: ignored
            0x00, 0x91, 72, 80,       // note-on C5 channel 1
            0x83, 0x60, 0x81, 72, 0,  // +480 real note-off on channel 1
        ]
        let file = try MIDIFile.decode(SMFBytes.header(format: 0, tracks: 1) + SMFBytes.track(events))
        XCTAssertEqual(file.format, 0)
        XCTAssertEqual(file.ticksPerQuarter, 480)
        XCTAssertEqual(file.notes, [
            NoteEvent(pitch: 60, start: 0, end: 0.5, velocity: 100, channel: 0),
            NoteEvent(pitch: 64, start: 0, end: 0.5, velocity: 90, channel: 0),
            NoteEvent(pitch: 72, start: 0.5, end: 1.0, velocity: 80, channel: 1),
        ])
    }

    func testRunningStatusSurvivesMetaAndSysex() throws {
        let events: [UInt8] = [
            0x00, 0x90, 60, 100,
            0x00, 0xFF, 0x01, 0x03, 0x61, 0x62, 0x63,   // text meta
            0x00, 0xF0, 0x03, 0x7E, 0x7F, 0xF7,         // sysex
            0x00, 0xF7, 0x02, 0x01, 0x02,               // escaped sysex
            0x83, 0x60, 60, 0,                          // running status note-off after meta/sysex
        ]
        let file = try MIDIFile.decode(SMFBytes.header(format: 0, tracks: 1) + SMFBytes.track(events))
        XCTAssertEqual(file.notes.count, 1)
        XCTAssertEqual(file.notes[0].end, 0.5, accuracy: 1e-12)
    }

    func testDataByteWithoutRunningStatusIsCorrupt() {
        let bytes = SMFBytes.header(format: 0, tracks: 1) + SMFBytes.track([0x00, 60, 100])
        assertCorrupt(bytes, contains: ["no running status", "byte offset 23"])
    }

    // MARK: Note pairing

    func testOverlappingSamePitchNotesCloseFirstInFirstOut() throws {
        let events: [UInt8] = [
            0x00, 0x90, 60, 100,      // A on at 0
            0x83, 0x60, 0x90, 60, 50, // B on at 480
            0x83, 0x60, 0x80, 60, 0,  // off at 960 closes A
            0x83, 0x60, 0x80, 60, 0,  // off at 1440 closes B
        ]
        let file = try MIDIFile.decode(SMFBytes.header(format: 0, tracks: 1) + SMFBytes.track(events))
        XCTAssertEqual(file.notes.map(\.velocity), [100, 50])
        XCTAssertEqual(file.notes.map(\.start), [0, 0.5])
        XCTAssertEqual(file.notes.map(\.end), [1.0, 1.5])
    }

    func testNotesWithoutNoteOffEndAtTrackEnd() throws {
        let events: [UInt8] = [
            0x00, 0x90, 60, 100,
            0x00, 0x90, 60, 90,
            0x87, 0x40, 0xB0, 0x40, 0x7F,   // +960: a controller (sustain) moves the clock
        ]
        let file = try MIDIFile.decode(SMFBytes.header(format: 0, tracks: 1) + SMFBytes.track(events))
        XCTAssertEqual(file.notes.count, 2)
        XCTAssertEqual(file.notes.map(\.end), [1.0, 1.0])
        XCTAssertEqual(file.tracks[0].endTick, 960)
        // Without an end-of-track event the chunk end closes them too.
        let open = try MIDIFile.decode(SMFBytes.header(format: 0, tracks: 1)
                                       + SMFBytes.track([0x00, 0x90, 60, 100, 0x83, 0x60, 0xA0, 60, 10], endOfTrack: false))
        XCTAssertEqual(open.notes.map(\.end), [0.5])
    }

    // MARK: Meta events and programs

    func testTempoNamesTimeSignatureAndPrograms() throws {
        let conductor = SMFBytes.tempo(1_000_000)                                   // 60 bpm
            + [0x00, 0xFF, 0x58, 0x04, 0x03, 0x02, 0x18, 0x08]                      // 3/4
            + SMFBytes.tempo(250_000, delta: 480)                                   // 240 bpm from tick 480
        let melody: [UInt8] = [0x00, 0xFF, 0x03, 0x04] + Array("Lead".utf8) + [
            0x00, 0xC2, 40,              // program 40 on channel 2
            0x00, 0x92, 60, 100,
            0x83, 0x60, 0x82, 60, 0,     // ends at 480 = 1.0 s
            0x00, 0xC2, 41,              // program 41, then a note at the same tick
            0x00, 0x92, 62, 100,
            0x83, 0x60, 0x82, 62, 0,     // 960 = 1.0 + 0.25 s
        ]
        let bytes = SMFBytes.header(format: 1, tracks: 2) + SMFBytes.track(conductor) + SMFBytes.track(melody)
        let file = try MIDIFile.decode(bytes)
        XCTAssertEqual(file.tempoMap.changes.map(\.microsecondsPerQuarter), [1_000_000, 250_000])
        XCTAssertEqual(file.tempoMap.timeSignatures, [TempoMap.TimeSignature(tick: 0, numerator: 3, denominator: 4)])
        XCTAssertEqual(file.trackNames, [nil, "Lead"])
        XCTAssertEqual(file.tracks[1].programChanges.map(\.program), [40, 41])
        XCTAssertEqual(file.notes, [
            NoteEvent(pitch: 60, start: 0, end: 1.0, velocity: 100, channel: 2, program: 40, track: 1),
            NoteEvent(pitch: 62, start: 1.0, end: 1.25, velocity: 100, channel: 2, program: 41, track: 1),
        ])
    }

    func testUnknownChunksAreSkipped() throws {
        let bytes = SMFBytes.header(format: 0, tracks: 1)
            + SMFBytes.chunk("XFIH", [1, 2, 3, 4, 5])
            + SMFBytes.track([0x00, 0x90, 60, 100, 0x60, 0x80, 60, 0])
        let file = try MIDIFile.decode(bytes)
        XCTAssertEqual(file.notes.count, 1)
        XCTAssertEqual(file.tracks.count, 1)
    }

    func testLongerHeaderIsAccepted() throws {
        var bytes = SMFBytes.header(format: 0, tracks: 1)
        bytes[7] = 8
        bytes += [0xAA, 0xBB]
        bytes += SMFBytes.track([0x00, 0x90, 60, 100, 0x60, 0x80, 60, 0])
        XCTAssertEqual(try MIDIFile.decode(bytes).notes.count, 1)
    }

    func testSMPTEDivision() throws {
        // 25 fps × 40 ticks per frame = 1000 ticks per second; tempo events do not matter.
        let division = UInt16(UInt8(bitPattern: -25)) << 8 | 40
        let events = SMFBytes.tempo(1_000_000) + [0x00, 0x90, 60, 100, 0x87, 0x68, 0x80, 60, 0]  // 1000 ticks
        let file = try MIDIFile.decode(SMFBytes.header(format: 0, tracks: 1, division: division) + SMFBytes.track(events))
        XCTAssertEqual(file.division, .smpte(framesPerSecond: 25, ticksPerFrame: 40))
        XCTAssertNil(file.ticksPerQuarter)
        XCTAssertEqual(file.notes[0].end, 1.0, accuracy: 1e-12)
        // And it writes back with the same time base.
        let again = try MIDIFile.decode(file.encode(format: 0))
        XCTAssertEqual(again.division, file.division)
        XCTAssertEqual(again.notes[0].end, 1.0, accuracy: 1e-9)
    }

    func testFormat2IsUnsupported() {
        let bytes = SMFBytes.header(format: 2, tracks: 1) + SMFBytes.track([])
        XCTAssertThrowsError(try MIDIFile.decode(bytes, source: "f2.mid")) { error in
            guard case MediaError.unsupported(let path, let detail) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(path, "f2.mid")
            XCTAssertTrue(detail.contains("format 2"))
        }
    }

    // MARK: Helpers

    private func assertCorrupt(_ bytes: [UInt8], contains parts: [String], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try MIDIFile.decode(bytes, source: "x.mid"), file: file, line: line) { error in
            guard case MediaError.corrupt(let path, let format, let detail) = error else {
                return XCTFail("expected corrupt, got \(error)", file: file, line: line)
            }
            XCTAssertEqual(path, "x.mid", file: file, line: line)
            XCTAssertEqual(format, "MIDI", file: file, line: line)
            for part in parts { XCTAssertTrue(detail.contains(part), "'\(detail)' lacks '\(part)'", file: file, line: line) }
        }
    }
}
