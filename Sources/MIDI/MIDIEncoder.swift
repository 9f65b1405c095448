import Media

/// Turns a `MIDIFile`'s notes and tempo map into Standard MIDI File bytes (format 0 or 1).
struct MIDIEncoder {
    // MARK: Intermediate records

    /// One event of a track before serialization; sorted by tick, then rank, then key.
    private struct Event {
        var tick: Int
        /// 0 meta, 1 note-off, 2 program change or pitch bend, 3 note-on: note-offs precede note-ons at a tick.
        var rank: Int
        var key: Int
        var bytes: [UInt8]
    }

    private struct Group: Hashable, Comparable {
        var channel: Int
        var program: Int

        static func < (a: Group, b: Group) -> Bool { (a.channel, a.program) < (b.channel, b.program) }
    }

    /// The largest absolute tick written, so every delta fits a 4-byte variable-length quantity.
    static let maxTick = 0x0FFF_FFFF

    // MARK: State

    let file: MIDIFile
    let format: Int

    // MARK: Encoding

    func encode() throws -> [UInt8] {
        guard format == 0 || format == 1 else {
            throw MediaError.invalidArgument("MIDI format \(format) cannot be written (use 0 or 1)")
        }
        guard let divisionWord = file.division.headerWord else {
            throw MediaError.invalidArgument("MIDI division \(file.division) cannot be stored in a file header")
        }
        let map = file.tempoMap
        // Validate and convert note times to ticks.
        var ticks: [(start: Int, end: Int)] = []
        ticks.reserveCapacity(file.notes.count)
        for (index, note) in file.notes.enumerated() {
            if let problem = note.validationProblem {
                throw MediaError.invalidArgument("note \(index) (pitch \(note.pitch) at \(note.start) s): \(problem)")
            }
            let start = map.tick(atSeconds: note.start)
            let end = max(map.tick(atSeconds: note.end), start + 1)  // a zero-length note still gets an off
            guard end <= Self.maxTick else {
                throw MediaError.invalidArgument("note \(index) ends at \(note.end) s, beyond the \(Self.maxTick) ticks a file can address")
            }
            ticks.append((start, end))
        }

        var conductor = conductorEvents()
        let groups = Set(file.notes.map { Group(channel: $0.channel, program: $0.program) }).sorted()
        let groupIndex = Dictionary(uniqueKeysWithValues: groups.enumerated().map { ($1, $0) })
        var groupEvents = [[Event]](repeating: [], count: groups.count)

        // Program changes: the first program of each channel at tick 0, later switches at the note-on.
        let order = file.notes.indices.sorted { (ticks[$0].start, $0) < (ticks[$1].start, $1) }
        var current: [Int: Int] = [:]
        for index in order {
            let note = file.notes[index]
            let group = groupIndex[Group(channel: note.channel, program: note.program)]!
            if current[note.channel] != note.program {
                let tick = current[note.channel] == nil ? 0 : ticks[index].start
                groupEvents[group].append(Event(tick: tick, rank: 2, key: 0,
                                                bytes: [0xC0 | UInt8(note.channel), UInt8(note.program)]))
                current[note.channel] = note.program
            }
            let pitch = UInt8(note.pitch)
            groupEvents[group].append(Event(tick: ticks[index].start, rank: 3, key: note.pitch,
                                            bytes: [0x90 | UInt8(note.channel), pitch, UInt8(note.velocity)]))
            groupEvents[group].append(Event(tick: ticks[index].end, rank: 1, key: note.pitch,
                                            bytes: [0x80 | UInt8(note.channel), pitch, 64]))
        }

        // Pitch bends go with the first group of their channel (the conductor track if it has no notes).

        for (index, bend) in file.pitchBends.enumerated() {
            guard (0...15).contains(bend.channel), bend.time.isFinite, bend.time >= 0 else {
                throw MediaError.invalidArgument("pitch bend \(index) (channel \(bend.channel) at \(bend.time) s) is not a valid event")
            }
            let tick = map.tick(atSeconds: bend.time)
            guard tick <= Self.maxTick else {
                throw MediaError.invalidArgument("pitch bend \(index) at \(bend.time) s is beyond the \(Self.maxTick) ticks a file can address")
            }
            let v = min(max(bend.value, -8192), 8191) + 8192
            let event = Event(tick: tick, rank: 2, key: 1, bytes: [0xE0 | UInt8(bend.channel), UInt8(v & 0x7F), UInt8(v >> 7 & 0x7F)])
            if let group = groups.firstIndex(where: { $0.channel == bend.channel }) {
                groupEvents[group].append(event)
            } else {
                conductor.append(event)
            }
        }

        var chunks: [[UInt8]] = []
        if format == 0 {
            var all = conductor
            if let name = file.tracks.first?.name { all.append(Self.nameEvent(name)) }
            for events in groupEvents { all.append(contentsOf: events) }
            chunks.append(Self.trackChunk(all))
        } else {
            var head = conductor
            if let first = file.tracks.first, first.noteCount == 0, let name = first.name {
                head.append(Self.nameEvent(name))
            }
            chunks.append(Self.trackChunk(head))
            for (index, events) in groupEvents.enumerated() {
                var track = events
                if let name = trackName(for: groups[index]) { track.append(Self.nameEvent(name)) }
                chunks.append(Self.trackChunk(track))
            }
        }

        var out: [UInt8] = Array("MThd".utf8)
        Self.append32(6, to: &out)
        Self.append16(UInt16(format), to: &out)
        Self.append16(UInt16(chunks.count), to: &out)
        Self.append16(divisionWord, to: &out)
        for chunk in chunks { out.append(contentsOf: chunk) }
        return out
    }

    // MARK: Tracks

    /// Tempo changes (ticks-per-quarter files only) and time signatures.
    private func conductorEvents() -> [Event] {
        var events: [Event] = []
        if file.division.ticksPerQuarter != nil {
            for change in file.tempoMap.changes {
                let value = change.microsecondsPerQuarter
                events.append(Event(tick: change.tick, rank: 0, key: 1,
                                    bytes: [0xFF, 0x51, 0x03, UInt8(value >> 16 & 0xFF),
                                            UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]))
            }
        }
        for signature in file.tempoMap.timeSignatures {
            var power = 0
            while (1 << (power + 1)) <= signature.denominator && power < 255 { power += 1 }
            events.append(Event(tick: max(0, signature.tick), rank: 0, key: 2,
                                bytes: [0xFF, 0x58, 0x04, Self.byte(signature.numerator), UInt8(power),
                                        Self.byte(signature.clocksPerClick),
                                        Self.byte(signature.thirtySecondsPerQuarter)]))
        }
        return events
    }

    /// The name of the source track when every note of the group came from the same named track.
    private func trackName(for group: Group) -> String? {
        let sources = Set(file.notes.filter { $0.channel == group.channel && $0.program == group.program }.map(\.track))
        guard sources.count == 1, let index = sources.first,
              let info = file.tracks.first(where: { $0.index == index }) else { return nil }
        return info.name
    }

    private static func nameEvent(_ name: String) -> Event {
        let text = Array(name.utf8.prefix(0xFFFF))
        return Event(tick: 0, rank: 0, key: 0, bytes: [0xFF, 0x03] + variableLength(text.count) + text)
    }

    /// Sorts events, writes delta times and the end-of-track meta, and wraps them in an MTrk chunk.
    private static func trackChunk(_ events: [Event]) -> [UInt8] {
        let sorted = events.enumerated().sorted { a, b in
            (a.element.tick, a.element.rank, a.element.key, a.offset) < (b.element.tick, b.element.rank, b.element.key, b.offset)
        }.map(\.element)
        var body: [UInt8] = []
        var tick = 0
        for event in sorted {
            body.append(contentsOf: variableLength(event.tick - tick))
            body.append(contentsOf: event.bytes)
            tick = event.tick
        }
        body.append(contentsOf: [0x00, 0xFF, 0x2F, 0x00])
        var chunk: [UInt8] = Array("MTrk".utf8)
        append32(UInt32(body.count), to: &chunk)
        return chunk + body
    }

    // MARK: Bytes

    /// A variable-length quantity (big-endian groups of 7 bits, continuation bit on all but the last).
    static func variableLength(_ value: Int) -> [UInt8] {
        var value = max(0, min(value, maxTick))
        var out: [UInt8] = [UInt8(value & 0x7F)]
        value >>= 7
        while value > 0 {
            out.insert(UInt8(value & 0x7F) | 0x80, at: 0)
            value >>= 7
        }
        return out
    }

    private static func byte(_ value: Int) -> UInt8 { UInt8(clamping: value) }

    private static func append16(_ value: UInt16, to out: inout [UInt8]) {
        out.append(UInt8(value >> 8))
        out.append(UInt8(value & 0xFF))
    }

    private static func append32(_ value: UInt32, to out: inout [UInt8]) {
        for shift in stride(from: 24, through: 0, by: -8) { out.append(UInt8(value >> UInt32(shift) & 0xFF)) }
    }
}
