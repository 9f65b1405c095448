import Dispatch

/// Data-parallel loops over index ranges, split across the machine's cores.
///
/// The body runs concurrently on disjoint ranges; it may write through unsafe pointers to
/// disjoint parts of a buffer, which is why the closure is not required to be `@Sendable`.
/// Worker threads run the body in the caller's `DenormalMode`, so a loop computes the same on
/// every thread (and a model pass flushes subnormals on all of them).
public enum Parallel {
    /// Runs `body` on consecutive sub-ranges of `0..<count`, in parallel when `count >= minimumCount`.
    public static func forRanges(_ count: Int, chunks: Int = 4, minimumCount: Int = 64,
                                 _ body: (Range<Int>) -> Void) {
        guard count > 0 else { return }
        let n = count >= minimumCount ? min(chunks, count) : 1
        if n == 1 { body(0..<count); return }
        let mode = DenormalMode.current
        withoutActuallyEscaping(body) { escapable in
            let box = UncheckedBox(escapable)
            DispatchQueue.concurrentPerform(iterations: n) { chunk in
                DenormalMode.with(mode) { box.value((count * chunk / n)..<(count * (chunk + 1) / n)) }
            }
        }
    }
}

/// Carries a value across a concurrency boundary whose safety the caller guarantees
/// (disjoint writes in `Parallel.forRanges`).
private struct UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
