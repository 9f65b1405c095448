import Media

/// Parses Standard MIDI File bytes into a `MIDIFile`, rejecting malformed input with offsets.
struct MIDIDecoder {
    // MARK: Intermediate records

    /// Where an event sits in the file, for ordering events that share a tick.
    private struct Place: Comparable {
        var tick: Int
        var track: Int
        var order: Int

        static func < (a: Place, b: Place) -> Bool {
            (a.tick, a.track, a.order) < (b.tick, b.track, b.order)
        }
    }

    private struct RawNote {
        var pitch: Int
        var velocity: Int
        var channel: Int
        var start: Place
        var endTick: Int
    }

    private struct RawProgram {
        var place: Place
        var channel: Int
        var program: Int
    }

    /// Notes sounding on one channel and pitch; overlapping repeats end first-in, first-out.
    private struct NoteQueue {
        private var items: [(Place, Int)] = []
        private var head = 0

        var isEmpty: Bool { head >= items.count }

        mutating func append(_ item: (Place, Int)) { items.append(item) }

        mutating func popFirst() -> (Place, Int)? {
            guard head < items.count else { return nil }
            defer {
                head += 1
                if head == items.count { items.removeAll(keepingCapacity: true); head = 0 }
            }
            return items[head]
        }
    }

    private struct RawTrack {
        var name: String?
        var endTick = 0
        var notes: [RawNote] = []
        var programs: [RawProgram] = []
        var bends: [(tick: Int, channel: Int, value: Int)] = []
        var tempos: [(Place, Int)] = []
        var signatures: [TempoMap.TimeSignature] = []
    }

    // MARK: State

    private var reader: MIDIByteReader

    init(bytes: [UInt8], source: String) {
        reader = MIDIByteReader(bytes: bytes, source: source)
    }

    // MARK: File

    mutating func decode() throws -> MIDIFile {
        let (format, trackCount, division) = try decodeHeader()
        var tracks: [RawTrack] = []
        while tracks.count < trackCount {
            let chunkStart = reader.position
            guard reader.remaining >= 8 else {
                throw reader.corrupt("file ends after \(tracks.count) of the \(trackCount) tracks the header declares"
                                     + " (\(reader.remaining) stray bytes where a chunk header was expected)", at: chunkStart)
            }
            let id = try reader.take(4, "chunk id")
            let length = Int(try reader.u32("chunk length"))
            let name = Self.describe(id)
            guard length <= reader.remaining else {
                throw reader.corrupt("chunk '\(name)' declares \(length) bytes but only \(reader.remaining) remain"
                                     + " (track \(tracks.count + 1) of \(trackCount); the file is truncated)", at: chunkStart)
            }
            let end = reader.position + length
            if Array(id) == Array("MTrk".utf8) {
                tracks.append(try decodeTrack(index: tracks.count, end: end))
            }
            reader.position = end  // unknown chunks are skipped; tracks may end early at FF 2F
        }
        return assemble(format: format, division: division, tracks: tracks)
    }

    private mutating func decodeHeader() throws -> (Int, Int, MIDIDivision) {
        let magic = reader.bytes.prefix(4)
        guard Array(magic) == Array("MThd".utf8) else {
            let found = magic.isEmpty ? "an empty file" : "'\(Self.describe(magic))'"
            throw reader.corrupt("expected the 'MThd' header of a Standard MIDI File, found \(found)", at: 0)
        }
        reader.position = 4
        let headerLength = Int(try reader.u32("the header length"))
        guard headerLength >= 6 else {
            throw reader.corrupt("header length \(headerLength) is below the 6 bytes a header needs", at: 4)
        }
        guard headerLength <= reader.remaining else {
            throw reader.corrupt("header declares \(headerLength) bytes but only \(reader.remaining) remain", at: 4)
        }
        let headerEnd = reader.position + headerLength
        let format = Int(try reader.u16("the format field"))
        let trackCount = Int(try reader.u16("the track count"))
        let divisionWord = try reader.u16("the division field")
        reader.position = headerEnd
        guard format <= 2 else {
            throw reader.corrupt("format \(format) is not 0, 1 or 2", at: 8)
        }
        if format == 2 {
            throw MediaError.unsupported(path: reader.source,
                                         detail: "MIDI format 2 (independent sequences); only formats 0 and 1 are read")
        }
        guard let division = MIDIDivision(headerWord: divisionWord) else {
            throw reader.corrupt("division field 0x\(String(divisionWord, radix: 16)) is neither ticks per quarter"
                                 + " (1–32767) nor a valid SMPTE rate", at: 12)
        }
        guard trackCount * 8 <= reader.remaining else {
            throw reader.corrupt("header declares \(trackCount) tracks but only \(reader.remaining) bytes follow"
                                 + " (each track needs at least 8)", at: 10)
        }
        return (format, trackCount, division)
    }

    // MARK: Track

    private mutating func decodeTrack(index: Int, end: Int) throws -> RawTrack {
        let savedLimit = reader.limit
        reader.limit = end
        reader.limitName = "track chunk"
        defer { reader.limit = savedLimit; reader.limitName = "file" }
        let label = "track \(index + 1)"  // messages count tracks from 1
        var track = RawTrack()
        var tick = 0
        var order = 0
        var runningStatus: UInt8?
        var open: [Int: NoteQueue] = [:]  // key channel*128+pitch → sounding notes, oldest first

        func close(_ key: Int, at endTick: Int, into track: inout RawTrack) {
            guard let (start, velocity) = open[key]?.popFirst() else { return }  // stray note-off: ignored
            if open[key]?.isEmpty == true { open[key] = nil }
            track.notes.append(RawNote(pitch: key % 128, velocity: velocity, channel: key / 128,
                                       start: start, endTick: endTick))
        }

        events: while !reader.isAtEnd {
            tick += try reader.variableLength("a delta time in \(label)")
            order += 1
            let place = Place(tick: tick, track: index, order: order)
            let statusOffset = reader.position
            var status = try reader.u8("an event in \(label)")
            var firstData: UInt8?
            if status < 0x80 {
                guard let running = runningStatus else {
                    throw reader.corrupt("\(label): data byte 0x\(Self.hex(status)) with no running status to apply",
                                         at: statusOffset)
                }
                firstData = status
                status = running
            }
            switch status {
            case 0xFF:
                let type = try reader.u8("a meta event in \(label)")
                let length = try reader.variableLength("meta event length in \(label)")
                let data = try reader.take(length, "meta event 0x\(Self.hex(type)) in \(label)")
                switch type {
                case 0x2F:
                    break events
                case 0x51 where length == 3:
                    let value = data.reduce(0) { $0 << 8 | Int($1) }
                    track.tempos.append((place, value))
                case 0x58 where length >= 2:
                    let bytes = Array(data)
                    let power = min(Int(bytes[1]), 16)
                    track.signatures.append(TempoMap.TimeSignature(
                        tick: tick, numerator: Int(bytes[0]), denominator: 1 << power,
                        clocksPerClick: length > 2 ? Int(bytes[2]) : 24,
                        thirtySecondsPerQuarter: length > 3 ? Int(bytes[3]) : 8))
                case 0x03 where track.name == nil:
                    track.name = String(decoding: data, as: UTF8.self)
                default:
                    break
                }
            case 0xF0, 0xF7:
                let length = try reader.variableLength("sysex length in \(label)")
                try reader.skip(length, "sysex event in \(label)")
            case 0x80...0xEF:
                runningStatus = status
                let kind = status & 0xF0
                let channel = Int(status & 0x0F)
                let first = try firstData ?? reader.u8("a channel event in \(label)")
                try checkData(first, at: reader.position - 1, label: label)
                var second: UInt8 = 0
                if kind != 0xC0 && kind != 0xD0 {
                    second = try reader.u8("a channel event in \(label)")
                    try checkData(second, at: reader.position - 1, label: label)
                }
                let key = channel * 128 + Int(first)
                switch kind {
                case 0x90 where second > 0:
                    open[key, default: NoteQueue()].append((place, Int(second)))
                case 0x80, 0x90:
                    close(key, at: tick, into: &track)
                case 0xC0:
                    track.programs.append(RawProgram(place: place, channel: channel, program: Int(first)))
                case 0xE0:
                    track.bends.append((tick, channel, (Int(second) << 7 | Int(first)) - 8192))
                default:
                    break  // aftertouch, controllers
                }
            default:
                throw reader.corrupt("\(label): status byte 0x\(Self.hex(status)) is not allowed in a MIDI file",
                                     at: statusOffset)
            }
        }
        // Notes still sounding at the end of the track end there, oldest first.
        for key in open.keys.sorted() {
            while open[key] != nil { close(key, at: tick, into: &track) }
        }
        track.endTick = tick
        return track
    }

    private func checkData(_ byte: UInt8, at offset: Int, label: String) throws {
        guard byte < 0x80 else {
            throw reader.corrupt("\(label): data byte 0x\(Self.hex(byte)) has its high bit set", at: offset)
        }
    }

    // MARK: Assembly

    private func assemble(format: Int, division: MIDIDivision, tracks: [RawTrack]) -> MIDIFile {
        let tempos = tracks.flatMap(\.tempos).sorted { $0.0 < $1.0 }
        let tempoMap = TempoMap(
            division: division,
            changes: tempos.map { TempoMap.Change(tick: $0.0.tick, microsecondsPerQuarter: $0.1) },
            timeSignatures: tracks.flatMap(\.signatures))
        var programsByChannel: [Int: [RawProgram]] = [:]
        for program in tracks.flatMap(\.programs) { programsByChannel[program.channel, default: []].append(program) }
        for channel in programsByChannel.keys { programsByChannel[channel]!.sort { $0.place < $1.place } }

        var notes: [NoteEvent] = []
        var infos: [MIDITrackInfo] = []
        for (index, track) in tracks.enumerated() {
            for raw in track.notes {
                let program = Self.program(for: raw, in: programsByChannel[raw.channel] ?? [])
                notes.append(NoteEvent(pitch: raw.pitch,
                                       start: tempoMap.seconds(atTick: raw.start.tick),
                                       end: tempoMap.seconds(atTick: raw.endTick),
                                       velocity: raw.velocity, channel: raw.channel,
                                       program: program, track: index))
            }
            let changes = track.programs.map {
                MIDITrackInfo.ProgramChange(tick: $0.place.tick, seconds: tempoMap.seconds(atTick: $0.place.tick),
                                            channel: $0.channel, program: $0.program)
            }
            infos.append(MIDITrackInfo(index: index, name: track.name, programChanges: changes,
                                       noteCount: track.notes.count, endTick: track.endTick))
        }
        notes.sort(by: NoteEvent.onsetOrder)
        let bends = tracks.flatMap(\.bends).sorted { ($0.tick, $0.channel) < ($1.tick, $1.channel) }
            .map { PitchBend(time: tempoMap.seconds(atTick: $0.tick), channel: $0.channel, value: $0.value) }
        return MIDIFile(notes: notes, tempoMap: tempoMap, format: format, tracks: infos, pitchBends: bends)
    }

    /// The program of the last change on the note's channel at or before its note-on
    /// (a change at the same tick counts unless it comes later in the same track).
    private static func program(for note: RawNote, in changes: [RawProgram]) -> Int {
        // Binary search for the first change after the note's tick, then step back over later
        // same-tick changes of the note's own track.
        var low = 0, high = changes.count
        while low < high {
            let mid = (low + high) / 2
            if changes[mid].place.tick <= note.start.tick { low = mid + 1 } else { high = mid }
        }
        var index = low - 1
        while index >= 0 {
            let change = changes[index].place
            let later = change.tick == note.start.tick && change.track == note.start.track
                && change.order > note.start.order
            if !later { return changes[index].program }
            index -= 1
        }
        return 0
    }

    // MARK: Formatting

    private static func hex(_ byte: UInt8) -> String {
        let digits = String(byte, radix: 16, uppercase: true)
        return digits.count == 1 ? "0" + digits : digits
    }

    /// Printable characters as they are, others as \xNN.
    private static func describe(_ bytes: ArraySlice<UInt8>) -> String {
        bytes.map { (0x20..<0x7F).contains($0) ? String(UnicodeScalar($0)) : "\\x" + hex($0) }.joined()
    }
}
