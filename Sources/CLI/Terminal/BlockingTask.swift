import Dispatch
import Synchronization

/// The CLI's one way to wait for async library work from a synchronous command: runs the work on a
/// detached task, calls `poll` on the command's thread about every 100 ms (to draw progress), and
/// cancels the task when Ctrl-C raises the `InterruptFlag` (downloads then keep their `.part`).
enum BlockingTask {
    /// The work's result, or its error (a `CancellationError`/`RemoteError.paused` after Ctrl-C).
    static func run<T: Sendable>(poll: (() -> Void)? = nil, _ work: @escaping @Sendable () async throws -> T) throws -> T {
        let outcome = Mutex<Result<T, any Error>?>(nil)
        let done = DispatchSemaphore(value: 0)
        let task = Task.detached {
            let result: Result<T, any Error>
            do { result = .success(try await work()) } catch { result = .failure(error) }
            outcome.withLock { $0 = result }
            done.signal()
        }
        var cancelled = false
        while done.wait(timeout: .now() + .milliseconds(100)) == .timedOut {
            if InterruptFlag.isRaised, !cancelled {
                cancelled = true
                task.cancel()
            }
            poll?()
        }
        poll?()
        return try outcome.withLock { $0! }.get()
    }
}
