import Foundation
import MIDI
import Models
import Render
import TestSupport
import XCTest

/// Standard MIDI Files and note CSV tables: the decoders, then everything that consumes notes
/// (piano roll, re-encoding, note evaluation).
final class MIDIFuzzTests: XCTestCase {
    /// Files of the project and ones built here: format 0 and 1, tempo and time-signature meta
    /// events, running status, program changes, SMPTE time.
    static func midiSeeds() throws -> [[UInt8]] {
        var seeds = [try FuzzHarness.projectFile("assets/midi/arpeggio.mid")]
        let notes = [NoteEvent(pitch: 60, start: 0, end: 0.5, velocity: 90, channel: 0, program: 5, track: 0),
                     NoteEvent(pitch: 64, start: 0.25, end: 1.0, velocity: 70, channel: 1, program: 40, track: 1),
                     NoteEvent(pitch: 67, start: 1.0, end: 1.0, velocity: 127, channel: 9, track: 1)]
        let map = TempoMap(division: .ticksPerQuarter(96), changes: [.init(tick: 0, bpm: 100), .init(tick: 192, bpm: 140)],
                           timeSignatures: [.init(tick: 0, numerator: 3, denominator: 4)])
        seeds.append(try MIDIFile(notes: notes, tempoMap: map, format: 1).encode())
        seeds.append(try MIDIFile(notes: notes, tempoMap: TempoMap(division: .smpte(framesPerSecond: 25, ticksPerFrame: 40)),
                                  format: 0).encode())
        return seeds
    }

    /// The MIDI parse under test.
    static func parseMIDI(_ bytes: [UInt8]) throws {
        let file = try MIDIFile.decode(bytes, source: "mutant.mid")
        _ = PianoRollPlot.render(file.notes, width: 48, height: 24, duration: file.duration)
        _ = NoteTable(notes: file.notes).encode()
        _ = try? file.encode()
        _ = NoteEvaluation.evaluate(reference: file.notes, estimate: file.notes.reversed())
    }

    /// The note CSV parse under test.
    static func parseTable(_ bytes: [UInt8]) throws {
        let table = try NoteTable.decode(String(decoding: bytes, as: UTF8.self), source: "mutant.csv")
        _ = PianoRollPlot.render(table.notes, width: 48, height: 24)
        _ = try? MIDIFile(notes: table.notes).encode()
        _ = NoteEvaluation.evaluate(reference: table.notes, estimate: Array(table.notes.dropFirst()))
        _ = table.encode()
    }

    func testMutatedMIDIFiles() throws {
        FuzzHarness.run("midi", seeds: try Self.midiSeeds(), seed: 0x4D494449) { bytes, _ in try Self.parseMIDI(bytes) }
    }

    func testMutatedNoteTables() throws {
        var seeds = [Array("""
            onset_s,offset_s,midi_pitch,velocity
            0.000000,0.500000,60,90
            0.250000,1.000000,64,70
            1.000000,1.000000,67,127

            """.utf8)]
        seeds.append(Array("\u{FEFF}onset_s,offset_s,midi_pitch,velocity,extra\r\n0.1,0.2,21,1,x\r\n3.5,9.25,108,127,y\r\n".utf8))
        if let shared = try? SharedData.require("audio/bach_bwv66_6.notes.csv"),
           let bytes = FileManager.default.contents(atPath: shared) {
            seeds.append(Array(bytes.prefix(4096)))
        }
        FuzzHarness.run("note-csv", seeds: seeds, seed: 0x435356, text: true) { bytes, _ in try Self.parseTable(bytes) }
    }
}
