import Media

/// A Standard MIDI File (format 0 or 1) seen as timed notes plus its tempo map and track metadata.
public struct MIDIFile: Sendable, Hashable {
    // MARK: Properties

    /// SMF format: 0 (one track) or 1 (parallel tracks, the first usually a conductor track).
    public var format: Int
    /// Time base, tempo changes and time signatures.
    public var tempoMap: TempoMap
    /// Every note of every track, sorted by `NoteEvent.onsetOrder`, times in seconds.
    public var notes: [NoteEvent]
    /// One record per MTrk chunk read (names, program changes); empty for files built from notes.
    public var tracks: [MIDITrackInfo]
    /// Pitch-bend events of every track, by time.
    public var pitchBends: [PitchBend]

    // MARK: Init

    /// Creates a file from notes; by default 480 ticks per quarter at 120 bpm, format 1.
    public init(notes: [NoteEvent], tempoMap: TempoMap = TempoMap(), format: Int = 1,
                tracks: [MIDITrackInfo] = [], pitchBends: [PitchBend] = []) {
        self.format = format
        self.pitchBends = pitchBends
        self.tempoMap = tempoMap
        self.notes = notes
        self.tracks = tracks
    }

    // MARK: Derived values

    /// The file's time base.
    public var division: MIDIDivision { tempoMap.division }

    /// Ticks per quarter note, or nil when the file uses SMPTE time.
    public var ticksPerQuarter: Int? { tempoMap.ticksPerQuarter }

    /// End of the last note in seconds (0 without notes).
    public var duration: Double { notes.map(\.end).max() ?? 0 }

    /// The track names in track order (nil where a track has none).
    public var trackNames: [String?] { tracks.map(\.name) }

    /// Every program change of every track, sorted by tick.
    public var programChanges: [MIDITrackInfo.ProgramChange] {
        tracks.flatMap(\.programChanges).sorted { $0.tick < $1.tick }
    }

    // MARK: Reading

    /// Reads and decodes the MIDI file at `path`.
    public static func read(_ path: String) throws -> MIDIFile {
        let bytes = try FileAccess.readBytes(path, maxBytes: maxFileBytes)
        return try decode(bytes, source: path)
    }

    /// Decodes SMF bytes; `source` names the file in error messages.
    public static func decode(_ bytes: [UInt8], source: String = "<memory>") throws -> MIDIFile {
        var decoder = MIDIDecoder(bytes: bytes, source: source)
        return try decoder.decode()
    }

    /// The largest MIDI file `read` accepts (256 MiB; real files are kilobytes).
    public static let maxFileBytes = 256 << 20

    // MARK: Writing

    /// Encodes the notes as SMF bytes in `format` (0 or 1; nil keeps `self.format`).
    public func encode(format: Int? = nil) throws -> [UInt8] {
        try MIDIEncoder(file: self, format: format ?? self.format).encode()
    }

    /// Encodes and writes the file atomically to `path`.
    public func write(to path: String, format: Int? = nil) throws {
        let bytes: [UInt8]
        do {
            bytes = try encode(format: format)
        } catch MediaError.invalidArgument(let message) {
            throw MediaError.invalidArgument("\(path): cannot write MIDI: \(message)")
        }
        try AtomicFile.write(bytes, to: path)
    }
}
