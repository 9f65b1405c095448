import Glibc

/// Seconds on the monotonic clock: immune to wall-clock changes, for timing, pacing and rates.
public enum MonotonicClock {
    /// Seconds since an arbitrary start (CLOCK_MONOTONIC).
    public static func seconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }
}
