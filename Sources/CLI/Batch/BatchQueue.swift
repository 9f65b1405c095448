import Synchronization

/// The items still to hand out and the outcomes not yet recorded, shared by the worker threads and the
/// thread that writes the manifest.
final class BatchQueue: Sendable {
    private struct State {
        var pending: [BatchPlan.Entry]
        var next = 0
        var finished: [BatchRunner.Outcome] = []
        var stopping = false
    }
    private let state: Mutex<State>

    init(_ entries: [BatchPlan.Entry]) { state = Mutex(State(pending: entries)) }

    /// The next item, or nil when all are handed out or the run is stopping.
    func next() -> BatchPlan.Entry? {
        state.withLock { s in
            guard !s.stopping, s.next < s.pending.count else { return nil }
            s.next += 1
            return s.pending[s.next - 1]
        }
    }

    /// Hands an outcome to the recording thread.
    func finish(_ outcome: BatchRunner.Outcome) { state.withLock { $0.finished.append(outcome) } }

    /// The outcomes since the last call.
    func takeFinished() -> [BatchRunner.Outcome] {
        state.withLock { s in defer { s.finished.removeAll() }; return s.finished }
    }

    /// Hands out no more items (the current ones finish).
    func stop() { state.withLock { $0.stopping = true } }

    /// Whether `stop()` was called.
    var isStopping: Bool { state.withLock { $0.stopping } }
}
