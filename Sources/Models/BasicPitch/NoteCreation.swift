import Foundation
import Media
import MIDI

/// Settings of Basic Pitch's note creation (its published defaults).
public struct NoteCreationSettings: Sendable, Equatable {
    /// Smallest onset activation (after onset inference) that starts a note.
    public var onsetThreshold: Double = BasicPitchConstants.defaultOnsetThreshold
    /// Smallest note activation that keeps a note sounding.
    public var frameThreshold: Double = BasicPitchConstants.defaultFrameThreshold
    /// Shortest note in milliseconds (127.70 ms → 11 frames; notes of at most that many frames are dropped).
    public var minimumNoteMilliseconds: Double = BasicPitchConstants.defaultMinimumNoteMilliseconds
    /// Also start notes where the note activation rises steeply (onsets inferred from frame differences).
    public var inferOnsets = true
    /// After the onset pass, also pick up notes grown from the strongest remaining activations.
    public var melodiaTrick = true
    /// Frames below the frame threshold tolerated before a note ends.
    public var energyTolerance = BasicPitchConstants.energyTolerance
    /// Lowest frequency kept (Hz); nil keeps all.
    public var minimumFrequency: Double?
    /// Highest frequency kept (Hz); nil keeps all.
    public var maximumFrequency: Double?
    /// Estimate pitch bends from the contour.
    public var pitchBends = false

    public init() {}

    /// The minimum note length in frames.
    public var minimumNoteFrames: Int { BasicPitchConstants.minimumNoteFrames(milliseconds: minimumNoteMilliseconds) }
}

/// A note found in the posteriorgrams, in frames, before conversion to seconds.
public struct FrameNote: Sendable, Equatable {
    /// First frame of the note.
    public var startFrame: Int
    /// Frame after the last one (exclusive end), as Basic Pitch reports it.
    public var endFrame: Int
    /// MIDI pitch.
    public var pitch: Int
    /// Mean note activation over the note (0…1), Basic Pitch's velocity source.
    public var amplitude: Float
    /// Per-frame pitch bends in thirds of a semitone (one per frame of the note), when estimated.
    public var bends: [Int]?

    public init(startFrame: Int, endFrame: Int, pitch: Int, amplitude: Float, bends: [Int]? = nil) {
        self.startFrame = startFrame; self.endFrame = endFrame; self.pitch = pitch
        self.amplitude = amplitude; self.bends = bends
    }

    /// MIDI velocity: round(127 × amplitude), ties to even as NumPy rounds, clamped to 1…127.
    public var velocity: Int {
        let scaled = (Float(127) * amplitude).rounded(.toNearestOrEven)
        return min(max(Int(scaled), 1), 127)
    }

    /// Onset time in seconds (Basic Pitch's frame times).
    public var startTime: Double { BasicPitchConstants.frameTime(startFrame) }
    /// Release time in seconds.
    public var endTime: Double { BasicPitchConstants.frameTime(endFrame) }

    /// The note as a MIDI note event (Basic Pitch's program, channel 0).
    public func noteEvent(program: Int = BasicPitchConstants.midiProgram) -> NoteEvent {
        NoteEvent(pitch: pitch, start: startTime, end: endTime, velocity: velocity, program: program)
    }
}

/// Basic Pitch's note creation, re-implemented from the published method:
///
/// 1. Optionally zero bins outside a frequency range.
/// 2. Inferred onsets: where the note activation rises over one and two frames (the smaller rise,
///    clipped at 0, rescaled to the onset maximum), take the larger of that and the onset activation.
/// 3. Onset pass: every strict local maximum in time of the onset activations at or above the onset
///    threshold, latest first (then highest pitch first), starts a note that lasts while the note
///    activation stays above the frame threshold, tolerating `energyTolerance` frames below it. Notes
///    of at most the minimum length are dropped; kept notes erase their bin and both neighbours from
///    the remaining energy.
/// 4. Melodia trick: while some remaining energy exceeds the frame threshold, grow a note forwards and
///    backwards from the strongest cell (erasing as it goes) and keep it if long enough.
/// 5. Amplitude = mean note activation over the note; optional pitch bends from the contour.
public enum NoteCreation {
    /// The note events (frame units) in Basic Pitch's order: onset-pass notes, then melodia notes.
    public static func frameNotes(_ output: Posteriorgrams, settings: NoteCreationSettings = NoteCreationSettings()) -> [FrameNote] {
        let n = output.frameCount
        let p = BasicPitchConstants.pitchCount
        guard n > 0 else { return [] }
        let frameThreshold = settings.frameThreshold
        let minLength = settings.minimumNoteFrames
        let tolerance = settings.energyTolerance
        let maxBin = p - 1

        // 1. Frequency range.
        var frames = output.note
        var onsetsF = output.onset
        let (lowBin, highBin) = binRange(settings)
        if lowBin > 0 || highBin < p {
            for t in 0..<n {
                let row = t * p
                for f in 0..<p where f < lowBin || f >= highBin {
                    frames[row + f] = 0
                    onsetsF[row + f] = 0
                }
            }
        }

        // 2. Onset activations in double precision (NumPy promotes them when inferring onsets).
        var onsets = onsetsF.map(Double.init)
        if settings.inferOnsets {
            onsets = inferredOnsets(onsets: onsetsF, frames: frames, frameCount: n)
        }

        // 3. Onset pass.
        var remaining = frames.map(Double.init)
        var notes: [FrameNote] = []
        var starts: [(t: Int, f: Int)] = []
        if n >= 3 {
            for t in 1..<(n - 1) {
                let row = t * p
                for f in 0..<p {
                    let v = onsets[row + f]
                    if v > onsets[row - p + f] && v > onsets[row + p + f] && v >= settings.onsetThreshold {
                        starts.append((t, f))
                    }
                }
            }
        }
        for (start, f) in starts.reversed() {
            if start >= n - 1 { continue }
            var i = start + 1
            var k = 0
            while i < n - 1 && k < tolerance {
                if remaining[i * p + f] < frameThreshold { k += 1 } else { k = 0 }
                i += 1
            }
            i -= k
            if i - start <= minLength { continue }
            for t in start..<i {
                remaining[t * p + f] = 0
                if f < maxBin { remaining[t * p + f + 1] = 0 }
                if f > 0 { remaining[t * p + f - 1] = 0 }
            }
            notes.append(FrameNote(startFrame: start, endFrame: i, pitch: f + BasicPitchConstants.lowestMIDIPitch,
                                   amplitude: meanColumn(frames, column: f, stride: p, from: start, to: i)))
        }

        // 4. Melodia trick: cells only ever drop to zero, so visiting the cells above the threshold in
        //    descending order (ties: lowest flat index, as argmax picks) finds each round's maximum.
        if settings.melodiaTrick {
            var candidates: [Int] = []
            for idx in 0..<remaining.count where remaining[idx] > frameThreshold { candidates.append(idx) }
            candidates.sort { a, b in
                let va = remaining[a], vb = remaining[b]
                return va != vb ? va > vb : a < b
            }
            for idx in candidates {
                guard remaining[idx] > frameThreshold else { continue }  // erased by an earlier note
                let mid = idx / p, f = idx % p
                remaining[idx] = 0

                func erase(_ t: Int) {
                    remaining[t * p + f] = 0
                    if f < maxBin { remaining[t * p + f + 1] = 0 }
                    if f > 0 { remaining[t * p + f - 1] = 0 }
                }
                var i = mid + 1
                var k = 0
                while i < n - 1 && k < tolerance {
                    if remaining[i * p + f] < frameThreshold { k += 1 } else { k = 0 }
                    erase(i)
                    i += 1
                }
                let end = i - 1 - k
                i = mid - 1
                k = 0
                while i > 0 && k < tolerance {
                    if remaining[i * p + f] < frameThreshold { k += 1 } else { k = 0 }
                    erase(i)
                    i -= 1
                }
                let start = i + 1 + k
                if end - start <= minLength { continue }
                notes.append(FrameNote(startFrame: start, endFrame: end, pitch: f + BasicPitchConstants.lowestMIDIPitch,
                                       amplitude: meanColumn(frames, column: f, stride: p, from: start, to: end)))
            }
        }

        // 5. Pitch bends.
        if settings.pitchBends, !output.contour.isEmpty {
            for j in notes.indices { notes[j].bends = pitchBends(output.contour, frameCount: n, note: notes[j]) }
        }
        return notes
    }

    /// The notes as MIDI note events sorted by onset, with Basic Pitch's frame times.
    public static func notes(_ output: Posteriorgrams, settings: NoteCreationSettings = NoteCreationSettings(),
                             program: Int = BasicPitchConstants.midiProgram) -> [NoteEvent] {
        frameNotes(output, settings: settings).map { $0.noteEvent(program: program) }.sorted(by: NoteEvent.onsetOrder)
    }

    // MARK: Steps

    /// Bins kept by the frequency range: `lowBin..<highBin`.
    static func binRange(_ settings: NoteCreationSettings) -> (Int, Int) {
        func bin(_ hz: Double) -> Int {
            // (A frequency option of 1e308 or ∞ maps past the top bin instead of trapping.)
            (12 * log2(hz / 440) + 69 - Double(BasicPitchConstants.lowestMIDIPitch))
                .roundedInt(.toNearestOrEven, clampedTo: 0...BasicPitchConstants.pitchCount) ?? 0
        }
        var low = 0, high = BasicPitchConstants.pitchCount
        if let fmin = settings.minimumFrequency, fmin > 0 { low = bin(fmin) }
        if let fmax = settings.maximumFrequency, fmax > 0 { high = bin(fmax) }
        return (max(0, low), min(BasicPitchConstants.pitchCount, max(0, high)))
    }

    /// Onset activations merged with onsets inferred from rises of the note activation (double precision).
    static func inferredOnsets(onsets: [Float], frames: [Float], frameCount n: Int) -> [Double] {
        let p = BasicPitchConstants.pitchCount
        var diff = [Double](repeating: 0, count: n * p)
        var maxDiff = 0.0
        if n > 2 {
            for t in 2..<n {
                let row = t * p
                for f in 0..<p {
                    let x = Double(frames[row + f])
                    let d = min(x - Double(frames[row - p + f]), x - Double(frames[row - 2 * p + f]))
                    if d > 0 {
                        diff[row + f] = d
                        if d > maxDiff { maxDiff = d }
                    }
                }
            }
        }
        var maxOnset = -Float.infinity
        for v in onsets where v > maxOnset { maxOnset = v }
        guard maxDiff > 0 else {
            // NumPy divides 0 by 0 here and every comparison with the NaNs fails: no onsets at all.
            return [Double](repeating: .nan, count: n * p)
        }
        let scale = Double(maxOnset)
        var out = [Double](repeating: 0, count: n * p)
        for idx in 0..<(n * p) {
            let inferred = scale * diff[idx] / maxDiff
            let o = Double(onsets[idx])
            out[idx] = o >= inferred ? o : inferred
        }
        return out
    }

    /// Mean of `values[t * stride + column]` for `t` in `from..<to`, summed in single precision
    /// the way NumPy reduces float32 (pairwise with eight accumulators), then divided in float32.
    static func meanColumn(_ values: [Float], column: Int, stride: Int, from: Int, to: Int) -> Float {
        let count = to - from
        guard count > 0 else { return .nan }
        let sum = values.withUnsafeBufferPointer { buf in
            pairwiseSum(buf.baseAddress! + from * stride + column, count: count, stride: stride)
        }
        return sum / Float(count)
    }

    /// NumPy's pairwise float32 summation.
    static func pairwiseSum(_ a: UnsafePointer<Float>, count n: Int, stride: Int) -> Float {
        if n < 8 {
            var res: Float = 0
            for i in 0..<n { res += a[i * stride] }
            return res
        } else if n <= 128 {
            var r = [Float](repeating: 0, count: 8)
            for j in 0..<8 { r[j] = a[j * stride] }
            var i = 8
            while i < n - (n % 8) {
                for j in 0..<8 { r[j] += a[(i + j) * stride] }
                i += 8
            }
            var res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
            while i < n { res += a[i * stride]; i += 1 }
            return res
        } else {
            var n2 = n / 2
            n2 -= n2 % 8
            return pairwiseSum(a, count: n2, stride: stride) + pairwiseSum(a + n2 * stride, count: n - n2, stride: stride)
        }
    }

    /// Bends (thirds of a semitone, one per frame) from the contour: per frame, the strongest contour
    /// bin within ±25 bins of the note's bin, weighted by a Gaussian (σ = 5 bins) around it.
    static func pitchBends(_ contour: [Float], frameCount n: Int, note: FrameNote, binsTolerance: Int = 25) -> [Int] {
        let bins = BasicPitchConstants.contourBins
        let hz = 440 * pow(2, (Double(note.pitch) - 69) / 12)
        let center = Int((Double(12 * BasicPitchConstants.contourBinsPerSemitone) * log2(hz / BasicPitchConstants.baseFrequency)).rounded(.toNearestOrEven))
        let lo = max(center - binsTolerance, 0)
        let hi = min(bins, center + binsTolerance + 1)
        let windowLength = 2 * binsTolerance + 1
        let gaussOffset = max(0, binsTolerance - center)
        let shift = binsTolerance - gaussOffset
        var weights = [Double](repeating: 0, count: windowLength)
        for i in 0..<windowLength {
            let x = Double(i - binsTolerance) / 5
            weights[i] = exp(-0.5 * x * x)
        }
        var bends: [Int] = []
        guard hi > lo else { return [] }
        for t in note.startFrame..<min(note.endFrame, n) {
            var best = -Double.infinity, bestIndex = 0
            for (j, b) in (lo..<hi).enumerated() {
                let v = Double(contour[t * bins + b]) * weights[gaussOffset + j]
                if v > best { best = v; bestIndex = j }
            }
            bends.append(bestIndex - shift)
        }
        return bends
    }
}
