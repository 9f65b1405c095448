import Foundation
import MIDI

/// MIDI output of Basic Pitch notes with pitch bends (the project's `MIDIFile` has no pitch-bend events).
///
/// As Basic Pitch does without `multiple_pitch_bends`: all notes on one channel with one program, and notes
/// that overlap any other note lose their bends (MIDI bends apply to the whole channel). Each bend list is
/// spread evenly from the note's start to its end, in thirds of a semitone scaled to ±2 semitones of bend range
/// (4096/3 bend units per third, clipped to −8192…8191). Unlike Basic Pitch, the bend is reset to centre at
/// the end of a bent note, so later notes are not left detuned.
public enum BasicPitchMIDI {
    /// Ticks per quarter note (at 120 bpm: 960 ticks per second).
    public static let ticksPerQuarter = 480
    /// Bend units per third of a semitone (a ±2-semitone bend range).
    public static let bendUnitsPerBin = 4096.0 / 3.0

    /// The notes with only the bends MIDI can carry: bends of notes overlapping another note are dropped.
    public static func droppingOverlappingBends(_ notes: [FrameNote]) -> [FrameNote] {
        var sorted = notes.sorted { ($0.startFrame, $0.endFrame, $0.pitch) < ($1.startFrame, $1.endFrame, $1.pitch) }
        for i in sorted.indices {
            var j = i + 1
            while j < sorted.count, sorted[j].startFrame < sorted[i].endFrame {
                sorted[i].bends = nil
                sorted[j].bends = nil
                j += 1
            }
        }
        return sorted
    }

    /// A format-1 Standard MIDI File: a tempo track (120 bpm) and one track of notes and pitch bends.
    public static func encode(_ notes: [FrameNote], program: Int = BasicPitchConstants.midiProgram) -> [UInt8] {
        let secondsToTicks = Double(ticksPerQuarter) * 2  // 120 bpm
        func tick(_ seconds: Double) -> Int { max(0, Int((seconds * secondsToTicks).rounded())) }
        // (tick, order, bytes): at one tick note-offs first, then bends, then note-ons.
        var events: [(tick: Int, order: Int, bytes: [UInt8])] = []
        for note in droppingOverlappingBends(notes) {
            let start = note.startTime, end = note.endTime
            let key = UInt8(min(max(note.pitch, 0), 127))
            events.append((tick(start), 2, [0x90, key, UInt8(note.velocity)]))
            events.append((tick(end), 0, [0x80, key, 0]))
            guard let bends = note.bends, !bends.isEmpty else { continue }
            for (k, bend) in bends.enumerated() {
                let t = bends.count == 1 ? start : start + (end - start) * Double(k) / Double(bends.count - 1)
                let units = min(max(Int((Double(bend) * bendUnitsPerBin).rounded(.toNearestOrEven)), -8192), 8191)
                events.append((tick(t), 1, bendEvent(units)))
            }
            events.append((tick(end), 1, bendEvent(0)))
        }
        events.sort { ($0.tick, $0.order) < ($1.tick, $1.order) }

        var tempo: [UInt8] = [0x00, 0xFF, 0x51, 0x03, 0x07, 0xA1, 0x20]  // 500,000 µs per quarter
        tempo += [0x00, 0xFF, 0x2F, 0x00]
        var track: [UInt8] = [0x00, 0xC0, UInt8(min(max(program, 0), 127))]
        var last = 0
        for e in events {
            track += variableLength(e.tick - last)
            track += e.bytes
            last = e.tick
        }
        track += [0x00, 0xFF, 0x2F, 0x00]

        var out: [UInt8] = Array("MThd".utf8) + be32(6) + [0x00, 0x01, 0x00, 0x02] + be16(ticksPerQuarter)
        out += Array("MTrk".utf8) + be32(tempo.count) + tempo
        out += Array("MTrk".utf8) + be32(track.count) + track
        return out
    }

    static func bendEvent(_ units: Int) -> [UInt8] {
        let v = units + 8192
        return [0xE0, UInt8(v & 0x7F), UInt8((v >> 7) & 0x7F)]
    }

    static func variableLength(_ value: Int) -> [UInt8] {
        var v = max(0, value)
        var bytes = [UInt8(v & 0x7F)]
        v >>= 7
        while v > 0 {
            bytes.insert(UInt8(v & 0x7F) | 0x80, at: 0)
            v >>= 7
        }
        return bytes
    }

    static func be32(_ v: Int) -> [UInt8] { [UInt8((v >> 24) & 0xFF), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)] }
    static func be16(_ v: Int) -> [UInt8] { [UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)] }
}
