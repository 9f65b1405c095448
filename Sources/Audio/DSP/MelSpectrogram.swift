import Glibc

/// Mel-band energies over time, frame-major: `values[frame * bandCount + band]`.
public struct MelSpectrogram: Sendable, Equatable {
    /// Band values (linear power, or dB when `isDecibels`), one frame after another.
    public var values: [Float]
    /// Number of time frames.
    public let frameCount: Int
    /// Number of mel bands per frame.
    public let bandCount: Int
    /// Frames per second.
    public let frameRate: Double
    /// Centre frequency of each band in Hz.
    public let bandFrequencies: [Double]
    /// Whether `values` are in dB.
    public let isDecibels: Bool

    /// What 0 dB means in a decibel conversion.
    public enum Reference: Sendable, Equatable {
        /// 0 dB is a power of 1 (librosa's `ref=1.0`).
        case unit
        /// 0 dB is the largest value (librosa's `ref=np.max`).
        case maximum
        /// 0 dB is the given power.
        case value(Float)
    }

    /// Wraps frame-major band values.
    public init(values: [Float], frameCount: Int, bandCount: Int, frameRate: Double,
                bandFrequencies: [Double], isDecibels: Bool) {
        precondition(values.count == frameCount * bandCount, "value count does not match the shape")
        self.values = values
        self.frameCount = frameCount
        self.bandCount = bandCount
        self.frameRate = frameRate
        self.bandFrequencies = bandFrequencies
        self.isDecibels = isDecibels
    }

    // MARK: Values

    /// The value at `frame`, `band`.
    public subscript(frame frame: Int, band band: Int) -> Float { values[frame * bandCount + band] }
    /// All bands of one frame.
    public func frame(_ index: Int) -> ArraySlice<Float> { values[(index * bandCount)..<((index + 1) * bandCount)] }

    // MARK: Decibels

    /// Power converted to dB: `10·log10(max(amin, v) / reference)`, then floored at `topDB` below the maximum.
    public func decibels(reference: Reference = .unit, amin: Float = 1e-10, topDB: Float? = 80) -> MelSpectrogram {
        precondition(amin > 0, "amin must be positive")
        let ref: Float
        switch reference {
        case .unit: ref = 1
        case .maximum: ref = values.max() ?? 1
        case .value(let v): ref = v
        }
        let offset = 10 * log10f(max(amin, ref))
        var db = values.map { 10 * log10f(max(amin, $0)) - offset }
        if let topDB, let top = db.max() {
            precondition(topDB >= 0, "topDB must be non-negative")
            let floor = top - topDB
            for i in db.indices where db[i] < floor { db[i] = floor }
        }
        return MelSpectrogram(values: db, frameCount: frameCount, bandCount: bandCount, frameRate: frameRate,
                              bandFrequencies: bandFrequencies, isDecibels: true)
    }
}
