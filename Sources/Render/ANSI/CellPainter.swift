/// Writes cells as escape sequences, tracking the terminal's current colours so that an SGR
/// sequence is emitted only when a colour actually changes.
struct CellPainter {
    let mode: ColorMode
    private var out: ByteSink
    private var foreground: UInt32?
    private var background: UInt32?

    init(mode: ColorMode, reservingCapacity capacity: Int = 0) {
        self.mode = mode
        out = ByteSink(capacity: max(capacity, 256))
    }

    /// The bytes written so far.
    var bytes: [UInt8] { out.array }

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

    /// The colours the terminal currently has (nil: unknown or default).
    var colorState: (fg: UInt32?, bg: UInt32?) { (foreground, background) }

    /// Paints one planned cell: sets the colours that differ, then writes the glyph.
    mutating func paint(_ step: SGRPlanner.Step) {
        out.reserve(48)
        let fg = step.fg == foreground ? nil : step.fg
        let bg = step.bg == background ? nil : step.bg
        setColors(fg: fg, bg: bg)
        switch step.glyph {
        case .space: out.append(0x20)
        case .upper: out.append(0xE2, 0x96, 0x80)  // ▀
        case .lower: out.append(0xE2, 0x96, 0x84)  // ▄
        }
    }

    /// Paints one cell whose top and bottom pixels have colour keys `top` and `bottom`.
    mutating func cell(top: UInt32, bottom: UInt32) {
        out.reserve(48)  // the longest cell: two 24-bit colours and a 3-byte glyph
        if top == bottom {
            // Both pixels match: a space on the background colour.
            if background != top { setColors(fg: nil, bg: top) }
            out.append(0x20)
            return
        }
        // Either ▀ (fg = top, bg = bottom) or ▄ (fg = bottom, bg = top): pick the one needing fewer changes.
        let upperCost = (foreground == top ? 0 : 1) + (background == bottom ? 0 : 1)
        let lowerCost = (foreground == bottom ? 0 : 1) + (background == top ? 0 : 1)
        if lowerCost < upperCost {
            setColors(fg: foreground == bottom ? nil : bottom, bg: background == top ? nil : top)
            out.append(0xE2, 0x96, 0x84)  // ▄
        } else {
            setColors(fg: foreground == top ? nil : top, bg: background == bottom ? nil : bottom)
            out.append(0xE2, 0x96, 0x80)  // ▀
        }
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
        if foreground != nil || background != nil {
            out.append(0x1B, 0x5B, 0x30, 0x6D)
        }
        foreground = nil
        background = nil
    }

    /// Forgets the colour state (when something else may have changed the terminal's colours).
    mutating func forgetState() {
        foreground = nil
        background = nil
    }

    /// Moves the cursor to 1-based (row, column): absolute screen coordinates, or relative to the
    /// cursor position saved with `ESC 7` when `fromSavedCursor` (for drawing inline, below a prompt).
    mutating func moveTo(row: Int, column: Int, fromSavedCursor: Bool = false) {
        if fromSavedCursor {
            out.append(0x1B, 0x38)  // ESC 8: back to the saved position
            if row > 1 { out.append(0x1B, 0x5B); appendDecimal(row - 1); out.append(0x42) }        // CUD
            if column > 1 { out.append(0x1B, 0x5B); appendDecimal(column - 1); out.append(0x43) }  // CUF
            return
        }
        out.append(0x1B, 0x5B)
        appendDecimal(row)
        out.append(0x3B)
        appendDecimal(column)
        out.append(0x48)
    }

    /// Moves the cursor `count` columns right.
    mutating func moveRight(_ count: Int) {
        out.append(0x1B, 0x5B)
        if count != 1 { appendDecimal(count) }
        out.append(0x43)
    }

    mutating func append(_ text: String) { out.append(contentsOf: Array(text.utf8)) }

    /// Appends one byte (e.g. a newline).
    mutating func appendByte(_ byte: UInt8) { out.append(byte) }

    private mutating func setColors(fg: UInt32?, bg: UInt32?) {
        guard fg != nil || bg != nil else { return }
        out.append(0x1B, 0x5B)
        if let fg {
            appendColor(fg, foreground: true)
            foreground = fg
        }
        if let bg {
            if fg != nil { out.append(0x3B) }
            appendColor(bg, foreground: false)
            background = bg
        }
        out.append(0x6D)
    }

    private mutating func appendColor(_ key: UInt32, foreground isForeground: Bool) {
        switch mode {
        case .truecolor:
            out.append(isForeground ? 0x33 : 0x34, 0x38, 0x3B, 0x32, 0x3B)  // 38;2; or 48;2;
            appendDecimal(Int(key >> 16)); out.append(0x3B)
            appendDecimal(Int((key >> 8) & 0xFF)); out.append(0x3B)
            appendDecimal(Int(key & 0xFF))
        case .palette256:
            out.append(isForeground ? 0x33 : 0x34, 0x38, 0x3B, 0x35, 0x3B)  // 38;5; or 48;5;
            appendDecimal(Int(key))
        case .ansi16:
            let base = key < 8 ? (isForeground ? 30 : 40) : (isForeground ? 90 - 8 : 100 - 8)
            appendDecimal(base + Int(key))
        case .none:
            break
        }
    }

    @inline(__always) private mutating func appendDecimal(_ value: Int) {
        if value < 256 {
            out.appendDecimalByte(value)
        } else if value < 10 {
            out.append(UInt8(0x30 + value))
        } else if value < 100 {
            out.append(UInt8(0x30 + value / 10)); out.append(UInt8(0x30 + value % 10))
        } else if value < 1000 {
            out.append(UInt8(0x30 + value / 100)); out.append(UInt8(0x30 + (value / 10) % 10)); out.append(UInt8(0x30 + value % 10))
        } else {
            out.append(contentsOf: Array(String(value).utf8))
        }
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

    /// Appends the decimal digits of `value` (0–255) from a table.
    @inline(__always) mutating func appendDecimalByte(_ value: Int) {
        reserve(3)
        let entry = ByteSink.decimalDigits[value]
        let length = Int(entry >> 24)
        storage.pointer[count] = UInt8(entry & 0xFF)
        storage.pointer[count + 1] = UInt8((entry >> 8) & 0xFF)
        storage.pointer[count + 2] = UInt8((entry >> 16) & 0xFF)
        count += length
    }

    /// Digits of 0–255 packed as three bytes plus the length in the top byte.
    private static let decimalDigits: [UInt32] = (0..<256).map { v in
        let digits = Array(String(v).utf8)
        var entry = UInt32(digits.count) << 24
        for (i, d) in digits.enumerated() { entry |= UInt32(d) << (8 * i) }
        return entry
    }

    @inline(__always) mutating func append(contentsOf bytes: [UInt8]) {
        reserve(bytes.count)
        for b in bytes { storage.pointer[count] = b; count += 1 }
    }
}
