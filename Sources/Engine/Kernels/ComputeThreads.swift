import CBLAS
import Foundation
import Media
import Synchronization

// MARK: - Thread configuration

/// How many CPU threads the engine's kernels (and OpenBLAS) use.
public enum ComputeThreads {
    /// Backing store; `Atomic` makes the global safe to read from any thread.
    private static let configured = Atomic<Int>(0)

    /// The thread count in use: `MLWB_THREADS` if set, else the number of active processors.
    public static var count: Int {
        let n = configured.load(ordering: .relaxed)
        if n > 0 { return n }
        let env = ProcessInfo.processInfo.environment["MLWB_THREADS"].flatMap(Int.init) ?? 0
        let chosen = env > 0 ? env : max(1, ProcessInfo.processInfo.activeProcessorCount)
        set(chosen)
        return chosen
    }

    /// Runs `body` for every index of 0..<count, spread over up to `count` threads when there are several,
    /// each thread's OpenBLAS calls single-threaded meanwhile (for callers that split GEMM work into
    /// independent blocks themselves, as the BeatNet features do).
    public static func concurrentBlocks(_ count: Int, _ body: @Sendable (Int) -> Void) {
        parallelGEMMChunks(count, multiplyAdds: parallelGEMMMinimumWork) { range in for i in range { body(i) } }
    }

    /// Sets the thread count for engine kernels and OpenBLAS.
    public static func set(_ n: Int) {
        let n = max(1, n)
        configured.store(n, ordering: .relaxed)
        openblas_set_num_threads(Int32(n))
    }
}

// MARK: - Parallel loops

/// A pointer that may be captured by the worker closures of a parallel loop.
struct SharedPointer: @unchecked Sendable {
    // @unchecked Sendable: parallel kernels hand each worker disjoint index ranges, so no two
    // threads ever write the same element through this pointer.
    let p: UnsafeMutablePointer<Float>
    init(_ p: UnsafeMutablePointer<Float>) { self.p = p }
    init(_ p: UnsafePointer<Float>) { self.p = UnsafeMutablePointer(mutating: p) }
}

/// Splits `0..<count` into at most `ComputeThreads.count` contiguous chunks and runs `body` on each,
/// in parallel when the work (`count * costPerItem` scalar operations) is worth it.
@inline(__always)
func parallelChunks(_ count: Int, costPerItem: Int = 1, _ body: @Sendable (Range<Int>) -> Void) {
    if count <= 0 { return }
    let threads = ComputeThreads.count
    let work = count &* max(1, costPerItem)
    if threads == 1 || count == 1 || work < 32_768 {
        body(0..<count)
        return
    }
    // Media's parallel loop (the same split), which runs the workers in the caller's denormal mode.
    Parallel.forRanges(count, chunks: min(threads, count), minimumCount: 2, body)
}

/// Multiply-adds below which a GEMM-based kernel runs inline: waking a worker and switching OpenBLAS's
/// thread count cost more than splitting such a small product saves.
let parallelGEMMMinimumWork = 2_000_000

/// Runs `body` over the chunks 0..<count of a GEMM-based kernel doing `multiplyAdds` in all: in parallel,
/// each worker calling single-threaded OpenBLAS (its own pool would only oversubscribe), or inline when
/// there is one thread, one chunk or too little work.
func parallelGEMMChunks(_ count: Int, multiplyAdds: Int, _ body: @Sendable (Range<Int>) -> Void) {
    let threads = ComputeThreads.count
    if threads > 1 && count > 1 && multiplyAdds >= parallelGEMMMinimumWork {
        openblas_set_num_threads(1)
        defer { openblas_set_num_threads(Int32(threads)) }
        parallelChunks(count, costPerItem: 1 << 20, body)
    } else {
        body(0..<count)
    }
}
