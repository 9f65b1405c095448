/// Writes cells as escape sequences, tracking the terminal's current colours so that an SGR
/// sequence is emitted only when a colour actually changes.
struct CellPainter {
    let mode: ColorMode
    private var out: ByteSink
    /// The terminal's current colours (`SGRPlanner.unset`: unknown or default).
    private var foreground = SGRPlanner.unset
    private var background = SGRPlanner.unset

    init(mode: ColorMode, reservingCapacity capacity: Int = 0) {
        self.mode = mode
        out = ByteSink(capacity: max(capacity, 256))
    }

    /// The bytes written so far.
    var bytes: [UInt8] { out.array }

    /// How many bytes have been written.
    var count: Int { out.count }

    /// Copies the bytes written so far to `destination` (room for `count` bytes).
    func copyBytes(to destination: UnsafeMutablePointer<UInt8>) { out.copy(to: destination) }

    // MARK: Colour keys

    /// What the terminal distinguishes of a colour in this mode (packed RGB, or a palette index).
    @inline(__always) static func key(_ c: RGB8, mode: ColorMode) -> UInt32 {
        switch mode {
        case .truecolor: return c.packed
        case .palette256: return UInt32(TerminalPalette.nearest256(c))
        case .ansi16: return UInt32(TerminalPalette.nearest16(c))
        case .none: return 0
        }
    }

    // MARK: Cells

    /// The colours the terminal currently has (`SGRPlanner.unset`: unknown or default).
    var colorState: (fg: UInt32, bg: UInt32) { (foreground, background) }

    /// Paints planned cells: for each, sets the colours that differ, then writes the glyph.
    mutating func paint(_ steps: UnsafeBufferPointer<SGRPlanner.Step>) {
        var fgState = foreground, bgState = background
        let mode = self.mode
        // The longest cell is ESC [ 38;2;R;G;B ; 48;2;R;G;B m plus a 3-byte glyph: 39 bytes. The
        // word-sized stores below write up to 3 bytes past the current end, hence the slack.
        out.write(reserving: steps.count * 40 + 8) { start in
            Self.channelDigits.withUnsafeBufferPointer { digits in
                var q = start
                for step in steps {
                    let setFG = step.fg != SGRPlanner.unset && step.fg != fgState
                    let setBG = step.bg != SGRPlanner.unset && step.bg != bgState
                    if setFG || setBG {
                        q[0] = 0x1B; q[1] = 0x5B; q += 2
                        if setFG {
                            Self.putColor(step.fg, foreground: true, mode: mode, digits: digits, at: &q)
                            fgState = step.fg
                        }
                        if setBG {
                            if setFG { q[0] = 0x3B; q += 1 }
                            Self.putColor(step.bg, foreground: false, mode: mode, digits: digits, at: &q)
                            bgState = step.bg
                        }
                        q[0] = 0x6D; q += 1
                    }
                    switch step.glyph {
                    case .space: q[0] = 0x20; q += 1
                    case .upper: Self.store(UInt32(0x80_96E2), at: q); q += 3  // ▀ (E2 96 80)
                    case .lower: Self.store(UInt32(0x84_96E2), at: q); q += 3  // ▄ (E2 96 84)
                    }
                }
                return q - start
            }
        }
        foreground = fgState
        background = bgState
    }

    /// Paints one monochrome cell from two on/off pixels (no colour escapes at all).
    mutating func monoCell(top: Bool, bottom: Bool) {
        switch (top, bottom) {
        case (false, false): out.append(0x20)
        case (true, false): out.append(0xE2, 0x96, 0x80)  // ▀
        case (false, true): out.append(0xE2, 0x96, 0x84)  // ▄
        case (true, true): out.append(0xE2, 0x96, 0x88)   // █
        }
    }

    // MARK: Escapes

    /// `ESC[0m` if any colour is set; afterwards the terminal's defaults are assumed.
    mutating func reset() {
        if foreground != SGRPlanner.unset || background != SGRPlanner.unset {
            out.append(0x1B, 0x5B, 0x30, 0x6D)
        }
        foreground = SGRPlanner.unset
        background = SGRPlanner.unset
    }

    /// Forgets the colour state (when something else may have changed the terminal's colours).
    mutating func forgetState() {
        foreground = SGRPlanner.unset
        background = SGRPlanner.unset
    }

    /// Moves the cursor to 1-based (row, column): absolute screen coordinates, or relative to the
    /// cursor position saved with `ESC 7` when `fromSavedCursor` (for drawing inline, below a prompt).
    mutating func moveTo(row: Int, column: Int, fromSavedCursor: Bool = false) {
        if fromSavedCursor {
            out.append(0x1B, 0x38)  // ESC 8: back to the saved position
            if row > 1 { out.append(0x1B, 0x5B); out.appendDecimal(row - 1); out.append(0x42) }        // CUD
            if column > 1 { out.append(0x1B, 0x5B); out.appendDecimal(column - 1); out.append(0x43) }  // CUF
            return
        }
        out.append(0x1B, 0x5B)
        out.appendDecimal(row)
        out.append(0x3B)
        out.appendDecimal(column)
        out.append(0x48)
    }

    /// Moves the cursor `count` columns right.
    mutating func moveRight(_ count: Int) {
        out.append(0x1B, 0x5B)
        if count != 1 { out.appendDecimal(count) }
        out.append(0x43)
    }

    mutating func append(_ text: String) { out.append(contentsOf: Array(text.utf8)) }

    /// Appends one byte (e.g. a newline).
    mutating func appendByte(_ byte: UInt8) { out.append(byte) }

    /// Writes a colour's SGR parameters (`38;2;R;G;B`, `48;5;N`, `91`, …) at `q` and advances it.
    @inline(__always)
    private static func putColor(_ key: UInt32, foreground isForeground: Bool, mode: ColorMode,
                                 digits: UnsafeBufferPointer<UInt64>, at q: inout UnsafeMutablePointer<UInt8>) {
        switch mode {
        case .truecolor:
            // "38;2;" or "48;2;", then each channel's digits with a ';' after them (the last ';' is
            // left past the end, for the next separator or the final 'm' to overwrite).
            store(isForeground ? 0x3B_323B_3833 as UInt64 : 0x3B_323B_3834 as UInt64, at: q)
            q += 5
            let r = digits[Int((key >> 16) & 0xFF)], g = digits[Int((key >> 8) & 0xFF)], b = digits[Int(key & 0xFF)]
            store(UInt32(truncatingIfNeeded: r), at: q); q += Int(r >> 32) + 1
            store(UInt32(truncatingIfNeeded: g), at: q); q += Int(g >> 32) + 1
            store(UInt32(truncatingIfNeeded: b), at: q); q += Int(b >> 32)
        case .palette256:
            q[0] = isForeground ? 0x33 : 0x34; q[1] = 0x38; q[2] = 0x3B; q[3] = 0x35; q[4] = 0x3B  // 38;5; or 48;5;
            q += 5
            ByteSink.putDecimal(key, at: &q)
        case .ansi16:
            let base: UInt32 = key < 8 ? (isForeground ? 30 : 40) : (isForeground ? 90 - 8 : 100 - 8)
            ByteSink.putDecimal(base + key, at: &q)
        case .none:
            break
        }
    }

    /// Stores a word at a possibly unaligned address (its bytes in little-endian order).
    @inline(__always) private static func store<T: FixedWidthInteger>(_ word: T, at q: UnsafeMutablePointer<UInt8>) {
        UnsafeMutableRawPointer(q).storeBytes(of: word.littleEndian, as: T.self)
    }

    /// For every channel value 0…255: its decimal digits followed by ';' in the low 4 bytes
    /// (first character lowest) and the number of digits in bits 32…39.
    private static let channelDigits: [UInt64] = (0..<256).map { value in
        let text = Array(String(value).utf8) + [0x3B]
        var word = UInt64(text.count - 1) << 32
        for (i, c) in text.enumerated() { word |= UInt64(c) << (8 * i) }
        return word
    }
}

// MARK: - Byte sink

/// A growable byte buffer with unchecked appends, for the renderer's hot loop.
struct ByteSink {
    private final class Storage {
        var pointer: UnsafeMutablePointer<UInt8>
        var capacity: Int
        init(capacity: Int) {
            pointer = .allocate(capacity: capacity)
            self.capacity = capacity
        }
        deinit { pointer.deallocate() }
    }
    private let storage: Storage
    private(set) var count = 0

    init(capacity: Int) { storage = Storage(capacity: capacity) }

    /// A copy of the bytes written.
    var array: [UInt8] { Array(UnsafeBufferPointer(start: storage.pointer, count: count)) }

    /// Copies the bytes written to `destination` (room for `count` bytes).
    func copy(to destination: UnsafeMutablePointer<UInt8>) { destination.update(from: storage.pointer, count: count) }

    /// Makes room for `extra` more bytes, so that several appends need only this one check.
    @inline(__always) mutating func reserve(_ extra: Int) {
        if count + extra > storage.capacity {
            let newCapacity = max(storage.capacity * 2, count + extra)
            let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
            bigger.update(from: storage.pointer, count: count)
            storage.pointer.deallocate()
            storage.pointer = bigger
            storage.capacity = newCapacity
        }
    }

    @inline(__always) mutating func append(_ byte: UInt8) {
        reserve(1)
        storage.pointer[count] = byte
        count += 1
    }

    @inline(__always) mutating func append(_ b0: UInt8, _ b1: UInt8) {
        reserve(2)
        storage.pointer[count] = b0; storage.pointer[count + 1] = b1
        count += 2
    }

    @inline(__always) mutating func append(_ b0: UInt8, _ b1: UInt8, _ b2: UInt8) {
        reserve(3)
        storage.pointer[count] = b0; storage.pointer[count + 1] = b1; storage.pointer[count + 2] = b2
        count += 3
    }

    @inline(__always) mutating func append(_ b0: UInt8, _ b1: UInt8, _ b2: UInt8, _ b3: UInt8) {
        reserve(4)
        storage.pointer[count] = b0; storage.pointer[count + 1] = b1; storage.pointer[count + 2] = b2
        storage.pointer[count + 3] = b3
        count += 4
    }

    @inline(__always) mutating func append(_ b0: UInt8, _ b1: UInt8, _ b2: UInt8, _ b3: UInt8, _ b4: UInt8) {
        reserve(5)
        storage.pointer[count] = b0; storage.pointer[count + 1] = b1; storage.pointer[count + 2] = b2
        storage.pointer[count + 3] = b3; storage.pointer[count + 4] = b4
        count += 5
    }

    /// Lets `body` write up to `extra` bytes at the end through a raw cursor (no per-byte
    /// capacity checks); `body` returns how many it wrote.
    @inline(__always) mutating func write(reserving extra: Int, _ body: (UnsafeMutablePointer<UInt8>) -> Int) {
        reserve(extra)
        count += body(storage.pointer + count)
    }

    /// Appends the decimal digits of a non-negative `value`.
    mutating func appendDecimal(_ value: Int) {
        guard value >= 0 && value < 1000 else {
            append(contentsOf: Array(String(value).utf8))
            return
        }
        write(reserving: 3) { start in
            var q = start
            ByteSink.putDecimal(UInt32(value), at: &q)
            return q - start
        }
    }

    /// Writes the decimal digits of `value` (below 1000) at `q` and advances it.
    @inline(__always) static func putDecimal(_ value: UInt32, at q: inout UnsafeMutablePointer<UInt8>) {
        if value >= 100 {
            let hundreds = value / 100, rest = value - hundreds * 100, tens = rest / 10
            q[0] = UInt8(0x30 + hundreds); q[1] = UInt8(0x30 + tens); q[2] = UInt8(0x30 + rest - tens * 10)
            q += 3
        } else if value >= 10 {
            let tens = value / 10
            q[0] = UInt8(0x30 + tens); q[1] = UInt8(0x30 + value - tens * 10)
            q += 2
        } else {
            q[0] = UInt8(0x30 + value)
            q += 1
        }
    }

    @inline(__always) mutating func append(contentsOf bytes: [UInt8]) {
        reserve(bytes.count)
        for b in bytes { storage.pointer[count] = b; count += 1 }
    }
}
