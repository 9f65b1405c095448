import Foundation

/// Feeds a download's digests on a thread of their own, so hashing overlaps receiving and
/// writing instead of adding to them. Chunks are copied into a small pool of buffers (at most
/// `capacity` in flight), so memory stays flat whatever the file size.
final class BackgroundDigester {
    // MARK: Stored properties

    /// The digests being computed (empty: nothing to do, no thread).
    let digests: [StreamingDigest]
    private let pipe: ChunkPipe?

    /// Chunks queued at most before `update` waits for the hashing thread.
    static let capacity = 16

    // MARK: Creating

    /// Starts a hashing thread if `algorithms` is not empty.
    init(algorithms: [StreamingDigest.Algorithm]) {
        digests = algorithms.map(StreamingDigest.init)
        pipe = digests.isEmpty ? nil : ChunkPipe(digests: digests, capacity: Self.capacity)
    }

    deinit { pipe?.stop() }

    // MARK: Feeding

    /// Queues a copy of `count` bytes for hashing; returns at once unless the queue is full.
    func update(_ bytes: UnsafeRawPointer, count: Int) {
        guard count > 0, let pipe else { return }
        pipe.push(bytes, count: count)
    }

    /// Waits until every queued byte is hashed, then starts the digests over.
    func reset() {
        pipe?.drain()
        for digest in digests { digest.reset() }
    }

    /// The hex digest for `algorithm` over every byte fed so far, if it is being computed.
    func hex(_ algorithm: StreamingDigest.Algorithm) -> String? {
        pipe?.drain()
        return digests.first { $0.algorithm == algorithm }?.hex()
    }
}

// MARK: - The queue between the writer and the hashing thread

/// A bounded FIFO of byte chunks consumed by one worker thread that feeds them to the digests.
private final class ChunkPipe: @unchecked Sendable {
    private struct Chunk {
        var buffer: UnsafeMutableRawBufferPointer
        var count: Int
    }

    private let digests: [StreamingDigest]
    private let capacity: Int
    private let condition = NSCondition()
    private var pending: [Chunk] = []
    private var spare: [UnsafeMutableRawBufferPointer] = []
    private var stopping = false
    private let finished = DispatchSemaphore(value: 0)

    init(digests: [StreamingDigest], capacity: Int) {
        self.digests = digests
        self.capacity = capacity
        let thread = Thread { [self] in work() }
        thread.name = "mlwb-digest"
        thread.start()
    }

    func push(_ bytes: UnsafeRawPointer, count: Int) {
        condition.lock()
        while pending.count >= capacity { condition.wait() }
        var buffer = spare.popLast()
        condition.unlock()
        if let old = buffer, old.count < count {
            old.deallocate()
            buffer = nil
        }
        let target = buffer ?? UnsafeMutableRawBufferPointer.allocate(byteCount: max(count, 256 << 10), alignment: 64)
        target.baseAddress!.copyMemory(from: bytes, byteCount: count)
        condition.lock()
        pending.append(Chunk(buffer: target, count: count))
        condition.broadcast()
        condition.unlock()
    }

    func drain() {
        condition.lock()
        while !pending.isEmpty { condition.wait() }
        condition.unlock()
    }

    func stop() {
        condition.lock()
        stopping = true
        condition.broadcast()
        condition.unlock()
        finished.wait()
        for buffer in spare { buffer.deallocate() }
        spare.removeAll()
    }

    private func work() {
        condition.lock()
        while true {
            while pending.isEmpty, !stopping { condition.wait() }
            guard let chunk = pending.first else { break }  // empty and stopping
            condition.unlock()
            for digest in digests { digest.update(chunk.buffer.baseAddress!, count: chunk.count) }
            condition.lock()
            pending.removeFirst()
            spare.append(chunk.buffer)
            condition.broadcast()
        }
        condition.unlock()
        finished.signal()
    }
}
