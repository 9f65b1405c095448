import Foundation
import Synchronization

/// Pause/cancel switch shared between whoever started a download and the transfer thread.
/// The transfer checks it in libcurl's progress callback, so a stop takes effect within
/// about a second even when no bytes flow, and at once while bytes flow or during a retry wait.
public final class DownloadControl: Sendable {
    /// What the owner asked for.
    public enum Request: Int, Sendable {
        case run = 0
        /// Stop and keep the partial file (resume later).
        case pause = 1
        /// Stop and delete the partial file.
        case cancel = 2
    }

    private let value = Atomic<Int>(0)
    private let condition = NSCondition()

    public init() {}

    /// The current request.
    public var request: Request { Request(rawValue: value.load(ordering: .acquiring)) ?? .run }

    /// Whether the transfer should stop now.
    public var shouldStop: Bool { value.load(ordering: .relaxed) != 0 }

    /// Asks the transfer to stop and keep the `.part` file.
    public func pause() { set(.pause) }

    /// Asks the transfer to stop and delete the `.part` file.
    public func cancel() { set(.cancel) }

    /// Clears a pause so the download can run again.
    public func reset() { set(.run) }

    private func set(_ request: Request) {
        condition.lock()
        // A cancel is never downgraded to a pause.
        if !(request == .pause && self.request == .cancel) { value.store(request.rawValue, ordering: .releasing) }
        condition.broadcast()
        condition.unlock()
    }

    /// Sleeps up to `seconds`; returns early (false) when a stop is requested.
    public func wait(seconds: Double) -> Bool {
        let deadline = Date(timeIntervalSinceNow: seconds)
        condition.lock()
        defer { condition.unlock() }
        while !shouldStop {
            if !condition.wait(until: deadline) { return !shouldStop }
        }
        return false
    }
}
