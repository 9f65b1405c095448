import Foundation
import Media
import Render
import Glibc

/// How `mlwb` (no arguments) opens the workbench.
public struct WorkbenchOptions: Sendable {
    /// The theme to start with (`--theme NAME`); nil uses `default`.
    public var themeName: String?
    /// Where the Media pane starts.
    public var directory: String
    /// Environment variables (colour detection, themes, assets, MLWB_TUI_STATS).
    public var environment: [String: String]

    public init(themeName: String? = nil, directory: String = ".", environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.themeName = themeName
        self.directory = directory
        self.environment = environment
    }
}

/// Timings of one workbench session (written as JSON to `$MLWB_TUI_STATS` on exit).
public struct WorkbenchStats: Sendable, Codable {
    /// From `Workbench.run` to the first complete frame on the terminal, in milliseconds.
    public var firstFrameMilliseconds: Double = 0
    /// Keys handled.
    public var keys = 0
    /// Key read → screen updated, in milliseconds.
    public var keyLatencyMeanMilliseconds: Double = 0
    public var keyLatencyMaxMilliseconds: Double = 0
    /// Keys handled while a model run was live, and their worst latency.
    public var keysDuringRun = 0
    public var keyLatencyMaxDuringRunMilliseconds: Double = 0
    /// Preview frames written and the mean time to encode one.
    public var previewFrames = 0
    public var previewEncodeMeanMilliseconds: Double = 0
    public var previewBytes = 0
}

/// The full-screen workbench: the ncurses main loop around a `WorkbenchCore`.
public enum Workbench {
    /// Opens the workbench and runs until the user quits; returns the exit status
    /// (0, 1 on a terminal error, 128 + signal when stopped by SIGINT/SIGTERM/SIGHUP).
    public static func run(options: WorkbenchOptions, services: WorkbenchServices) -> Int32 {
        let started = MonotonicClock.seconds()
        guard isatty(0) == 1, isatty(1) == 1 else {
            printError("mlwb: the workbench needs a terminal (stdin and stdout must be a tty); run 'mlwb --help' for the subcommands")
            return 1
        }
        let environment = options.environment
        let themes = ThemeLibrary.load(directories: ThemeLibrary.searchDirectories(environment: environment))
        // Ask the terminal about pixel graphics before ncurses owns it (MLWB_GRAPHICS forces a mode).
        var mode = GraphicsMode.auto
        if let name = environment["MLWB_GRAPHICS"], !name.isEmpty {
            if let named = GraphicsMode(argument: name) { mode = named } else {
                printError("mlwb: MLWB_GRAPHICS must be auto, kitty, sixel, iterm, halfblock or none, got '\(name)'; detecting instead")
            }
        }
        let choice = GraphicsDetector.choose(mode, environment: environment, isTTY: true) {
            let tty = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC)
            guard tty >= 0 else { return GraphicsDetector.Answer() }
            defer { close(tty) }
            return GraphicsDetector.ask(fd: tty)
        }
        let pixels = choice.graphicsProtocol.map {
            PixelRenderer($0, cell: GraphicsDetector.cellPixelSize(environment: environment), tmuxPassthrough: choice.tmuxPassthrough)
        }
        let screen: NCursesScreen
        do {
            screen = try NCursesScreen(environment: environment)
        } catch {
            printError("mlwb: \(error)")
            return 1
        }
        var stats = WorkbenchStats()
        var status: Int32 = 0
        do {
            defer { screen.close() }
            let core = WorkbenchCore(size: screen.size, services: services, themes: themes, themeName: options.themeName,
                                     colorMode: screen.colorMode, directory: options.directory,
                                     assetsDirectory: AssetLocator.directory(environment: environment), pixels: pixels)
            core.start()
            core.render(on: screen)
            stats.firstFrameMilliseconds = (MonotonicClock.seconds() - started) * 1000
            status = loop(core, screen, &stats)
            core.removeImages(on: screen)
            stats.previewFrames = core.painter.framesWritten
            stats.previewBytes = core.painter.bytesWritten
            stats.previewEncodeMeanMilliseconds = core.painter.framesWritten > 0 ? core.painter.secondsEncoding * 1000 / Double(core.painter.framesWritten) : 0
            core.runner.stopEverything(waiting: 3)
        }
        if let path = environment["MLWB_TUI_STATS"], !path.isEmpty, let data = try? JSONEncoder().encode(stats) {
            _ = FileManager.default.createFile(atPath: path, contents: data)
        }
        return status
    }

    /// The main loop: wait up to 15 ms for a key (so background events and preview frames are
    /// picked up promptly), handle every key that is waiting, apply posted actions, draw.
    static func loop(_ core: WorkbenchCore, _ screen: NCursesScreen, _ stats: inout WorkbenchStats) -> Int32 {
        var latencyTotal = 0.0
        while true {
            if let sig = TerminalGuard.pending {
                core.dispatch(.signal(sig))
                return 128 + sig
            }
            var key = screen.nextKey(timeoutMilliseconds: core.hasPendingWork ? 0 : 15)
            var firstKeyAt: Double?
            var keysThisRound = 0
            while let k = key {
                if firstKeyAt == nil { firstKeyAt = MonotonicClock.seconds() }
                if k == .resize {
                    core.resize(to: screen.size)
                } else {
                    core.handle(k)
                    keysThisRound += 1
                }
                if core.state.shouldQuit { break }
                key = screen.nextKey(timeoutMilliseconds: 0)
            }
            if core.state.shouldQuit { return core.state.exitStatus }
            // Keys first: their effect reaches the screen before queued frames are applied and
            // before the preview is rasterised.
            if keysThisRound > 0 { core.renderText(on: screen) }
            let keyDone = MonotonicClock.seconds()
            core.drainInbox()
            if core.state.shouldQuit { return core.state.exitStatus }
            core.render(on: screen)
            if let began = firstKeyAt, keysThisRound > 0 {
                let latency = (keyDone - began) * 1000
                stats.keys += keysThisRound
                latencyTotal += latency * Double(keysThisRound)
                stats.keyLatencyMeanMilliseconds = latencyTotal / Double(stats.keys)
                stats.keyLatencyMaxMilliseconds = max(stats.keyLatencyMaxMilliseconds, latency)
                if let job = core.state.job, job.phase.isLive {
                    stats.keysDuringRun += keysThisRound
                    stats.keyLatencyMaxDuringRunMilliseconds = max(stats.keyLatencyMaxDuringRunMilliseconds, latency)
                }
            }
        }
    }

    private static func printError(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
