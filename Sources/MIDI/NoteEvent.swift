/// One sounding note: a MIDI pitch held from `start` to `end` (seconds) on a channel with a program.
public struct NoteEvent: Sendable, Hashable {
    // MARK: Properties

    /// MIDI pitch number, 0–127 (60 is middle C).
    public var pitch: Int
    /// Onset time in seconds from the start of the file.
    public var start: Double
    /// Release time in seconds from the start of the file (never before `start`).
    public var end: Double
    /// Note-on velocity, 1–127.
    public var velocity: Int
    /// MIDI channel, 0–15 (9 is the General MIDI drum channel).
    public var channel: Int
    /// General MIDI program (instrument), 0–127, in effect on the channel when the note starts.
    public var program: Int
    /// Index of the track the note came from (or is meant for); informational when writing.
    public var track: Int

    // MARK: Init

    /// Creates a note; values are stored as given and checked when the note is encoded.
    public init(pitch: Int, start: Double, end: Double, velocity: Int = 90,
                channel: Int = 0, program: Int = 0, track: Int = 0) {
        self.pitch = pitch
        self.start = start
        self.end = end
        self.velocity = velocity
        self.channel = channel
        self.program = program
        self.track = track
    }

    // MARK: Derived values

    /// Length of the note in seconds.
    public var duration: Double { end - start }

    /// Whether every field is in its MIDI range and the times are finite, non-negative and ordered.
    public var isValid: Bool { validationProblem == nil }

    /// A description of the first out-of-range field, or nil when the note is valid.
    public var validationProblem: String? {
        if !(0...127).contains(pitch) { return "pitch \(pitch) is outside 0–127" }
        if !(1...127).contains(velocity) { return "velocity \(velocity) is outside 1–127" }
        if !(0...15).contains(channel) { return "channel \(channel) is outside 0–15" }
        if !(0...127).contains(program) { return "program \(program) is outside 0–127" }
        if !start.isFinite || !end.isFinite { return "time is not finite (start \(start), end \(end))" }
        if start < 0 { return "start \(start) s is negative" }
        if end < start { return "end \(end) s is before start \(start) s" }
        return nil
    }

    // MARK: Ordering

    /// Orders notes by onset, then pitch, then end, channel, track — the order files and tables use.
    public static func onsetOrder(_ a: NoteEvent, _ b: NoteEvent) -> Bool {
        if a.start != b.start { return a.start < b.start }
        if a.pitch != b.pitch { return a.pitch < b.pitch }
        if a.end != b.end { return a.end < b.end }
        if a.channel != b.channel { return a.channel < b.channel }
        return a.track < b.track
    }
}

// MARK: - Unisons

extension NoteEvent {
    /// Merges notes of the same pitch that overlap in time (on any channel or track) into one
    /// sounding note spanning both; the earliest note keeps its velocity, channel, program and track.
    /// Notes that merely touch (one ends exactly where the next starts) stay separate.
    /// The result is sorted with `onsetOrder`.
    public static func mergingUnisons(_ notes: [NoteEvent]) -> [NoteEvent] {
        var byPitch: [Int: [NoteEvent]] = [:]
        for note in notes { byPitch[note.pitch, default: []].append(note) }
        var merged: [NoteEvent] = []
        merged.reserveCapacity(notes.count)
        for (_, group) in byPitch {
            var current: NoteEvent?
            for note in group.sorted(by: onsetOrder) {
                if var open = current, note.start < open.end {
                    open.end = max(open.end, note.end)
                    current = open
                } else {
                    if let open = current { merged.append(open) }
                    current = note
                }
            }
            if let open = current { merged.append(open) }
        }
        return merged.sorted(by: onsetOrder)
    }
}
