import Media
import Remote

/// A batch run's progress through the CLI's one progress renderer, counted in items: on a terminal a bar
/// (done/total, items per second, ETA) with the per-item lines above it; otherwise the per-item lines on
/// standard output and a plain progress line on standard error every few seconds. Used from one thread.
final class BatchProgress {
    private let context: CommandContext
    private let display: ProgressDisplay
    private let label: String
    private let total: Int
    private let start = MonotonicClock.seconds()
    private static let row = DownloadID(1)

    /// Progress over `total` items; a bar only when both standard output and standard error are terminals.
    init(label: String, total: Int, context: CommandContext) {
        self.context = context
        self.label = label
        self.total = total
        let sink = ContextSink(context: context)
        display = ProgressDisplay(interactive: context.stdoutIsTTY && context.stderrIsTTY, columns: context.terminalSize.columns,
                                  output: { sink.context.writeError($0) })
        // The row starts with its counts: on a terminal they come first (the state's redraw shows them), in
        // plain lines the state does (the first count line shows it).
        let running = DownloadEvent(id: Self.row, label: label, kind: .state(.downloading))
        if display.interactive { update(done: 0); display.handle(running, unit: .items) } else { display.handle(running, unit: .items); update(done: 0) }
    }

    /// Seconds since the run started.
    var elapsed: Double { MonotonicClock.seconds() - start }

    /// A finished item's line.
    func line(_ text: String) {
        if display.interactive { display.note(text) } else { context.print(text); context.flush() }
    }

    /// A failed item's message (standard error).
    func failure(_ text: String) {
        if display.interactive { display.note(text) } else { context.printError(text) }
    }

    /// A note (standard error).
    func note(_ text: String) {
        if display.interactive { display.note(text) } else { context.printError(text) }
    }

    /// `done` of the items are finished: the rate and ETA follow from the time so far.
    func update(done: Int) {
        let seconds = elapsed
        let rate = done > 0 && seconds > 0 ? Double(done) / seconds : 0
        let left = rate > 0 ? Double(total - done) / rate : nil
        display.handle(DownloadEvent(id: Self.row, label: label, kind: .progress(DownloadProgress(
            bytesDone: Int64(done), bytesTotal: Int64(total), bytesPerSecond: rate, secondsLeft: left))), unit: .items)
    }

    /// The last state: done, or paused when the run stopped early (the bar stays on screen).
    func finish(done: Int, stopped: Bool) {
        update(done: done)
        display.handle(DownloadEvent(id: Self.row, label: label, kind: .state(stopped ? .paused : .done(path: ""))), unit: .items)
        display.finish()
    }
}

/// Lets the renderer's output closure reach the command's context. `@unchecked Sendable`: `BatchProgress`
/// is only used from the command's thread, so the context is never touched from two threads.
private struct ContextSink: @unchecked Sendable {
    let context: CommandContext
}
