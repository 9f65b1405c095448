import Glibc

/// What a command needs from the process: output streams, environment and terminal facts.
public final class CommandContext {
    /// Environment variables (tests pass their own).
    public let environment: [String: String]
    /// Whether standard output is a terminal.
    public let stdoutIsTTY: Bool
    /// Whether standard error is a terminal.
    public let stderrIsTTY: Bool
    private var outBuffer: [UInt8] = []
    /// Where output goes instead of file descriptors 1 and 2 (a command running inside the workbench).
    private let sink: OutputSink?

    /// Receives a command's output bytes; `isError` for standard error.
    public typealias OutputSink = @Sendable (_ bytes: [UInt8], _ isError: Bool) -> Void

    public init(environment: [String: String], stdoutIsTTY: Bool, stderrIsTTY: Bool, sink: OutputSink? = nil) {
        self.environment = environment
        self.stdoutIsTTY = stdoutIsTTY
        self.stderrIsTTY = stderrIsTTY
        self.sink = sink
    }

    /// A context for the running process.
    public static func current() -> CommandContext {
        var env: [String: String] = [:]
        var p = environ
        while let entry = p.pointee {
            let text = String(cString: entry)
            if let eq = text.firstIndex(of: "=") {
                env[String(text[..<eq])] = String(text[text.index(after: eq)...])
            }
            p += 1
        }
        return CommandContext(environment: env, stdoutIsTTY: isatty(1) == 1, stderrIsTTY: isatty(2) == 1)
    }

    // MARK: Output

    /// Appends text to standard output (buffered until `flush()`).
    public func write(_ text: String) {
        outBuffer.append(contentsOf: text.utf8)
        if outBuffer.count > 1 << 16 { flush() }
    }

    /// Appends raw bytes to standard output.
    public func write(bytes: [UInt8]) {
        outBuffer.append(contentsOf: bytes)
        if outBuffer.count > 1 << 16 { flush() }
    }

    /// Writes a line to standard output.
    public func print(_ line: String) { write(line + "\n") }

    /// Writes everything buffered to standard output now.
    public func flush() {
        guard !outBuffer.isEmpty else { return }
        emit(fd: 1, outBuffer)
        outBuffer.removeAll(keepingCapacity: true)
    }

    /// Writes a line to standard error immediately (standard output is flushed first).
    public func printError(_ line: String) {
        flush()
        emit(fd: 2, Array((line + "\n").utf8))
    }

    /// Writes text to standard error immediately, without a newline (progress lines).
    public func writeError(_ text: String) {
        emit(fd: 2, Array(text.utf8))
    }

    /// Sends bytes to the sink, if any, else writes them all to `fd`.
    private func emit(fd: Int32, _ bytes: [UInt8]) {
        if let sink { sink(bytes, fd == 2); return }
        Self.writeAll(fd: fd, bytes)
    }

    private static func writeAll(fd: Int32, _ bytes: [UInt8]) {
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 { if errno == EINTR { continue }; return }
                offset += n
            }
        }
    }

    // MARK: Terminal

    /// The terminal size in cells from the tty, then $COLUMNS/$LINES, then 80×24.
    public var terminalSize: (columns: Int, rows: Int) {
        var ws = winsize()
        for fd in [Int32(1), 2, 0] where ioctl(fd, UInt(TIOCGWINSZ), &ws) == 0 && ws.ws_col > 0 {
            return (Int(ws.ws_col), Int(ws.ws_row))
        }
        let cols = environment["COLUMNS"].flatMap(Int.init) ?? 80
        let rows = environment["LINES"].flatMap(Int.init) ?? 24
        return (cols, rows)
    }
}
