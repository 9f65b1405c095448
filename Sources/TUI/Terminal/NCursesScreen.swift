import CNCurses
import Render
import Glibc

/// The ncursesw backend of `Screen` and `KeySource`.
///
/// Start-up order matters: the locale is set before `initscr` (or `▀` and box drawing come out as
/// garbage), then raw mode, no echo, keypad keys, a 25 ms Escape delay, an invisible cursor, and
/// colour pairs from the theme (one pair per `StyleRole`). `close()` (or the `TerminalGuard` when
/// something goes wrong) always gives the terminal back.
public final class NCursesScreen: Screen, KeySource {
    // MARK: State

    public let colorMode: ColorMode
    /// Whether colours are used at all (false with NO_COLOR or on a monochrome terminal).
    public let usesColor: Bool
    /// Colours the terminal has, as curses reports them.
    public let colors: Int
    private var pairs: [StyleRole: (attributes: attr_t, pair: Int32)] = [:]
    /// Each row's text hash at the last `present()` (empty after `invalidate()`).
    private var rowHashes: [UInt64] = []
    private var isOpen = false
    private var scratch: [CChar] = []

    /// Takes over the terminal. `environment` decides the colour mode (NO_COLOR, COLORTERM, TERM).
    /// Whether clicks and wheel turns are reported (off with MLWB_MOUSE=0, or when the terminal cannot).
    public private(set) var mouseEnabled = false

    public init(environment: [String: String]) throws {
        TerminalGuard.saveModes()
        _ = mlwb_set_all_locales()
        setenv("ESCDELAY", "25", 0)
        guard initscr() != nil else { throw WorkbenchError.terminal("cannot initialise the terminal (TERM=\(environment["TERM"] ?? "unset"))") }
        isOpen = true
        TerminalGuard.install()
        raw()
        noecho()
        nonl()
        keypad(mlwb_stdscr(), true)
        set_escdelay(25)
        curs_set(0)
        leaveok(mlwb_stdscr(), true)
        // ncurses must not move terminal cells it did not draw (the preview picture is written
        // around it): no insert/delete of lines or characters. Its scroll optimisation still runs
        // when the terminal can scroll a region; `present()` reports when it may have.
        idlok(mlwb_stdscr(), false)
        idcok(mlwb_stdscr(), false)
        scrollok(mlwb_stdscr(), false)
        let noColor = !(environment["NO_COLOR"] ?? "").isEmpty
        if !noColor && has_colors() {
            start_color()
            use_default_colors()
            usesColor = true
            colors = Int(mlwb_colors())
        } else {
            usesColor = false
            colors = 0
        }
        colorMode = ColorMode.detect(environment: environment, terminfoColors: usesColor ? colors : 0)
        // The mouse: clicks and the wheel; MLWB_MOUSE=0 leaves it to the terminal (text selection).
        if !["0", "off", "no", "false"].contains((environment["MLWB_MOUSE"] ?? "").lowercased()) {
            mouseEnabled = mlwb_enable_mouse() != 0
        }
    }

    deinit { close() }

    /// Gives the terminal back (idempotent).
    public func close() {
        guard isOpen else { return }
        isOpen = false
        if mouseEnabled { mlwb_disable_mouse() }
        endwin()
        TerminalGuard.released()
    }

    // MARK: Screen

    public var size: TerminalSize { TerminalSize(columns: Int(mlwb_cols()), rows: Int(mlwb_lines())) }

    public func apply(theme: Theme) {
        pairs = [:]
        for (i, role) in StyleRole.allCases.enumerated() {
            let r = theme.resolved(role)
            var attributes = cursesAttributes(r.attributes)
            var pair: Int32 = 0
            if usesColor {
                pair = Int32(i + 1)
                let fg = r.foreground.cursesNumber(colors: colors)
                let bg = r.background.cursesNumber(colors: colors)
                init_extended_pair(pair, fg, bg)
            } else if role == .selection || role == .status || role == .input {
                // Without colour, bars and selections still need to stand out.
                attributes |= mlwb_a_reverse()
            }
            pairs[role] = (attributes, pair)
        }
        let background = pairs[.background] ?? (0, 0)
        mlwb_set_background(background.pair, 0)
        wbkgd(mlwb_stdscr(), chtype(UInt32(" ".utf8.first!)) | chtype(mlwb_color_pair(background.pair)))
    }

    public func clear() { werase(mlwb_stdscr()) }

    public func put(_ text: String, row: Int, column: Int, style: TextStyle, maxWidth: Int?) {
        let s = size
        guard row >= 0, row < s.rows, column < s.columns, !text.isEmpty else { return }
        var text = text
        var col = column
        if col < 0 {
            text = String(text.dropFirst(-col))
            col = 0
        }
        let limit = min(s.columns - col, maxWidth ?? Int.max)
        guard limit > 0 else { return }
        if TextWidth.of(text) > limit { text = TextWidth.truncate(text, to: limit, ellipsis: false) }
        let entry = pairs[style.role] ?? (0, 0)
        let attributes = entry.attributes | cursesAttributes(style.attributes)
        text.withCString { pointer in
            mlwb_put(Int32(row), Int32(col), pointer, -1, attributes, entry.pair)
        }
    }

    public func fill(_ rect: CellRect, character: Character, style: TextStyle) {
        let line = String(repeating: character, count: max(0, rect.width))
        for r in rect.row..<rect.bottom { put(line, row: r, column: rect.column, style: style, maxWidth: rect.width) }
    }

    @discardableResult
    public func present() -> Bool {
        let rows = size.rows
        let hashes = (0..<rows).map { mlwb_row_text_hash(Int32($0)) }
        let moved = RowMoves.mayScroll(from: rowHashes, to: hashes)
        rowHashes = hashes
        wnoutrefresh(mlwb_stdscr())
        doupdate()
        return moved
    }

    public func writeRaw(_ bytes: [UInt8]) {
        // ncurses has flushed its output in doupdate(); save the cursor and attributes (DECSC),
        // draw, restore (DECRC), so ncurses' idea of the cursor stays true.
        var out: [UInt8] = [0x1B, 0x37]
        out.reserveCapacity(bytes.count + 4)
        out.append(contentsOf: bytes)
        out += [0x1B, 0x38]
        fflush(nil)
        out.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = write(1, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 { if errno == EINTR || errno == EAGAIN { continue }; return }
                offset += n
            }
        }
    }

    public func invalidate() {
        clearok(mlwb_curscr(), true)
        rowHashes = []
    }

    // MARK: Keys

    public func nextKey(timeoutMilliseconds milliseconds: Int) -> Key? {
        wtimeout(mlwb_stdscr(), Int32(milliseconds))
        var code: UInt32 = 0
        let rc = mlwb_get_wch(&code)
        if rc == mlwb_err() { return nil }
        if rc == mlwb_key_code_yes() {
            if Int32(bitPattern: code) == mlwb_key_mouse() { return readMouse() }
            return Self.decode(keyCode: Int32(bitPattern: code))
        }
        return Self.decode(character: code)
    }

    /// The event behind KEY_MOUSE, or nil for buttons the workbench does not use.
    private func readMouse() -> Key? {
        var row: Int32 = 0, column: Int32 = 0, kind: Int32 = 0
        guard mlwb_get_mouse(&row, &column, &kind) != 0 else { return nil }
        switch kind {
        case 1: return .mouse(MouseEvent(.click, row: Int(row), column: Int(column)))
        case 4: return .mouse(MouseEvent(.wheelUp, row: Int(row), column: Int(column)))
        case 5: return .mouse(MouseEvent(.wheelDown, row: Int(row), column: Int(column)))
        default: return nil
        }
    }

    /// A key code (KEY_*) as a `Key`.
    static func decode(keyCode code: Int32) -> Key? {
        switch code {
        case mlwb_key_resize(): return .resize
        case mlwb_key_up(): return .up
        case mlwb_key_down(): return .down
        case mlwb_key_left(): return .left
        case mlwb_key_right(): return .right
        case mlwb_key_home(): return .home
        case mlwb_key_end(): return .end
        case mlwb_key_ppage(): return .pageUp
        case mlwb_key_npage(): return .pageDown
        case mlwb_key_backspace(): return .backspace
        case mlwb_key_dc(): return .delete
        case mlwb_key_enter(): return .enter
        case mlwb_key_btab(): return .backTab
        case mlwb_key_f0() + 1...mlwb_key_f0() + 12: return .function(Int(code - mlwb_key_f0()))
        default: return nil
        }
    }

    /// A character (wide or control) as a `Key`.
    public static func decode(character code: UInt32) -> Key? {
        switch code {
        case 9: return .tab
        case 10, 13: return .enter
        case 27: return .escape
        case 8, 127: return .backspace
        case 0: return nil
        case 1...26: return .control(Character(UnicodeScalar(code + 96)!))
        default:
            guard let scalar = UnicodeScalar(code) else { return nil }
            return .character(Character(scalar))
        }
    }

    private func cursesAttributes(_ a: TextAttributes) -> attr_t {
        var result: attr_t = 0
        if a.contains(.bold) { result |= mlwb_a_bold() }
        if a.contains(.dim) { result |= mlwb_a_dim() }
        if a.contains(.underline) { result |= mlwb_a_underline() }
        if a.contains(.reverse) { result |= mlwb_a_reverse() }
        return result
    }
}

/// Why the workbench could not run.
public enum WorkbenchError: Error, CustomStringConvertible {
    case terminal(String)
    public var description: String {
        switch self {
        case .terminal(let message): return message
        }
    }
}
