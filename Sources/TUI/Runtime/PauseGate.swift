import Synchronization

/// Lets a background consumer wait while the user has paused a run.
public final class PauseGate: Sendable {
    private let state = Mutex<(paused: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    public init() {}

    public var isPaused: Bool { state.withLock { $0.paused } }

    /// Pauses or resumes; resuming wakes every waiter.
    public func set(paused: Bool) {
        let waiters = state.withLock { s -> [CheckedContinuation<Void, Never>] in
            s.paused = paused
            guard !paused else { return [] }
            defer { s.waiters.removeAll() }
            return s.waiters
        }
        for w in waiters { w.resume() }
    }

    /// Returns at once when not paused, else when resumed.
    public func wait() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let resumeNow = state.withLock { s -> Bool in
                if !s.paused { return true }
                s.waiters.append(c)
                return false
            }
            if resumeNow { c.resume() }
        }
    }
}
