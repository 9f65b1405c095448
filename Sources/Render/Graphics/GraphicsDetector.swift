import Glibc

/// Decides which picture protocol a terminal gets: from `--graphics`, the environment, and for `auto`
/// the terminal's own answers to a kitty graphics query and DA1, read with a short timeout.
public enum GraphicsDetector {
    /// What was chosen and why.
    public struct Choice: Equatable, Sendable {
        /// The pixel protocol, or nil for half-blocks (or no picture when `mode` is `.none`).
        public var graphicsProtocol: GraphicsProtocol?
        /// Whether sequences are wrapped for tmux.
        public var tmuxPassthrough: Bool
        /// A line for logs and `--verbose`-style output.
        public var reason: String
    }

    /// What the terminal said.
    public struct Answer: Equatable, Sendable {
        /// It answered the kitty graphics query with OK.
        public var kitty = false
        /// Its DA1 reply lists attribute 4 (sixel).
        public var sixel = false
        /// A DA1 reply arrived at all.
        public var answered = false
        public init(kitty: Bool = false, sixel: Bool = false, answered: Bool = false) {
            self.kitty = kitty; self.sixel = sixel; self.answered = answered
        }
    }

    /// The bytes sent: kitty's query for a 1×1 RGB image (`a=q`, nothing is stored or shown), then DA1.
    /// Terminals answer in order, so the DA1 reply ends the wait.
    public static let query: [UInt8] = Array("\u{1B}_Gi=31,s=1,v=1,a=q,t=d,f=24;AAAA\u{1B}\\\u{1B}[c".utf8)

    /// How long `auto` waits for a terminal that does not answer.
    public static let defaultTimeout = 0.2

    // MARK: Choosing

    /// The choice for `mode`; `isTTY` is whether output goes to a terminal, `ask` sends the query.
    public static func choose(_ mode: GraphicsMode, environment: [String: String], isTTY: Bool,
                              ask: () -> Answer) -> Choice {
        let tmux = insideTmux(environment)
        switch mode {
        case .none: return Choice(graphicsProtocol: nil, tmuxPassthrough: false, reason: "pictures off (--graphics none)")
        case .halfblock: return Choice(graphicsProtocol: nil, tmuxPassthrough: false, reason: "half-blocks (--graphics halfblock)")
        case .kitty, .sixel, .iterm:
            return Choice(graphicsProtocol: mode.pixelProtocol, tmuxPassthrough: tmux,
                          reason: "\(mode.rawValue) (--graphics \(mode.rawValue))" + (tmux ? ", through tmux's passthrough" : ""))
        case .auto:
            break
        }
        let halfblocks = { (why: String) in Choice(graphicsProtocol: nil, tmuxPassthrough: false, reason: "half-blocks: " + why) }
        guard isTTY else { return halfblocks("output is not a terminal") }
        if tmux { return halfblocks("inside tmux or screen (--graphics kitty|sixel|iterm passes through)") }
        if let known = fromEnvironment(environment) {
            return Choice(graphicsProtocol: known, tmuxPassthrough: false, reason: "\(known.rawValue): named by TERM/TERM_PROGRAM")
        }
        let term = environment["TERM"] ?? ""
        if term.isEmpty || term == "dumb" || term.hasPrefix("linux") { return halfblocks("TERM=\(term) has no pixel graphics") }
        let answer = ask()
        if answer.kitty { return Choice(graphicsProtocol: .kitty, tmuxPassthrough: false, reason: "kitty: the terminal answered the query") }
        if answer.sixel { return Choice(graphicsProtocol: .sixel, tmuxPassthrough: false, reason: "sixel: listed in the terminal's DA1 reply") }
        return halfblocks(answer.answered ? "the terminal offers neither kitty graphics nor sixel" : "the terminal did not answer")
    }

    /// A protocol the environment names without asking: kitty, Ghostty, WezTerm, iTerm2.
    public static func fromEnvironment(_ environment: [String: String]) -> GraphicsProtocol? {
        let term = environment["TERM"] ?? "", program = environment["TERM_PROGRAM"] ?? ""
        if term == "xterm-kitty" || environment["KITTY_WINDOW_ID"] != nil || term == "xterm-ghostty" || program == "ghostty"
            || program == "WezTerm" { return .kitty }
        if program == "iTerm.app" { return .iterm }
        if term.hasPrefix("foot") || term.hasPrefix("mlterm") { return .sixel }
        return nil
    }

    /// Whether output goes through tmux or GNU screen.
    public static func insideTmux(_ environment: [String: String]) -> Bool {
        let term = environment["TERM"] ?? ""
        return environment["TMUX"] != nil || term.hasPrefix("tmux") || term.hasPrefix("screen")
    }

    // MARK: Asking the terminal

    /// Sends `query` on the terminal `fd` (in raw mode for the moment) and reads the replies until the
    /// DA1 answer or `timeout` seconds; a descriptor that is not a terminal gets no question.
    public static func ask(fd: Int32, timeout: Double = defaultTimeout) -> Answer {
        var saved = termios()
        guard tcgetattr(fd, &saved) == 0 else { return Answer() }
        var raw = saved
        raw.c_lflag &= ~tcflag_t(ICANON | ECHO)
        raw.c_cc.6 = 0  // VMIN
        raw.c_cc.5 = 0  // VTIME
        guard tcsetattr(fd, TCSANOW, &raw) == 0 else { return Answer() }
        defer { var restore = saved; tcsetattr(fd, TCSANOW, &restore) }
        var sent = 0
        while sent < query.count {
            let n = query[sent...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n <= 0 { return Answer() }
            sent += n
        }
        var reply: [UInt8] = []
        let deadline = now() + timeout
        var buffer = [UInt8](repeating: 0, count: 256)
        while reply.count < 4096 {
            let left = deadline - now()
            if left <= 0 { break }
            var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&p, 1, Int32(max(1, (left * 1000).rounded(.up))))
            if ready < 0 && errno == EINTR { continue }
            if ready <= 0 { break }
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            reply.append(contentsOf: buffer[0..<n])
            if parse(reply).answered { break }
        }
        return parse(reply)
    }

    /// What a terminal's reply bytes say.
    public static func parse(_ reply: [UInt8]) -> Answer {
        var answer = Answer()
        let text = String(decoding: reply, as: UTF8.self)
        if text.contains("_Gi=31;OK") { answer.kitty = true }
        // DA1: ESC [ ? Ps ; Ps ; … c
        if let start = text.range(of: "\u{1B}[?"), let end = text[start.upperBound...].firstIndex(of: "c") {
            answer.answered = true
            answer.sixel = text[start.upperBound..<end].split(separator: ";").contains("4")
        }
        return answer
    }

    private static func now() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
    }

    // MARK: Cell size

    /// Pixels per cell: `MLWB_CELL_PIXELS=WxH`, else what the terminal reports (TIOCGWINSZ), else 8×16.
    public static func cellPixelSize(environment: [String: String], fds: [Int32] = [1, 2, 0]) -> CellPixelSize {
        if let text = environment["MLWB_CELL_PIXELS"], let size = CellPixelSize(argument: text) { return size }
        var ws = winsize()
        for fd in fds where ioctl(fd, UInt(TIOCGWINSZ), &ws) == 0 && ws.ws_col > 0 && ws.ws_row > 0 && ws.ws_xpixel > 0 && ws.ws_ypixel > 0 {
            return CellPixelSize(width: Int(ws.ws_xpixel) / Int(ws.ws_col), height: Int(ws.ws_ypixel) / Int(ws.ws_row))
        }
        return .fallback
    }
}
