/// The time base of a Standard MIDI File: musical ticks per quarter note, or SMPTE frames.
public enum MIDIDivision: Sendable, Hashable {
    /// Ticks per quarter note (1–32767); seconds depend on the tempo map.
    case ticksPerQuarter(Int)
    /// SMPTE time: frames per second (24, 25, 29 for 29.97 drop-frame, or 30) and ticks per frame.
    case smpte(framesPerSecond: Int, ticksPerFrame: Int)

    // MARK: Derived values

    /// Ticks per quarter note, or nil for SMPTE time.
    public var ticksPerQuarter: Int? {
        if case .ticksPerQuarter(let tpq) = self { return tpq }
        return nil
    }

    /// Ticks per second for SMPTE time (tempo-independent), or nil for ticks per quarter.
    public var smpteTicksPerSecond: Double? {
        guard case .smpte(let fps, let tpf) = self else { return nil }
        let rate = fps == 29 ? 30_000.0 / 1_001.0 : Double(fps)
        return rate * Double(tpf)
    }

    // MARK: Header field

    /// Decodes the 16-bit division word of an MThd chunk; nil if it is invalid.
    public init?(headerWord word: UInt16) {
        if word & 0x8000 == 0 {
            guard word > 0 else { return nil }
            self = .ticksPerQuarter(Int(word))
        } else {
            let fps = -Int(Int8(bitPattern: UInt8(word >> 8)))
            let tpf = Int(word & 0xFF)
            guard [24, 25, 29, 30].contains(fps), tpf > 0 else { return nil }
            self = .smpte(framesPerSecond: fps, ticksPerFrame: tpf)
        }
    }

    /// The 16-bit division word for an MThd chunk; nil if the values cannot be encoded.
    public var headerWord: UInt16? {
        switch self {
        case .ticksPerQuarter(let tpq):
            guard (1...0x7FFF).contains(tpq) else { return nil }
            return UInt16(tpq)
        case .smpte(let fps, let tpf):
            guard [24, 25, 29, 30].contains(fps), (1...255).contains(tpf) else { return nil }
            return UInt16(UInt8(bitPattern: Int8(-fps))) << 8 | UInt16(tpf)
        }
    }
}
