import Synchronization

/// Actions posted from background tasks (model events, loads, transfers) for the main loop to drain.
/// ncurses is not thread-safe, so nothing but the main loop touches the state or the screen.
public final class Inbox: Sendable {
    private let queue = Mutex<[Action]>([])

    public init() {}

    /// Queues an action (any thread).
    public func post(_ action: Action) {
        queue.withLock { $0.append(action) }
    }

    /// Takes every queued action, oldest first.
    public func drain() -> [Action] {
        queue.withLock { actions in
            defer { actions.removeAll(keepingCapacity: true) }
            return actions
        }
    }

    /// Whether actions are waiting.
    public var isEmpty: Bool { queue.withLock { $0.isEmpty } }
}

