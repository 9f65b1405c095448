/// Basic Pitch's three outputs over a whole recording, frame-major (row `t` holds all bins of frame `t`):
/// note (frame) activations and onset activations with 88 bins (A0…C8), and the pitch contour with
/// 264 bins (three per semitone). Values are probabilities in 0…1.
public struct Posteriorgrams: Sendable, Equatable {
    /// Number of frames (≈ 86.13 per second).
    public let frameCount: Int
    /// `frameCount × 88` note activations.
    public var note: [Float]
    /// `frameCount × 88` onset activations.
    public var onset: [Float]
    /// `frameCount × 264` contour activations (may be empty when pitch bends are not needed).
    public var contour: [Float]

    /// Creates posteriorgrams; the arrays must hold `frameCount` full rows (contour may be empty).
    public init(frameCount: Int, note: [Float], onset: [Float], contour: [Float]) throws {
        let p = BasicPitchConstants.pitchCount
        guard frameCount >= 0, note.count == frameCount * p, onset.count == frameCount * p,
              contour.isEmpty || contour.count == frameCount * BasicPitchConstants.contourBins else {
            throw ModelError.invalidInput("posteriorgrams: expected \(frameCount)×\(p) note/onset and \(frameCount)×\(BasicPitchConstants.contourBins) contour values, got \(note.count), \(onset.count), \(contour.count)")
        }
        self.frameCount = frameCount
        self.note = note
        self.onset = onset
        self.contour = contour
    }

    /// Duration covered, using Basic Pitch's frame times.
    public var duration: Double { frameCount == 0 ? 0 : BasicPitchConstants.frameTime(frameCount - 1) }
}
