import Glibc

// MARK: - Heap tuning

/// glibc heap settings for tensor-sized buffers, applied once, before the first tensor allocation.
///
/// By default glibc serves blocks above its adaptive mmap threshold with fresh mappings and hands heap tops
/// above its trim threshold back to the kernel on free. A network run allocates and frees the same
/// megabyte-sized activations for every input (Basic Pitch: every 2-second window), so each of them would
/// page-fault and be zeroed by the kernel again — about 10,000 faults and 8 % of a transcription's CPU time.
/// Fixed thresholds (mappings only above 32 MiB, trimming only above 128 MiB of free heap top) keep them in
/// the heap for reuse.
enum HeapTuning {
    /// glibc's `M_TRIM_THRESHOLD` and `M_MMAP_THRESHOLD` (malloc.h, which the Glibc module doesn't export).
    static let trimThreshold: Int32 = -1, mmapThreshold: Int32 = -3

    /// Whether the settings were applied (false where the C library has no `mallopt`).
    static let applied: Bool = {
        typealias MallOpt = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(nil, "mallopt") else { return false }
        let mallopt = unsafeBitCast(symbol, to: MallOpt.self)
        return mallopt(mmapThreshold, 32 << 20) == 1 && mallopt(trimThreshold, 128 << 20) == 1
    }()
}
