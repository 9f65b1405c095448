import Foundation
import TestSupport
import XCTest
import TUI

/// Drives the real `mlwb` binary inside a detached tmux session of a fixed size, on a private
/// tmux server (its own socket), with bounded waits.
final class TmuxSession {
    let name: String
    let socket: String
    private(set) var started = false

    /// The tmux executable, or nil when tmux is not installed.
    static let tmuxPath: String? = {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let candidate = "\(dir)/tmux"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }()

    /// tmux's path; a missing tmux or mlwb binary fails the calling test (README lists tmux as a test dependency).
    static func require() throws -> String {
        guard let tmux = tmuxPath else {
            throw TestEnvironmentError("tmux is not installed: the end-to-end workbench tests drive mlwb inside tmux (apt-get install tmux)")
        }
        _ = try ProcessRunner.requireMLWB()
        return tmux
    }

    init(prefix: String = "mlwb") {
        name = "\(prefix)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        socket = "mlwb-tests-\(getpid())"
    }

    deinit { kill() }

    /// Runs tmux on this session's server; returns its exit status and standard output.
    @discardableResult
    func tmux(_ arguments: [String]) throws -> (status: Int32, stdout: String) {
        try Self.spawn(TmuxSession.tmuxPath!, ["-L", socket] + arguments)
    }

    /// posix_spawn + waitpid, output through a temporary file: tmux's server daemonises from the
    /// first client and must not inherit pipes (Foundation's Process waited forever on those here).
    static func spawn(_ program: String, _ arguments: [String]) throws -> (status: Int32, stdout: String) {
        let out = NSTemporaryDirectory() + "mlwb-tmux-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).out"
        defer { unlink(out) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        var argv: [UnsafeMutablePointer<CChar>?] = ([program] + arguments).map { strdup($0) }
        argv.append(nil)
        defer { for p in argv { free(p) } }
        let path: String = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        let words: [String] = ["TERM=xterm-256color", "PATH=" + path, "HOME=" + NSTemporaryDirectory()]
        var env: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) }
        env.append(nil)
        defer { for p in env { free(p) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, program, &actions, nil, argv, &env)
        guard rc == 0 else { throw POSIXError(POSIXErrorCode(rawValue: rc) ?? .EIO) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let text = (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
        return ((status >> 8) & 0xFF, text)
    }

    /// Starts `mlwb` (with `arguments`) in a `columns × rows` window; when it exits the pane prints
    /// `MLWB-EXIT=<status>` and stays open.
    func start(columns: Int, rows: Int, environment: [String: String], arguments: [String] = [],
               directory: String = SharedData.packageRoot) throws {
        var env = ["TERM": "xterm-256color", "COLORTERM": "truecolor", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"]
        for (k, v) in environment { env[k] = v }
        let assignments = env.sorted { $0.key < $1.key }.map { "\($0.key)=\(Self.quote($0.value))" }.joined(separator: " ")
        let command = "env -u NO_COLOR \(assignments) \(Self.quote(ProcessRunner.mlwbPath)) \(arguments.map(Self.quote).joined(separator: " ")); echo MLWB-EXIT=$?; sleep 600"
        let result = try tmux(["-f", "/dev/null", "new-session", "-d", "-s", name, "-x", String(columns), "-y", String(rows),
                               "-c", directory, command])
        guard result.status == 0 else { throw TestEnvironmentError("tmux new-session failed (status \(result.status)): \(result.stdout)") }
        started = true
    }

    /// The pane's text (`escapes`: with colour escape sequences).
    func capture(escapes: Bool = false) throws -> String {
        try tmux(["capture-pane", "-p", "-t", name] + (escapes ? ["-e"] : [])).stdout
    }

    func send(_ keys: String...) throws { try tmux(["send-keys", "-t", name] + keys) }

    /// Types text literally.
    func type(_ text: String) throws { try tmux(["send-keys", "-t", name, "-l", text]) }

    /// Runs a `:` command: the colon, the text, Enter.
    func command(_ text: String) throws {
        try send(":")
        try type(text)
        try send("Enter")
    }

    /// Presses q and waits for the workbench to exit with `status`.
    func quit(expecting status: Int = 0) throws {
        try send("q")
        try waitFor(text: "MLWB-EXIT=\(status)")
    }

    /// A mouse report as the terminal sends it in SGR mode (xterm-256color's kmous is `\E[<`):
    /// `button` 0 is a left press (released at once), 64 / 65 the wheel up / down; row and
    /// column are 0-based cells.
    func mouse(button: Int, row: Int, column: Int) throws {
        var report = "\u{1B}[<\(button);\(column + 1);\(row + 1)M"
        if button < 64 { report += "\u{1B}[<\(button);\(column + 1);\(row + 1)m" }
        let hex = report.utf8.map { String(format: "%02x", $0) }
        try tmux(["send-keys", "-t", name, "-H"] + hex)
    }

    /// Whether the program in the pane asked the terminal for mouse reports.
    func mouseReportingOn() throws -> Bool {
        try tmux(["display-message", "-p", "-t", name, "#{mouse_any_flag}"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "1"
    }

    func resize(columns: Int, rows: Int) throws {
        try tmux(["resize-window", "-t", name, "-x", String(columns), "-y", String(rows)])
    }

    /// Whether the pane is in the alternate screen (curses active).
    func alternateScreenOn() throws -> Bool {
        try tmux(["display-message", "-p", "-t", name, "#{alternate_on}"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "1"
    }

    /// The pid of mlwb (the child of the pane's shell).
    func mlwbPID() throws -> Int32? {
        let shell = try tmux(["display-message", "-p", "-t", name, "#{pane_pid}"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let children = (try? String(contentsOfFile: "/proc/\(shell)/task/\(shell)/children", encoding: .utf8)) ?? ""
        return children.split(separator: " ").first.flatMap { Int32($0) }
    }

    /// Polls the capture until `condition` holds; returns the last capture (fails the test on timeout).
    @discardableResult
    func waitFor(_ what: String, timeout: Double = 10, escapes: Bool = false, file: StaticString = #filePath, line: UInt = #line,
                 _ condition: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var last = ""
        while Date() < deadline {
            last = try capture(escapes: escapes)
            if condition(last) { return last }
            usleep(40_000)
        }
        XCTFail("timed out after \(timeout) s waiting for \(what); screen:\n\(last)", file: file, line: line)
        return last
    }

    /// Waits for `text` to appear.
    @discardableResult
    func waitFor(text: String, timeout: Double = 10, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        try waitFor("'\(text)'", timeout: timeout, file: file, line: line) { $0.contains(text) }
    }

    /// CPU seconds (user + system) used so far by the program running in the pane (the pane's
    /// shell's child), read from /proc; nil if it cannot be found.
    func programCPUSeconds() throws -> Double? {
        let pane = try tmux(["list-panes", "-t", name, "-F", "#{pane_pid}"]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        guard let children = try? String(contentsOfFile: "/proc/\(pane)/task/\(pane)/children", encoding: .utf8),
              let child = children.split(separator: " ").first,
              let stat = try? String(contentsOfFile: "/proc/\(child)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        // Fields after "(comm)": state is field 3, utime 14 and stime 15 (in clock ticks).
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    func kill() {
        guard started else { return }
        started = false
        _ = try? tmux(["kill-session", "-t", name])
    }

    /// Stops this test process's private tmux server (after the last session).
    static func stopServer() {
        guard let tmux = tmuxPath else { return }
        _ = try? spawn(tmux, ["-L", "mlwb-tests-\(getpid())", "kill-server"])
    }

    static func quote(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }
}

/// A test case that runs the real binary in tmux with its own MLWB_HOME, HOME and config folder.
class TmuxWorkbenchTestCase: XCTestCase {
    var home: TemporaryDirectory!

    override func setUpWithError() throws {
        _ = try TmuxSession.require()
        home = try TemporaryDirectory(prefix: "mlwb-e2e-home")
    }

    override func tearDown() { home?.remove() }

    override class func tearDown() { TmuxSession.stopServer() }

    /// HOME, MLWB_HOME (`home/data`), XDG_CONFIG_HOME and the stats file, all inside `home`.
    var baseEnvironment: [String: String] {
        ["HOME": home.path, "MLWB_HOME": home.file("data"), "XDG_CONFIG_HOME": home.file("config"),
         "MLWB_TUI_STATS": home.file("stats.json")]
    }

    func stats() throws -> WorkbenchStats {
        try JSONDecoder().decode(WorkbenchStats.self, from: Data(contentsOf: URL(fileURLWithPath: home.file("stats.json"))))
    }

    /// Imports checkpoints from ../shared/weights into this test's MLWB_HOME (skips without ../shared).
    func importWeights(_ files: String...) throws {
        for file in files {
            let weights = try SharedData.require("weights/" + file)
            let imported = try ProcessRunner.mlwb(["checkpoints", "import", weights], environment: baseEnvironment)
            XCTAssertEqual(imported.status, 0, imported.stderr)
        }
    }
}
