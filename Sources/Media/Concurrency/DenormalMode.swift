import CFloatEnv

/// How the calling thread's CPU treats subnormal floats: kept (IEEE gradual underflow) or flushed to zero.
///
/// Subnormals (magnitudes below 2^-126 ≈ 1.2e-38) cost microcode assists on many CPUs and are noise in
/// a network. The mode is per thread: x86-64 MXCSR FTZ + DAZ, AArch64 FPCR FZ; on other architectures
/// `flushToZero` is a no-op. mlwb runs every model pass in `forComputation` (`Executor`), its
/// parallel loops carry the caller's mode to their workers (`Parallel`), and OpenBLAS's own threads
/// take it when the library is loaded (Sources/CBLAS/shim.h).
public enum DenormalMode: Sendable, Equatable {
    /// Subnormal inputs and results are kept, as IEEE 754 says (every thread's initial mode).
    case preserve
    /// Subnormal results become zero and subnormal inputs are read as zero.
    case flushToZero

    /// The mode for numeric work: `flushToZero`, or `preserve` with `MLWB_DENORMALS=preserve` (for comparisons).
    public static let forComputation: DenormalMode = mlwb_fpenv_flush_requested() != 0 ? .flushToZero : .preserve

    /// Whether `flushToZero` takes effect on this CPU architecture.
    public static var isAvailable: Bool { mlwb_fpenv_flush_bits() != 0 }

    /// The calling thread's mode (setting it changes only this thread).
    public static var current: DenormalMode {
        get { flushBits == 0 || mlwb_fpenv_control() & flushBits != flushBits ? .preserve : .flushToZero }
        set {
            let control = mlwb_fpenv_control()
            let wanted = newValue == .flushToZero ? control | flushBits : control & ~flushBits
            if wanted != control { mlwb_fpenv_set_control(wanted) }
        }
    }

    /// Runs `body` with the calling thread in `mode`, then gives the thread its previous mode back.
    @inline(__always)
    public static func with<R>(_ mode: DenormalMode, _ body: () throws -> R) rethrows -> R {
        let previous = current
        if previous == mode { return try body() }
        current = mode
        defer { current = previous }
        return try body()
    }

    private static var flushBits: UInt64 { mlwb_fpenv_flush_bits() }
}
