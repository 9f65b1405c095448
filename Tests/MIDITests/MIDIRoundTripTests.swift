import Media
import TestSupport
import XCTest
@testable import MIDI

/// Writing notes and reading them back.
final class MIDIRoundTripTests: XCTestCase {
    /// A little piece over three (program, channel) groups with overlaps and repeated pitches.
    private func sampleNotes() -> [NoteEvent] {
        var notes: [NoteEvent] = []
        var generator = SeededGenerator(seed: 7)
        for index in 0..<60 {
            let start = Double(index) * 0.13 + Double(generator.next() % 1000) / 20_000
            let length = 0.05 + Double(generator.next() % 1000) / 1500
            let group = index % 3
            notes.append(NoteEvent(pitch: 48 + (index * 7) % 36, start: start, end: start + length,
                                   velocity: 1 + Int(generator.next() % 127),
                                   channel: [0, 1, 9][group], program: [0, 40, 0][group]))
        }
        notes.append(NoteEvent(pitch: 100, start: 1.0, end: 1.0, velocity: 64))  // zero length: kept, one tick long
        return notes
    }

    private func assertSameNotes(_ got: [NoteEvent], _ expected: [NoteEvent], tolerance: Double,
                                 file: StaticString = #filePath, line: UInt = #line) {
        let a = got.sorted(by: NoteEvent.onsetOrder), b = expected.sorted(by: NoteEvent.onsetOrder)
        XCTAssertEqual(a.count, b.count, file: file, line: line)
        for (x, y) in zip(a, b) {
            XCTAssertEqual(x.pitch, y.pitch, file: file, line: line)
            XCTAssertEqual(x.velocity, y.velocity, file: file, line: line)
            XCTAssertEqual(x.channel, y.channel, file: file, line: line)
            XCTAssertEqual(x.program, y.program, file: file, line: line)
            XCTAssertEqual(x.start, y.start, accuracy: tolerance, file: file, line: line)
            XCTAssertEqual(x.end, y.end, accuracy: tolerance + (y.end == y.start ? 1.01 * tolerance : 0), file: file, line: line)
        }
    }

    // MARK: Formats

    func testRoundTripFormat1() throws {
        let notes = sampleNotes()
        let bytes = try MIDIFile(notes: notes).encode(format: 1)
        let file = try MIDIFile.decode(bytes)
        XCTAssertEqual(file.format, 1)
        XCTAssertEqual(file.ticksPerQuarter, 480)
        XCTAssertEqual(file.tempoMap.initialBPM, 120)
        XCTAssertEqual(file.tracks.count, 4)  // conductor + (ch0,p0) + (ch1,p40) + (ch9,p0)
        XCTAssertEqual(file.tracks[0].noteCount, 0)
        XCTAssertEqual(file.tracks[2].programChanges.map(\.program), [40])
        assertSameNotes(file.notes, notes, tolerance: 0.5 / 960 + 1e-9)  // half a tick at 960 ticks/s
    }

    func testRoundTripFormat0() throws {
        let notes = sampleNotes()
        let file = try MIDIFile.decode(MIDIFile(notes: notes).encode(format: 0))
        XCTAssertEqual(file.format, 0)
        XCTAssertEqual(file.tracks.count, 1)
        XCTAssertEqual(Set(file.tracks[0].programChanges.map(\.program)), [0, 40])
        assertSameNotes(file.notes, notes, tolerance: 0.5 / 960 + 1e-9)
    }

    func testTempoChangesMidFileRoundTrip() throws {
        let map = TempoMap(division: .ticksPerQuarter(96), changes: [
            .init(tick: 0, bpm: 100), .init(tick: 384, bpm: 150), .init(tick: 768, bpm: 72.5),
        ], timeSignatures: [.init(tick: 0, numerator: 4, denominator: 4), .init(tick: 384, numerator: 6, denominator: 8)])
        // Notes on tick boundaries straddling both changes.
        let notes = [(0, 200), (300, 500), (700, 900), (770, 1000)].enumerated().map { index, span in
            NoteEvent(pitch: 60 + index, start: map.seconds(atTick: span.0), end: map.seconds(atTick: span.1))
        }
        let original = MIDIFile(notes: notes, tempoMap: map)
        for format in [0, 1] {
            let file = try MIDIFile.decode(original.encode(format: format))
            XCTAssertEqual(file.tempoMap.changes, map.changes)
            XCTAssertEqual(file.tempoMap.timeSignatures, map.timeSignatures)
            assertSameNotes(file.notes, notes, tolerance: 1e-9)
        }
    }

    func testNoteOffsPrecedeNoteOnsAtTheSameTick() throws {
        let notes = [NoteEvent(pitch: 60, start: 0, end: 0.5), NoteEvent(pitch: 60, start: 0.5, end: 1.0)]
        let bytes = try MIDIFile(notes: notes).encode(format: 0)
        let file = try MIDIFile.decode(bytes)
        XCTAssertEqual(file.notes.map(\.start), [0, 0.5])
        XCTAssertEqual(file.notes.map(\.end), [0.5, 1.0])
        // Within the track: the off (0x80) at tick 480 comes right before the second on (0x90).
        let offAt = try XCTUnwrap(bytes.indices.first { bytes[$0] == 0x80 })
        XCTAssertEqual(Array(bytes[offAt..<offAt + 7]), [0x80, 60, 64, 0x00, 0x90, 60, 90])
        XCTAssertEqual(Array(bytes.suffix(4)), [0x00, 0xFF, 0x2F, 0x00])
    }

    func testProgramSwitchOnOneChannel() throws {
        let notes = [NoteEvent(pitch: 60, start: 0, end: 0.5, program: 0),
                     NoteEvent(pitch: 62, start: 0.5, end: 1, program: 24),
                     NoteEvent(pitch: 64, start: 1, end: 1.5, program: 0)]
        for format in [0, 1] {
            let file = try MIDIFile.decode(MIDIFile(notes: notes).encode(format: format))
            XCTAssertEqual(file.notes.map(\.program), [0, 24, 0], "format \(format)")
        }
    }

    func testTrackNamesSurviveARoundTrip() throws {
        let bytes = SMFBytes.header(format: 1, tracks: 3)
            + SMFBytes.track([0x00, 0xFF, 0x03, 0x04] + Array("Song".utf8) + SMFBytes.tempo(600_000))
            + SMFBytes.track([0x00, 0xFF, 0x03, 0x02] + Array("Up".utf8) + [0x00, 0x90, 70, 80, 0x60, 0x80, 70, 0])
            + SMFBytes.track([0x00, 0xFF, 0x03, 0x04] + Array("Down".utf8) + [0x00, 0xC1, 33, 0x00, 0x91, 40, 80, 0x60, 0x81, 40, 0])
        let file = try MIDIFile.decode(bytes)
        XCTAssertEqual(file.trackNames, ["Song", "Up", "Down"])
        let again = try MIDIFile.decode(file.encode())
        XCTAssertEqual(again.trackNames, ["Song", "Up", "Down"])
        XCTAssertEqual(again.notes, file.notes)
    }

    // MARK: Files

    func testWriteIsAtomicAndReadable() throws {
        let directory = try TemporaryDirectory(prefix: "mlwb-midi")
        defer { directory.remove() }
        let path = directory.file("out.mid")
        let notes = [NoteEvent(pitch: 69, start: 0.25, end: 1.25, velocity: 100)]
        try MIDIFile(notes: notes).write(to: path, format: 0)
        XCTAssertEqual(directory.contents(), ["out.mid"])
        XCTAssertEqual(try MIDIFile.read(path).notes, notes)
    }

    func testInvalidNotesAreRefused() throws {
        let directory = try TemporaryDirectory(prefix: "mlwb-midi")
        defer { directory.remove() }
        let path = directory.file("bad.mid")
        let bad = MIDIFile(notes: [NoteEvent(pitch: 128, start: 0, end: 1)])
        XCTAssertThrowsError(try bad.write(to: path)) { error in
            XCTAssertEqual(error as? MediaError,
                           .invalidArgument("\(path): cannot write MIDI: note 0 (pitch 128 at 0.0 s): pitch 128 is outside 0–127"))
        }
        XCTAssertEqual(directory.contents(), [])
        XCTAssertThrowsError(try MIDIFile(notes: []).encode(format: 2))
        XCTAssertThrowsError(try MIDIFile(notes: [NoteEvent(pitch: 60, start: 1, end: 0.5)]).encode())
        XCTAssertThrowsError(try MIDIFile(notes: [NoteEvent(pitch: 60, start: 0, end: 1, velocity: 0)]).encode())
    }

    func testEmptyFileRoundTrip() throws {
        for format in [0, 1] {
            let file = try MIDIFile.decode(MIDIFile(notes: []).encode(format: format))
            XCTAssertEqual(file.notes, [])
            XCTAssertEqual(file.tracks.count, 1)
        }
    }
}

/// Pitch bends go through the same encoder as notes, and come back from the decoder.
final class PitchBendRoundTripTests: XCTestCase {
    func testBendsRoundTripOnTheirChannel() throws {
        let notes = [NoteEvent(pitch: 60, start: 0, end: 1, velocity: 80, channel: 0, program: 4)]
        let bends = [PitchBend(time: 0, value: -4096), PitchBend(time: 0.5, value: 8191), PitchBend(time: 1, value: 0),
                     PitchBend(time: 0.25, channel: 3, value: 100)]
        let file = MIDIFile(notes: notes, pitchBends: bends)
        let decoded = try MIDIFile.decode(try file.encode(), source: "bends")
        XCTAssertEqual(decoded.notes.count, 1)
        let byTime = decoded.pitchBends.sorted { ($0.time, $0.channel) < ($1.time, $1.channel) }
        XCTAssertEqual(byTime.map(\.value), [-4096, 100, 8191, 0])
        XCTAssertEqual(byTime.map(\.channel), [0, 3, 0, 0])
        for (a, b) in zip(byTime.map(\.time), [0, 0.25, 0.5, 1]) { XCTAssertEqual(a, b, accuracy: 1e-3) }
    }

    func testOutOfRangeBendsAreClampedAndBadOnesRefused() throws {
        let clamped = try MIDIFile.decode(try MIDIFile(notes: [], pitchBends: [PitchBend(time: 0, value: 20_000)]).encode(), source: "x")
        XCTAssertEqual(clamped.pitchBends.map(\.value), [8191])
        XCTAssertThrowsError(try MIDIFile(notes: [], pitchBends: [PitchBend(time: .nan, value: 0)]).encode())
        XCTAssertThrowsError(try MIDIFile(notes: [], pitchBends: [PitchBend(time: 0, channel: 16, value: 0)]).encode())
    }
}
