import Glibc
import Foundation
import Remote
import Media

/// The CLI's one progress renderer: downloads (and the extraction steps after them), and batch runs counted in
/// items (`Unit.items`), on standard error. On a terminal: one bar per file redrawn
/// in place (name, bar, percent, bytes/total, rate, ETA) plus a total line for several files, at
/// most 10 redraws a second. Off a terminal: one plain line per file every few seconds, and a line
/// for each state change. Thread-safe: feed it events from any thread.
public final class ProgressDisplay: @unchecked Sendable {
    // MARK: Configuration

    /// Whether to redraw in place (a terminal) or print plain lines (a log or pipe).
    public let interactive: Bool
    /// The terminal width.
    public let columns: Int
    /// Seconds between redraws on a terminal (0.1 = at most 10 a second).
    public let redrawInterval: Double
    /// Seconds between plain progress lines off a terminal.
    public let plainInterval: Double
    private let output: @Sendable (String) -> Void

    // MARK: State

    /// What a row counts: bytes (downloads) or items (a batch run: `3/17 items`, `0.8 items/s`).
    public enum Unit: Sendable, Equatable {
        case bytes
        case items
    }

    private struct Row {
        var label: String
        var unit: Unit = .bytes
        var state: DownloadState = .queued
        var progress: DownloadProgress?
        var lastPlain = 0.0
    }

    private let lock = NSLock()
    private var rows: [DownloadID: Row] = [:]
    private var order: [DownloadID] = []
    private var drawnLines = 0
    private var lastDraw = 0.0
    private var finished = false

    /// A display writing to `output` (standard error by default).
    public init(interactive: Bool, columns: Int = 80, redrawInterval: Double = 0.1, plainInterval: Double = 3,
                output: @escaping @Sendable (String) -> Void = ProgressDisplay.standardError) {
        self.interactive = interactive
        self.columns = max(40, columns)
        self.redrawInterval = redrawInterval
        self.plainInterval = plainInterval
        self.output = output
    }

    /// Writes text to file descriptor 2.
    public static let standardError: @Sendable (String) -> Void = { text in
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeMutableBytes { write(2, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 { if errno == EINTR { continue }; return }
            offset += n
        }
    }

    // MARK: Feeding

    /// Records an event and redraws if it is time; `unit` says what the event's counts are (bytes unless told).
    public func handle(_ event: DownloadEvent, unit: Unit = .bytes) {
        lock.lock()
        defer { lock.unlock() }
        guard !finished else { return }
        if rows[event.id] == nil {
            rows[event.id] = Row(label: event.label, unit: unit)
            order.append(event.id)
        }
        rows[event.id]?.label = event.label
        let now = MonotonicClock.seconds()
        switch event.kind {
        case .progress(let progress):
            rows[event.id]?.progress = progress
            if interactive {
                if now - lastDraw >= redrawInterval { redraw(now) }
            } else if let row = rows[event.id], now - row.lastPlain >= plainInterval {
                rows[event.id]?.lastPlain = now
                emit(plainLine(row) + "\n")
            }
        case .state(let state):
            let previous = rows[event.id]?.state
            rows[event.id]?.state = state
            if interactive {
                if previous != state { redraw(now) }
            } else if previous != state, let row = rows[event.id], Self.worthALine(state) {
                emit(plainLine(row) + "\n")
            }
        case .message(let text):
            note("\(event.label): \(text)")
        }
    }

    /// Prints a line above the bars (or as a plain line).
    public func note(_ text: String) {
        if interactive {
            clear()
            emit(text + "\n")
            drawnLines = 0
            redraw(MonotonicClock.seconds())
        } else {
            emit(text + "\n")
        }
    }

    /// Draws the final state once more and stops redrawing (the bars stay on screen).
    public func finish() {
        lock.lock()
        defer { lock.unlock() }
        guard !finished else { return }
        if interactive { redraw(MonotonicClock.seconds()) }
        finished = true
    }

    // MARK: Rendering

    /// The lines for the current state (one per file, plus a total line for several files).
    public func lines() -> [String] {
        var result = order.compactMap { rows[$0] }.map { interactive ? barLine($0) : plainLine($0) }
        if order.count > 1 { result.append(totalLine()) }
        return result
    }

    private func redraw(_ now: Double) {
        lastDraw = now
        var text = ""
        if drawnLines > 0 { text += "\r\u{1B}[\(drawnLines)A" }
        let current = lines()
        for line in current { text += "\r\u{1B}[2K" + line + "\n" }
        drawnLines = current.count
        emit(text)
    }

    private func clear() {
        guard drawnLines > 0 else { return }
        var text = "\r\u{1B}[\(drawnLines)A"
        for _ in 0..<drawnLines { text += "\u{1B}[2K\n" }
        text += "\u{1B}[\(drawnLines)A"
        emit(text)
    }

    private func emit(_ text: String) { output(text) }

    private func barLine(_ row: Row) -> String {
        let name = Self.fit(row.label, 24)
        let stats = statsText(row)
        let width = max(10, columns - name.count - stats.count - 4)
        let fraction = row.progress?.fraction ?? (Self.isDone(row.state) ? 1 : 0)
        let filled = Int((Double(width) * fraction).rounded(.down))
        let bar = "[" + String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled) + "]"
        return name + " " + bar + " " + stats
    }

    private func plainLine(_ row: Row) -> String {
        "\(row.label): " + statsText(row)
    }

    private func statsText(_ row: Row) -> String {
        switch row.state {
        case .done: return "done " + amountText(row)
        case .failed: return "failed"
        case .paused: return "paused " + amountText(row)
        case .cancelled: return "cancelled"
        case .queued: return "queued"
        case .connecting where row.progress == nil: return "connecting"
        case .verifying: return "verifying " + bytesText(row.progress)
        case .extracting where row.progress == nil: return "extracting"
        default: break
        }
        guard let p = row.progress else { return row.state.description }
        var parts: [String] = []
        if let fraction = p.fraction { parts.append(Self.pad("\(Int(fraction * 100))%", 4)) }
        if row.state == .extracting {
            parts.append("extracting")
            return parts.joined(separator: "  ")
        }
        parts.append(row.unit == .items ? countText(p) : bytesText(p))
        if row.unit == .items {
            if p.bytesPerSecond > 0 { parts.append(HumanReadable.fixed(p.bytesPerSecond, digits: p.bytesPerSecond < 10 ? 2 : 1) + " items/s") }
        } else {
            parts.append(HumanReadable.rate(p.bytesPerSecond))
        }
        if let eta = p.secondsLeft { parts.append("ETA " + HumanReadable.duration(eta)) }
        return parts.joined(separator: "  ")
    }

    private func amountText(_ row: Row) -> String { row.unit == .items ? countText(row.progress) : bytesText(row.progress) }

    private func countText(_ p: DownloadProgress?) -> String {
        guard let p else { return "" }
        return "\(p.bytesDone)" + (p.bytesTotal.map { "/\($0)" } ?? "") + " items"
    }

    private func bytesText(_ p: DownloadProgress?) -> String {
        guard let p else { return "" }
        if let total = p.bytesTotal { return HumanReadable.bytes(p.bytesDone) + " / " + HumanReadable.bytes(total) }
        return HumanReadable.bytes(p.bytesDone)
    }

    private func totalLine() -> String {
        let all = order.compactMap { rows[$0] }
        let done = all.filter { Self.isDone($0.state) }.count
        let bytes = all.reduce(Int64(0)) { $0 + ($1.progress?.bytesDone ?? 0) }
        let totals = all.compactMap { $0.progress?.bytesTotal }
        let rate = all.filter { !$0.state.isFinal }.reduce(0.0) { $0 + ($1.progress?.bytesPerSecond ?? 0) }
        var text = "total: \(done)/\(all.count) files, " + HumanReadable.bytes(bytes)
        if totals.count == all.count { text += " / " + HumanReadable.bytes(totals.reduce(0, +)) }
        if rate > 0 { text += ", " + HumanReadable.rate(rate) }
        return text
    }

    private static func isDone(_ state: DownloadState) -> Bool {
        if case .done = state { return true }
        return false
    }

    private static func worthALine(_ state: DownloadState) -> Bool {
        switch state {
        case .done, .failed, .paused, .cancelled, .verifying: return true
        default: return false
        }
    }

    private static func fit(_ text: String, _ width: Int) -> String {
        if text.count > width { return String(text.prefix(width - 1)) + "…" }
        return text + String(repeating: " ", count: width - text.count)
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }
}
