import Synchronization

/// Turns a command's output bytes into text for the workbench: UTF-8 split across writes is joined,
/// and escape sequences (colours, cursor moves of progress bars) are dropped, also when one is
/// split across writes. Called from the command's thread.
final class CommandOutputDecoder: Sendable {
    private let pending = Mutex<[UInt8]>([])

    /// The text of `bytes` that is complete so far.
    func decode(_ bytes: [UInt8]) -> String {
        pending.withLock { held in
            held += bytes
            let cut = Self.completePrefix(held)
            let text = Self.strip(Array(held[..<cut]))
            held.removeFirst(cut)
            return text
        }
    }

    /// Whatever is left at the end.
    func finish() -> String {
        pending.withLock { held in
            defer { held.removeAll() }
            return Self.strip(held)
        }
    }

    /// How many leading bytes end neither inside a UTF-8 character nor inside an escape sequence.
    static func completePrefix(_ bytes: [UInt8]) -> Int {
        var end = bytes.count
        // An unfinished escape sequence near the end waits for the next write.
        if let esc = bytes.lastIndex(of: 0x1B), bytes.count - esc < 64 {
            var i = esc + 1
            var finished = false
            if i < bytes.count, bytes[i] == UInt8(ascii: "[") {
                i += 1
                while i < bytes.count { if (0x40...0x7E).contains(bytes[i]) { finished = true; break }; i += 1 }
            } else if i < bytes.count {
                finished = true
            }
            if !finished { end = esc }
        }
        // Do not cut a multi-byte character: find the last lead byte and check it is complete.
        var lead = end - 1
        while lead >= 0, lead > end - 4, bytes[lead] & 0xC0 == 0x80 { lead -= 1 }
        if lead >= 0, bytes[lead] >= 0xC0 {
            let length = bytes[lead] >= 0xF0 ? 4 : bytes[lead] >= 0xE0 ? 3 : 2
            if end - lead < length { end = lead }
        }
        return end
    }

    /// Text without CSI sequences (`ESC [ … final`) and other two-byte escapes.
    static func strip(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            if bytes[i] == 0x1B {
                i += 1
                if i < bytes.count, bytes[i] == UInt8(ascii: "[") {
                    i += 1
                    while i < bytes.count, !(0x40...0x7E).contains(bytes[i]) { i += 1 }
                }
                i += 1
                continue
            }
            out.append(bytes[i])
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}
