import Foundation
import Media
import TestSupport
import XCTest
@testable import MIDI

/// The committed sample `assets/midi/arpeggio.mid` (the same notes are rendered to assets/audio/arpeggio.wav).
final class MIDIArpeggioAssetTests: XCTestCase {
    /// C major arpeggio up and down, 0.35 s per note from 0.1 s, then a chord from 2.6 s to 3.4 s; velocity 90.
    static let notes: [NoteEvent] = {
        let melody = [60, 64, 67, 72, 67, 64, 60].enumerated().map { index, pitch in
            NoteEvent(pitch: pitch, start: 0.1 + 0.35 * Double(index), end: 0.1 + 0.35 * Double(index + 1),
                      velocity: 90, track: 1)
        }
        let chord = [48, 60, 64, 67].map { NoteEvent(pitch: $0, start: 2.6, end: 3.4, velocity: 90, track: 1) }
        return melody + chord
    }()

    /// The file as it is generated: format 1, 480 ticks per quarter, 120 bpm, program 0, named tracks.
    static var file: MIDIFile {
        MIDIFile(notes: notes, tempoMap: TempoMap(bpm: 120, ticksPerQuarter: 480), format: 1,
                 tracks: [MIDITrackInfo(index: 0, name: "mlwb arpeggio"),
                          MIDITrackInfo(index: 1, name: "Piano", noteCount: notes.count)])
    }

    private static var path: String { SharedData.asset("midi/arpeggio.mid") }

    // MARK: Generation (MLWB_REGENERATE_ASSETS=1 only)

    func testRegenerateAsset() throws {
        guard ProcessInfo.processInfo.environment["MLWB_REGENERATE_ASSETS"] == "1" else {
            throw XCTSkip("set MLWB_REGENERATE_ASSETS=1 to rewrite assets/midi/arpeggio.mid")
        }
        let directory = AtomicFile.parentDirectory(of: Self.path)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try Self.file.write(to: Self.path, format: 1)
    }

    // MARK: The committed file

    func testCommittedAssetHasTheNotes() throws {
        let file = try MIDIFile.read(Self.path)
        XCTAssertEqual(file.format, 1)
        XCTAssertEqual(file.ticksPerQuarter, 480)
        XCTAssertEqual(file.tempoMap.changes, [TempoMap.Change(tick: 0, microsecondsPerQuarter: 500_000)])
        XCTAssertEqual(file.trackNames, ["mlwb arpeggio", "Piano"])
        XCTAssertEqual(file.programChanges.map(\.program), [0])
        let expected = Self.notes.sorted(by: NoteEvent.onsetOrder)
        XCTAssertEqual(file.notes.count, expected.count)
        for (got, want) in zip(file.notes, expected) {
            XCTAssertEqual(got.pitch, want.pitch)
            XCTAssertEqual(got.velocity, 90)
            XCTAssertEqual(got.program, 0)
            XCTAssertEqual(got.channel, 0)
            XCTAssertEqual(got.start, want.start, accuracy: 1e-9)  // every time falls on a whole tick
            XCTAssertEqual(got.end, want.end, accuracy: 1e-9)
        }
        // The committed bytes are exactly what the generator writes.
        XCTAssertEqual(try FileAccess.readBytes(Self.path), try Self.file.encode(format: 1))
    }
}
