import Media

/// Tempo changes and time signatures of a MIDI file, with piecewise conversion between ticks and seconds.
public struct TempoMap: Sendable, Hashable {
    // MARK: Nested types

    /// A tempo that takes effect at a tick and lasts until the next change.
    public struct Change: Sendable, Hashable {
        /// Tick at which the tempo starts.
        public var tick: Int
        /// Length of a quarter note in microseconds (500,000 = 120 bpm); 1 ... 16,777,215 in a file.
        public var microsecondsPerQuarter: Int

        /// Creates a tempo change from microseconds per quarter note.
        public init(tick: Int, microsecondsPerQuarter: Int) {
            self.tick = tick
            self.microsecondsPerQuarter = microsecondsPerQuarter
        }

        /// Creates a tempo change from beats (quarter notes) per minute.
        public init(tick: Int, bpm: Double) {
            self.init(tick: tick, microsecondsPerQuarter: TempoMap.microsecondsPerQuarter(bpm: bpm))
        }

        /// The tempo in quarter notes per minute.
        public var bpm: Double { 60_000_000.0 / Double(microsecondsPerQuarter) }
    }

    /// A time signature meta event, kept so that files round-trip; it does not affect timing.
    public struct TimeSignature: Sendable, Hashable {
        /// Tick at which the signature starts.
        public var tick: Int
        /// Beats per bar (the upper number).
        public var numerator: Int
        /// Beat unit as a note value: 2, 4, 8, ... (the lower number; stored as a power of two in files).
        public var denominator: Int
        /// MIDI clocks per metronome click (24 = one click per quarter note).
        public var clocksPerClick: Int
        /// Notated 32nd notes per MIDI quarter note (normally 8).
        public var thirtySecondsPerQuarter: Int

        /// Creates a time signature such as 3/4 at `tick`.
        public init(tick: Int, numerator: Int, denominator: Int, clocksPerClick: Int = 24,
                    thirtySecondsPerQuarter: Int = 8) {
            self.tick = tick
            self.numerator = numerator
            self.denominator = denominator
            self.clocksPerClick = clocksPerClick
            self.thirtySecondsPerQuarter = thirtySecondsPerQuarter
        }
    }

    // MARK: Constants

    /// The tempo a MIDI file has until its first tempo event: 500,000 µs per quarter (120 bpm).
    public static let defaultMicrosecondsPerQuarter = 500_000
    /// The largest tempo value a file can store (24 bits).
    public static let maxMicrosecondsPerQuarter = 0xFF_FFFF

    // MARK: Properties

    /// The file's time base.
    public let division: MIDIDivision
    /// Tempo changes sorted by tick; the first is always at tick 0 (120 bpm unless the file says otherwise).
    public let changes: [Change]
    /// Time signatures sorted by tick (may be empty).
    public var timeSignatures: [TimeSignature]
    /// Seconds at which each entry of `changes` starts.
    private let changeSeconds: [Double]

    // MARK: Init

    /// Creates a tempo map; changes are sorted, a later change at the same tick replaces an earlier one,
    /// tempos are clamped to the storable range and 120 bpm fills the time before the first change.
    public init(division: MIDIDivision = .ticksPerQuarter(480), changes: [Change] = [],
                timeSignatures: [TimeSignature] = []) {
        self.division = division
        var normalized: [Change] = []
        let sorted = changes.enumerated().sorted { a, b in
            a.element.tick != b.element.tick ? a.element.tick < b.element.tick : a.offset < b.offset
        }.map(\.element)
        for var change in sorted {
            change.tick = max(0, change.tick)
            change.microsecondsPerQuarter = min(max(1, change.microsecondsPerQuarter), Self.maxMicrosecondsPerQuarter)
            if let last = normalized.last, last.tick == change.tick {
                normalized[normalized.count - 1] = change
            } else {
                normalized.append(change)
            }
        }
        if normalized.first?.tick != 0 {
            normalized.insert(Change(tick: 0, microsecondsPerQuarter: Self.defaultMicrosecondsPerQuarter), at: 0)
        }
        self.changes = normalized
        self.timeSignatures = timeSignatures.sorted { $0.tick < $1.tick }
        var seconds: [Double] = []
        seconds.reserveCapacity(normalized.count)
        var elapsed = 0.0
        for (index, change) in normalized.enumerated() {
            if index > 0 {
                let previous = normalized[index - 1]
                elapsed += Self.segmentSeconds(ticks: Double(change.tick - previous.tick),
                                               microsecondsPerQuarter: previous.microsecondsPerQuarter,
                                               division: division)
            }
            seconds.append(elapsed)
        }
        self.changeSeconds = seconds
    }

    /// Creates a map with one constant tempo.
    public init(bpm: Double, ticksPerQuarter: Int = 480) {
        self.init(division: .ticksPerQuarter(ticksPerQuarter),
                  changes: [Change(tick: 0, bpm: bpm)])
    }

    // MARK: Queries

    /// Ticks per quarter note, or nil when the file uses SMPTE time.
    public var ticksPerQuarter: Int? { division.ticksPerQuarter }

    /// The tempo at tick 0 in quarter notes per minute.
    public var initialBPM: Double { changes[0].bpm }

    /// The tempo (µs per quarter) in effect at `tick`.
    public func microsecondsPerQuarter(atTick tick: Int) -> Int {
        changes[changeIndex(atTick: Double(tick))].microsecondsPerQuarter
    }

    // MARK: Conversion

    /// Seconds from the start of the file at `tick` (negative ticks extrapolate the first tempo).
    public func seconds(atTick tick: Int) -> Double { seconds(atTick: Double(tick)) }

    /// Seconds at a fractional tick position.
    public func seconds(atTick tick: Double) -> Double {
        if let rate = division.smpteTicksPerSecond { return tick / rate }
        let index = changeIndex(atTick: tick)
        let change = changes[index]
        return changeSeconds[index] + Self.segmentSeconds(ticks: tick - Double(change.tick),
                                                          microsecondsPerQuarter: change.microsecondsPerQuarter,
                                                          division: division)
    }

    /// The exact (fractional) tick position at `seconds`; the inverse of `seconds(atTick:)`.
    public func ticks(atSeconds seconds: Double) -> Double {
        if let rate = division.smpteTicksPerSecond { return seconds * rate }
        let tpq = Double(division.ticksPerQuarter ?? 480)
        var low = 0, high = changes.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if changeSeconds[mid] <= seconds { low = mid } else { high = mid - 1 }
        }
        let change = changes[low]
        return Double(change.tick)
            + (seconds - changeSeconds[low]) * 1_000_000.0 * tpq / Double(change.microsecondsPerQuarter)
    }

    /// The nearest whole tick at `seconds`.
    public func tick(atSeconds seconds: Double) -> Int {
        // Clamped so that far-off times (1e300 s, or ∞) stay comparable and `+ 1` cannot overflow;
        // the encoder refuses ticks beyond what a file can address.
        ticks(atSeconds: seconds).roundedInt(clampedTo: (Int.min / 2)...(Int.max / 2)) ?? 0
    }

    // MARK: Helpers

    /// Converts beats per minute to microseconds per quarter, rounded and clamped to the storable range.
    public static func microsecondsPerQuarter(bpm: Double) -> Int {
        guard bpm.isFinite, bpm > 0 else { return defaultMicrosecondsPerQuarter }
        let value = (60_000_000.0 / bpm).rounded()
        return Int(min(max(value, 1), Double(maxMicrosecondsPerQuarter)))
    }

    private func changeIndex(atTick tick: Double) -> Int {
        var low = 0, high = changes.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if Double(changes[mid].tick) <= tick { low = mid } else { high = mid - 1 }
        }
        return low
    }

    private static func segmentSeconds(ticks: Double, microsecondsPerQuarter: Int, division: MIDIDivision) -> Double {
        if let rate = division.smpteTicksPerSecond { return ticks / rate }
        let tpq = Double(division.ticksPerQuarter ?? 480)
        return ticks * Double(microsecondsPerQuarter) / (1_000_000.0 * tpq)
    }
}
