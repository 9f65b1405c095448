import Audio
import Media
import MIDI

/// What a model does, which decides its input, its output and how a UI previews it.
public enum ModelTask: String, Sendable, CaseIterable {
    case classify
    case imageToImage = "image-to-image"
    case audioToNotes = "audio-to-notes"
    case pitch
    case audioToChords = "audio-to-chords"
    case audioToBeats = "audio-to-beats"
}

/// The input a model run consumes.
public enum ModelInput: Sendable {
    case image(Image)
    case audio(AudioClip)
    /// Models that start from noise or need no input.
    case none
}

/// One class and its probability.
public struct ClassScore: Sendable, Equatable {
    public var index: Int
    public var label: String
    public var probability: Float
    public init(index: Int, label: String, probability: Float) {
        self.index = index; self.label = label; self.probability = probability
    }
}

/// One frame of a pitch contour.
public struct PitchFrame: Sendable, Equatable {
    public var time: Double
    public var frequency: Double
    public var confidence: Double
    public var voiced: Bool
    public init(time: Double, frequency: Double, confidence: Double, voiced: Bool) {
        self.time = time; self.frequency = frequency; self.confidence = confidence; self.voiced = voiced
    }
}

/// What a finished run produced.
public enum ModelResult: Sendable, Equatable {
    case image(Image)
    case classes([ClassScore])
    case notes([NoteEvent])
    case pitch([PitchFrame])
    /// Chord segments covering the input, labels in Harte syntax.
    case chords([ChordSegment])
    /// Beats with their place in the bar, and the meter chosen.
    case beats([Beat], beatsPerBar: Int)
}

/// What a running model reports; the stream ends after `.finished` or `.failed`.
public enum ModelEvent: Sendable {
    /// Progress through the run (0…1) with a short status such as "octave 2/4 step 7/10".
    case progress(fraction: Double, status: String)
    /// An intermediate picture (e.g. every DeepDream iteration) for a live preview.
    case frame(Image, label: String)
    /// A log line.
    case log(String)
    /// The run finished with this result.
    case finished(ModelResult)
    /// The run failed; the message says what happened and what to do.
    case failed(String)
}

/// A model mlwb can run: its description, needed checkpoints, typed parameters, and a run that
/// streams events and stops promptly when the consumer cancels (drops the stream / cancels its task).
public protocol Model: Sendable {
    /// Stable identifier (e.g. "deepdream").
    var id: String { get }
    /// Display name.
    var name: String { get }
    var task: ModelTask { get }
    /// One paragraph for the model card.
    var summary: String { get }
    /// Checkpoint catalog ids the model needs.
    var checkpointIDs: [String] { get }
    /// The parameters a user can set.
    var parameters: [ModelParameter] { get }
    /// Runs the model on `input`; checkpoints are resolved through `context`.
    func run(_ input: ModelInput, parameters: ModelParameters, context: ModelContext) -> AsyncStream<ModelEvent>
}
