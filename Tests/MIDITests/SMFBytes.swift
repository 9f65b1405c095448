import Media
@testable import MIDI

/// Hand-built Standard MIDI File bytes for decoder tests.
enum SMFBytes {
    /// An MThd chunk.
    static func header(format: Int, tracks: Int, division: UInt16 = 480) -> [UInt8] {
        Array("MThd".utf8) + [0, 0, 0, 6, 0, UInt8(format), UInt8(tracks >> 8), UInt8(tracks & 0xFF),
                              UInt8(division >> 8), UInt8(division & 0xFF)]
    }

    /// A chunk with a four-letter id around `body`.
    static func chunk(_ id: String, _ body: [UInt8]) -> [UInt8] {
        let n = body.count
        return Array(id.utf8) + [UInt8(n >> 24 & 0xFF), UInt8(n >> 16 & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n & 0xFF)] + body
    }

    /// An MTrk chunk around raw event bytes (end-of-track appended unless `endOfTrack` is false).
    static func track(_ events: [UInt8], endOfTrack: Bool = true) -> [UInt8] {
        chunk("MTrk", events + (endOfTrack ? [0x00, 0xFF, 0x2F, 0x00] : []))
    }

    /// A variable-length quantity.
    static func vlq(_ value: Int) -> [UInt8] { MIDIEncoder.variableLength(value) }

    /// A tempo meta event with delta 0.
    static func tempo(_ microseconds: Int, delta: Int = 0) -> [UInt8] {
        vlq(delta) + [0xFF, 0x51, 0x03, UInt8(microseconds >> 16 & 0xFF), UInt8(microseconds >> 8 & 0xFF),
                      UInt8(microseconds & 0xFF)]
    }
}

// MARK: - Other fixtures


extension Array where Element == UInt8 {
    /// Writes the bytes to `path` (test helper).
    func write(to path: String) throws { try AtomicFile.write(self, to: path) }
}
