import Foundation
import Synchronization

/// Holds a model run while the user has paused it: the model's compute loop blocks in
/// `waitWhilePaused()` between steps (so a paused dream uses no CPU), and a consumer of its
/// events can `await wait()`. Resuming wakes both.
public final class PauseGate: Sendable {
    private let state = Mutex<(paused: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))
    /// Signalled on every resume, for threads blocked in `waitWhilePaused`.
    private let resumed = NSCondition()

    public init() {}

    /// Whether the run is paused.
    public var isPaused: Bool { state.withLock { $0.paused } }

    // MARK: Pausing

    /// Pauses or resumes; resuming wakes every waiter.
    public func set(paused: Bool) {
        let waiters = state.withLock { s -> [CheckedContinuation<Void, Never>] in
            s.paused = paused
            guard !paused else { return [] }
            defer { s.waiters.removeAll() }
            return s.waiters
        }
        for w in waiters { w.resume() }
        if !paused {
            resumed.lock()
            resumed.broadcast()
            resumed.unlock()
        }
    }

    // MARK: Waiting

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

    /// Blocks the calling (background) thread while paused; returns at once when not paused, or
    /// when `isCancelled` turns true (checked at least every 0.2 s).
    public func waitWhilePaused(isCancelled: () -> Bool = { false }) {
        resumed.lock()
        defer { resumed.unlock() }
        while isPaused && !isCancelled() {
            _ = resumed.wait(until: Date(timeIntervalSinceNow: 0.2))
        }
    }
}
