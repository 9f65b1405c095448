/// Turns byte counts into a smoothed rate (EWMA over ~2 s) and an ETA.
public struct ProgressMeter: Sendable {
    // MARK: Stored properties

    /// The smoothing time constant in seconds.
    public var timeConstant: Double
    private var lastTime: Double?
    private var lastBytes: Int64 = 0
    private var rate: Double = 0
    private var warm = false

    /// A meter; `timeConstant` is how many seconds of history the rate mostly reflects.
    public init(timeConstant: Double = 2) { self.timeConstant = timeConstant }

    // MARK: Updating

    /// Records `bytes` done at `time` (seconds) and returns the progress snapshot.
    public mutating func update(bytes: Int64, total: Int64?, at time: Double) -> DownloadProgress {
        if let last = lastTime {
            let dt = time - last
            if dt > 0.02 {
                let instant = Double(max(0, bytes - lastBytes)) / dt
                if warm {
                    let alpha = 1 - exp(-dt / timeConstant)
                    rate += alpha * (instant - rate)
                } else {
                    rate = instant
                    warm = true
                }
                lastTime = time
                lastBytes = bytes
            }
        } else {
            lastTime = time
            lastBytes = bytes
        }
        var eta: Double?
        if let total, rate > 1 { eta = Double(max(0, total - bytes)) / rate }
        return DownloadProgress(bytesDone: bytes, bytesTotal: total, bytesPerSecond: rate, secondsLeft: eta)
    }

    /// Forgets the history (after a restart from zero or a pause).
    public mutating func restart() {
        lastTime = nil
        warm = false
        rate = 0
    }
}

import Glibc
