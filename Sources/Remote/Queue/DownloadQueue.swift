import Foundation

/// Runs downloads concurrently (default 3 at a time), highest priority first, with pause,
/// resume and cancel per download and an event stream for the whole queue.
/// All methods are thread-safe and return at once; each transfer runs on a thread of its own.
public final class DownloadQueue: @unchecked Sendable {
    // MARK: Stored properties

    /// How many downloads run at once.
    public let concurrency: Int
    /// Options for every download.
    public let options: DownloadOptions
    /// Every event of every download, in order (one consumer).
    public let events: AsyncStream<DownloadEvent>

    private let queueContinuation: AsyncStream<DownloadEvent>.Continuation
    private let lock = NSLock()
    private var items: [DownloadID: Item] = [:]
    private var order = 0
    private var running = 0

    private final class Item: @unchecked Sendable {  // guarded by the queue's lock
        let id: DownloadID
        let request: DownloadRequest
        let sequence: Int
        let control = DownloadControl()
        let stream: AsyncStream<DownloadEvent>
        let continuation: AsyncStream<DownloadEvent>.Continuation
        var state: DownloadState = .queued
        var progress: DownloadProgress?
        var active = false
        var resumeRequested = false
        var outcome: Result<DownloadResult, Error>?
        var waiters: [CheckedContinuation<DownloadResult, Error>] = []

        init(id: DownloadID, request: DownloadRequest, sequence: Int) {
            self.id = id
            self.request = request
            self.sequence = sequence
            (stream, continuation) = AsyncStream.makeStream(of: DownloadEvent.self, bufferingPolicy: .bufferingNewest(4096))
        }
    }

    // MARK: Creating

    /// A queue running at most `concurrency` downloads at once.
    public init(concurrency: Int = 3, options: DownloadOptions = DownloadOptions()) {
        self.concurrency = max(1, concurrency)
        self.options = options
        (events, queueContinuation) = AsyncStream.makeStream(of: DownloadEvent.self, bufferingPolicy: .bufferingNewest(8192))
    }

    deinit {
        queueContinuation.finish()
    }

    // MARK: Adding

    /// Adds a download; it starts when a slot is free and nothing of higher priority waits.
    @discardableResult
    public func enqueue(_ request: DownloadRequest) -> DownloadHandle {
        let id = DownloadID.next()
        lock.lock()
        order += 1
        let item = Item(id: id, request: request, sequence: order)
        items[id] = item
        lock.unlock()
        publish(item, DownloadEvent(id: id, label: request.label, kind: .state(.queued)))
        pump()
        return DownloadHandle(id: id, events: item.stream, queue: self)
    }

    // MARK: Controlling

    /// Stops a running download and keeps its `.part`; a queued one just waits. No effect on finished ones.
    public func pause(_ id: DownloadID) {
        lock.lock()
        guard let item = items[id], !item.state.isFinal else { lock.unlock(); return }
        item.resumeRequested = false
        let wasActive = item.active
        if wasActive { item.control.pause() } else { item.state = .paused }
        lock.unlock()
        if !wasActive { publish(item, DownloadEvent(id: id, label: item.request.label, kind: .state(.paused))) }
    }

    /// Puts a paused download back in the queue; it continues from its `.part`.
    public func resume(_ id: DownloadID) {
        lock.lock()
        guard let item = items[id], !item.state.isFinal else { lock.unlock(); return }
        var requeued = false
        if item.active {
            item.resumeRequested = true  // the transfer may still be stopping; requeue when it has
        } else if item.state == .paused {
            item.control.reset()
            item.state = .queued
            requeued = true
        }
        lock.unlock()
        if requeued {
            publish(item, DownloadEvent(id: id, label: item.request.label, kind: .state(.queued)))
            pump()
        }
    }

    /// Stops a download and deletes its `.part`; its result throws `RemoteError.cancelled`.
    public func cancel(_ id: DownloadID) {
        lock.lock()
        guard let item = items[id], !item.state.isFinal else { lock.unlock(); return }
        item.control.cancel()
        if item.active { lock.unlock(); return }
        lock.unlock()
        Thread.detachNewThread { [self] in
            // Not running: remove any partial file it left, under its lock, then finish it.
            if let fileLock = try? FileLock.acquire(item.request.lockPath) {
                unlink(item.request.partialPath)
                unlink(item.request.metadataPath)
                fileLock.release()
            }
            self.complete(item, .failure(RemoteError.cancelled(url: item.request.url)))
        }
    }

    /// Cancels every download that has not finished.
    public func cancelAll() {
        lock.lock()
        let ids = items.values.filter { !$0.state.isFinal }.map(\.id)
        lock.unlock()
        ids.forEach(cancel)
    }

    // MARK: Observing

    /// The current state of a download.
    public func state(of id: DownloadID) -> DownloadState? {
        lock.lock(); defer { lock.unlock() }
        return items[id]?.state
    }

    /// The latest progress of a download.
    public func progress(of id: DownloadID) -> DownloadProgress? {
        lock.lock(); defer { lock.unlock() }
        return items[id]?.progress
    }

    /// The ids of all downloads, in the order they were added.
    public var ids: [DownloadID] {
        lock.lock(); defer { lock.unlock() }
        return items.values.sorted { $0.sequence < $1.sequence }.map(\.id)
    }

    /// Waits for a download to finish (a pause keeps waiting until it is resumed or cancelled).
    public func result(of id: DownloadID) async throws -> DownloadResult {
        try await withCheckedThrowingContinuation { continuation in
            lock.lock()
            guard let item = items[id] else {
                lock.unlock()
                continuation.resume(throwing: RemoteError.invalidURL("unknown download \(id)"))
                return
            }
            if let outcome = item.outcome {
                lock.unlock()
                continuation.resume(with: outcome)
                return
            }
            item.waiters.append(continuation)
            lock.unlock()
        }
    }

    // MARK: Scheduling

    private func pump() {
        var start: [Item] = []
        lock.lock()
        while running < concurrency {
            let candidates = items.values.filter { !$0.active && $0.state == .queued }
            guard let next = candidates.max(by: { a, b in
                a.request.priority != b.request.priority ? a.request.priority < b.request.priority : a.sequence > b.sequence
            }) else { break }
            next.active = true
            next.state = .connecting
            running += 1
            start.append(next)
        }
        lock.unlock()
        for item in start {
            let thread = Thread { [self] in self.execute(item) }
            thread.name = "mlwb-download-\(item.id.value)"
            thread.start()
        }
    }

    private func execute(_ item: Item) {
        let outcome: Result<DownloadResult, Error>
        do {
            outcome = .success(try Downloader.fetchBlocking(item.request, options: options, control: item.control, id: item.id,
                                                            events: { [weak self] event in self?.publish(item, event) }))
        } catch {
            outcome = .failure(error)
        }
        lock.lock()
        item.active = false
        running -= 1
        var requeue = false
        if case .failure(RemoteError.paused) = outcome {
            if item.resumeRequested || item.control.request == .run {
                item.resumeRequested = false
                item.control.reset()
                item.state = .queued
                requeue = true
            } else {
                item.state = .paused
            }
            lock.unlock()
            if requeue { publish(item, DownloadEvent(id: item.id, label: item.request.label, kind: .state(.queued))) }
            pump()
            return
        }
        lock.unlock()
        complete(item, outcome)
        pump()
    }

    private func complete(_ item: Item, _ outcome: Result<DownloadResult, Error>) {
        lock.lock()
        let final: DownloadState
        switch outcome {
        case .success(let result): final = .done(path: result.path)
        case .failure(RemoteError.cancelled): final = .cancelled
        case .failure(let error): final = .failed(reason: "\(error)")
        }
        let alreadyAnnounced = item.state == final
        item.state = final
        item.outcome = outcome
        let waiters = item.waiters
        item.waiters = []
        lock.unlock()
        if !alreadyAnnounced { publish(item, DownloadEvent(id: item.id, label: item.request.label, kind: .state(final))) }
        item.continuation.finish()
        for waiter in waiters { waiter.resume(with: outcome) }
    }

    private func publish(_ item: Item, _ event: DownloadEvent) {
        lock.lock()
        switch event.kind {
        case .state(let state): item.state = state
        case .progress(let progress): item.progress = progress
        case .message: break
        }
        lock.unlock()
        item.continuation.yield(event)
        queueContinuation.yield(event)
    }
}

/// A download in a `DownloadQueue`: its id, its own event stream, and controls.
public struct DownloadHandle: Sendable {
    /// The download's id.
    public let id: DownloadID
    /// This download's events (one consumer); finishes when the download ends.
    public let events: AsyncStream<DownloadEvent>
    let queue: DownloadQueue

    /// Waits for the result.
    public func result() async throws -> DownloadResult { try await queue.result(of: id) }
    /// Pauses (keeps the `.part`).
    public func pause() { queue.pause(id) }
    /// Resumes after a pause.
    public func resume() { queue.resume(id) }
    /// Cancels (deletes the `.part`).
    public func cancel() { queue.cancel(id) }
}
