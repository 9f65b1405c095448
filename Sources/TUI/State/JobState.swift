import Media
import Models

/// Where a model run is.
public enum JobPhase: Equatable, Sendable {
    /// Waiting for its checkpoints to download.
    case waitingForCheckpoint
    case running
    case paused
    case finished
    case failed(String)
    case cancelled

    /// Whether the run still occupies the model.
    public var isLive: Bool {
        switch self {
        case .waitingForCheckpoint, .running, .paused: return true
        default: return false
        }
    }

    public var label: String {
        switch self {
        case .waitingForCheckpoint: return "waiting for checkpoint"
        case .running: return "running"
        case .paused: return "paused"
        case .finished: return "finished"
        case .failed: return "failed"
        case .cancelled: return "stopped"
        }
    }
}

/// What a run needs to start: the model, its input and its parameter values.
public struct RunRequest: Equatable, Sendable {
    public var runID: Int
    public var modelID: String
    /// The input file (image or audio), if the model takes one.
    public var inputPath: String?
    public var parameters: ModelParameters

    public init(runID: Int, modelID: String, inputPath: String?, parameters: ModelParameters) {
        self.runID = runID; self.modelID = modelID; self.inputPath = inputPath; self.parameters = parameters
    }
}

/// The current (or last) model run.
public struct JobState: Sendable {
    public var request: RunRequest
    public var modelName: String
    /// Where it is; changed with `enter(_:at:)`, which keeps the clock.
    public private(set) var phase: JobPhase
    /// Progress 0…1 from the model's events.
    public var progress: Double = 0
    /// The model's own status text, e.g. "octave 1/2 step 3/10".
    public var status = "starting"
    /// Frames received.
    public var frames = 0
    /// Smoothed frames (iterations) per second.
    public var framesPerSecond: Double = 0
    /// When the run started and when its last frame arrived (seconds, monotonic).
    public var startedAt: Double
    public var lastFrameAt: Double?
    /// The most recent frame, kept for saving.
    public var latestFrame: Image?
    /// The label of the most recent frame.
    public var frameLabel = ""
    /// Frame numbers kept on disk (run history), and when the last was kept.
    public var recorded: [Int] = []
    public var lastRecordedAt: Double?
    /// Files the user saved frames to.
    public var saved: [String] = []
    /// A one-line summary of the result once finished.
    public var result: String?
    /// The result itself (what `s` saves), and how Preview shows it.
    public var resultValue: ModelResult?
    public var resultView: ResultView?

    /// Seconds spent paused before the current pause, when the current pause began, and when the
    /// run ended (finished, failed or stopped).
    public private(set) var pausedTotal: Double = 0
    public private(set) var pausedAt: Double?
    public private(set) var endedAt: Double?

    public init(request: RunRequest, modelName: String, phase: JobPhase, startedAt: Double) {
        self.request = request; self.modelName = modelName; self.phase = phase; self.startedAt = startedAt
    }

    // MARK: Time

    /// Moves to `next` at `now`, keeping the clock of paused and ended time.
    public mutating func enter(_ next: JobPhase, at now: Double) {
        if let began = pausedAt, next != .paused {
            pausedTotal += max(0, now - began)
            pausedAt = nil
        }
        if next == .paused, pausedAt == nil { pausedAt = now }
        if !next.isLive, endedAt == nil { endedAt = now }
        phase = next
    }

    /// Seconds the run has been working: it stops while paused and once the run ends.
    public func elapsed(at now: Double) -> Double {
        let end = endedAt ?? now
        let pausing = pausedAt.map { max(0, end - $0) } ?? 0
        return max(0, end - startedAt - pausedTotal - pausing)
    }

    /// Seconds left at the pace so far, once there is enough progress to tell (nil otherwise).
    public func remaining(at now: Double) -> Double? {
        guard phase == .running || phase == .paused, progress >= 0.02, progress < 1 else { return nil }
        let spent = elapsed(at: now)
        guard spent >= 0.5 else { return nil }
        return spent * (1 - progress) / progress
    }
}
