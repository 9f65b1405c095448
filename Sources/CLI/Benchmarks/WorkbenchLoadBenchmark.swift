import Foundation
import Media
import Models
import Render
import TUI

/// `mlwb bench tui`, under load: key → screen while a real DeepDream runs, a download streams from
/// a loopback server and a `:` command prints its progress — the three at once, as in a busy
/// session. Keys go through the same steps as the workbench's main loop (keymap, update, text
/// redraw measured; then the inbox drained and the preview painted) into a 160×48 `MemoryScreen`.
enum WorkbenchLoadBenchmark {
    /// What one run measured.
    struct Report: CustomStringConvertible {
        var keys = 0
        var medianMs = 0.0, p95Ms = 0.0, maxMs = 0.0
        var dreamFrames = 0
        var downloadedBytes = 0
        var commandLines = 0
        var seconds = 0.0
        var notes: [String] = []

        var description: String {
            func f(_ v: Double) -> String { HumanReadable.fixed(v, digits: 2) }
            var lines = [
                "key → screen under load (160×48, \(keys) keys over \(f(seconds)) s): \(f(medianMs)) ms median, \(f(p95Ms)) ms p95, \(f(maxMs)) ms max  (target < 50 ms)",
                "  meanwhile: \(dreamFrames) DeepDream frames shown, \(HumanReadable.bytes(downloadedBytes)) downloaded, \(commandLines) lines of ':chords' output",
            ]
            lines += notes.map { "  " + $0 }
            return lines.joined(separator: "\n")
        }
    }

    /// Runs the three jobs and presses keys for `seconds`; `context` finds the user's mobilenet_v2.
    static func measure(_ context: CommandContext, seconds: Double) throws -> Report {
        var report = Report()
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("mlwb-bench-tui-\(getpid())").path
        try FileManager.default.createDirectory(atPath: scratch + "/audio", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        var environment = context.environment
        environment["MLWB_HOME"] = scratch + "/home"
        let benchContext = CommandContext(environment: environment, stdoutIsTTY: false, stderrIsTTY: false) { _, _ in }

        // The dream's weights: the user's verified copy, imported into the scratch store.
        var dreams = false
        if let user = try? CheckpointsSupport.modelContext(context), let weights = try? user.checkpointPath(MobileNetV2.checkpointID) {
            try CheckpointsSupport.store(benchContext).importFile(weights, id: MobileNetV2.checkpointID)
            dreams = true
        } else {
            report.notes.append("no DeepDream (mobilenet_v2 is not in the store: mlwb checkpoints get mobilenet_v2)")
        }
        // The download: 64 MB held to 4 MB/s, so it lasts the whole measurement.
        let payload = scratch + "/payload.bin"
        FileManager.default.createFile(atPath: payload, contents: nil)
        try FileHandle(forWritingTo: URL(fileURLWithPath: payload)).truncate(atOffset: 64 << 20)
        let server = try BenchmarkFileServer(file: payload, bytesPerSecond: 4 << 20)
        defer { server.stop() }
        // The command: chords over a folder of copies of the arpeggio, one progress line per file.
        guard let assets = AssetLocator.directory(environment: environment) else { throw MediaError.invalidArgument("cannot find assets/ for the benchmark's media") }
        for i in 0..<16 { try FileManager.default.copyItem(atPath: assets + "/audio/arpeggio.wav", toPath: scratch + "/audio/take\(i).wav") }

        let size = TerminalSize(columns: 160, rows: 48)
        let services = WorkbenchServices.standard(environment: environment, commandRunner: MLWB.hostedCommands(environment: environment))
        let core = WorkbenchCore(size: size, services: services, themes: ThemeLibrary.load(directories: ThemeLibrary.searchDirectories(environment: environment)),
                                 assetsDirectory: assets)
        let screen = MemoryScreen(columns: size.columns, rows: size.rows)
        core.start()
        core.render(on: screen)
        func command(_ text: String) {
            core.handle(.character(":"))
            for key in Key.typing(text) { core.handle(key) }
            core.handle(.enter)
            core.handle(.escape)  // close the output overlay: the command keeps running
        }
        InterruptFlag.hosted = true
        if dreams { command("dream \(assets)/images/sample.png --steps 500 --octaves 3") }
        command("download \(server.url) -o \(scratch)/downloaded.bin")
        command("chords \(scratch)/audio --out \(scratch)/chords")

        // Keys a user presses while all that runs (moving, opening the help, the log, filtering).
        let script: [Key] = [.character("2"), .down, .down, .up, .character("1"), .down, .up, .character("?"), .down, .escape,
                             .character("3"), .down, .up, .character("L"), .up, .escape, .character("1"), .character("/"),
                             .character("d"), .escape, .tab, .backTab]
        var latencies: [Double] = []
        let started = MonotonicClock.seconds()
        var nextKey = started + 0.2
        var i = 0
        while MonotonicClock.seconds() - started < seconds {
            let now = MonotonicClock.seconds()
            if now >= nextKey {
                let t0 = MonotonicClock.seconds()
                core.handle(script[i % script.count])
                core.renderText(on: screen)
                latencies.append(MonotonicClock.seconds() - t0)
                i += 1
                nextKey = now + 0.05
            }
            core.drainInbox()
            core.render(on: screen)
            usleep(core.hasPendingWork ? 0 : 5000)
        }
        report.seconds = MonotonicClock.seconds() - started
        report.dreamFrames = core.state.job?.frames ?? 0
        report.downloadedBytes = core.state.downloads.transfers.map(\.bytes).max() ?? 0
        report.commandLines = core.state.commands.first { $0.words.first == "chords" }?.allLines.count ?? 0
        if dreams, report.dreamFrames == 0 {
            report.notes.append("the dream showed no frame: \(core.state.job?.phase.label ?? "did not start")")
            report.notes += core.state.log.suffix(8).map { "  log: " + $0.text }
        }
        core.runner.stopEverything(waiting: 3)
        let sorted = latencies.sorted().map { $0 * 1000 }
        report.keys = sorted.count
        if !sorted.isEmpty {
            report.medianMs = sorted[sorted.count / 2]
            report.p95Ms = sorted[min(sorted.count - 1, sorted.count * 95 / 100)]
            report.maxMs = sorted.last!
        }
        return report
    }
}
