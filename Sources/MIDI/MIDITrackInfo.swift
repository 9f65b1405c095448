/// What a track of a MIDI file holds besides notes: its name, its program changes and its length.
public struct MIDITrackInfo: Sendable, Hashable {
    // MARK: Nested types

    /// A program (instrument) change event on a channel.
    public struct ProgramChange: Sendable, Hashable {
        /// Tick of the event.
        public var tick: Int
        /// Time of the event in seconds.
        public var seconds: Double
        /// MIDI channel, 0–15.
        public var channel: Int
        /// General MIDI program, 0–127.
        public var program: Int

        /// Creates a program change record.
        public init(tick: Int, seconds: Double, channel: Int, program: Int) {
            self.tick = tick
            self.seconds = seconds
            self.channel = channel
            self.program = program
        }
    }

    // MARK: Properties

    /// Position of the track among the file's MTrk chunks (0-based); `NoteEvent.track` refers to it.
    public var index: Int
    /// The first track-name meta event (FF 03), if any.
    public var name: String?
    /// Program changes in the order they occur.
    public var programChanges: [ProgramChange]
    /// Number of notes the track produced.
    public var noteCount: Int
    /// Tick of the track's last event (its end-of-track event, when present).
    public var endTick: Int

    // MARK: Init

    /// Creates a track record.
    public init(index: Int, name: String? = nil, programChanges: [ProgramChange] = [],
                noteCount: Int = 0, endTick: Int = 0) {
        self.index = index
        self.name = name
        self.programChanges = programChanges
        self.noteCount = noteCount
        self.endTick = endTick
    }
}
