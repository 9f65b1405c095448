import MIDI

/// Basic Pitch notes with their pitch bends as a `MIDIFile` (written by MIDI's encoder like every other file).
///
/// As Basic Pitch does without `multiple_pitch_bends`: all notes on one channel with one program, and notes
/// that overlap any other note lose their bends (MIDI bends apply to the whole channel). Each bend list is
/// spread evenly from the note's start to its end, in thirds of a semitone scaled to ±2 semitones of bend range
/// (4096/3 bend units per third, clipped to −8192…8191). Unlike Basic Pitch, the bend is reset to centre at
/// the end of a bent note, so later notes are not left detuned.
public enum BasicPitchMIDI {
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

    /// A format-1 file at 120 bpm: the notes (Basic Pitch's program) and their pitch bends.
    public static func file(_ notes: [FrameNote], program: Int = BasicPitchConstants.midiProgram) -> MIDIFile {
        var events: [NoteEvent] = []
        var bends: [PitchBend] = []
        for note in droppingOverlappingBends(notes) {
            let start = note.startTime, end = note.endTime
            events.append(note.noteEvent(program: program))
            guard let list = note.bends, !list.isEmpty else { continue }
            for (k, bend) in list.enumerated() {
                let t = list.count == 1 ? start : start + (end - start) * Double(k) / Double(list.count - 1)
                bends.append(PitchBend(time: t, value: Int((Double(bend) * bendUnitsPerBin).rounded(.toNearestOrEven))))
            }
            bends.append(PitchBend(time: end, value: 0))
        }
        return MIDIFile(notes: events.sorted(by: NoteEvent.onsetOrder), pitchBends: bends)
    }
}
