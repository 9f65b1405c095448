/// A waveform reduced to `columns` columns of min, max and RMS, for drawing in a terminal.
///
/// Column `c` covers frames `c·n/columns ..< (c+1)·n/columns` of every channel (channels are not
/// mixed, so out-of-phase stereo still shows). When there are fewer frames than columns, each
/// column shows the frame under it.
public struct WaveformSummary: Sendable, Equatable {
    /// One column of the summary.
    public struct Column: Sendable, Equatable {
        /// The lowest sample in the column.
        public var min: Float
        /// The highest sample in the column.
        public var max: Float
        /// The root-mean-square level of the column.
        public var rms: Float

        /// Creates a column.
        public init(min: Float, max: Float, rms: Float) {
            self.min = min
            self.max = max
            self.rms = rms
        }
    }

    /// The columns, left (start) to right (end).
    public let columns: [Column]
    /// The duration summarised, in seconds.
    public let duration: Double

    // MARK: Building

    /// Summarises `clip` into `columns` columns (empty columns for an empty clip).
    public init(_ clip: AudioClip, columns: Int) {
        precondition(columns >= 0, "column count must be non-negative")
        duration = clip.duration
        let n = clip.frameCount
        guard n > 0, clip.channelCount > 0, columns > 0 else {
            self.columns = Array(repeating: Column(min: 0, max: 0, rms: 0), count: columns)
            return
        }
        var out = [Column]()
        out.reserveCapacity(columns)
        for c in 0..<columns {
            var first = c * n / columns, last = (c + 1) * n / columns
            if last <= first { first = min(n - 1, c * n / columns); last = first + 1 }
            var low = Float.infinity, high = -Float.infinity, squares: Double = 0
            for channel in clip.channels {
                channel.withUnsafeBufferPointer { samples in
                    for i in first..<last {
                        let v = samples[i]
                        low = Swift.min(low, v)
                        high = Swift.max(high, v)
                    }
                    squares += AudioClip.sumOfSquares(UnsafeBufferPointer(rebasing: samples[first..<last]))
                }
            }
            let count = Double((last - first) * clip.channelCount)
            out.append(Column(min: low, max: high, rms: Float((squares / count).squareRoot())))
        }
        self.columns = out
    }

    /// The number of columns.
    public var count: Int { columns.count }
}
