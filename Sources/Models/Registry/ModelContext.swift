import Checkpoints

/// What a model run may use from its surroundings: the checkpoint store and the environment.
public struct ModelContext: Sendable {
    /// Where checkpoints are looked up (and downloaded to).
    public var store: CheckpointStore
    /// Environment variables (MLWB_HOME, MLWB_THREADS, …).
    public var environment: [String: String]
    /// Where a run waits while the user has paused it (nil: runs are never paused).
    public var pauseGate: PauseGate?

    public init(store: CheckpointStore, environment: [String: String], pauseGate: PauseGate? = nil) {
        self.store = store
        self.environment = environment
        self.pauseGate = pauseGate
    }

    /// Whether the run should stop; first waits here while it is paused. Compute loops call it
    /// between steps.
    public func shouldStop() -> Bool {
        pauseGate?.waitWhilePaused(isCancelled: { Task.isCancelled })
        return Task.isCancelled
    }

    /// The verified local path of checkpoint `id`, or an error that names it and says how to get it.
    public func checkpointPath(_ id: String) throws -> String {
        let status = try store.status(id)
        let path = try store.path(for: id)
        switch status {
        case .verified:
            return path
        case .presentUnverified:
            if case .verified = try store.verify(id) { return path }
            let entry = try store.catalog.entry(id)
            throw ModelError.missingCheckpoint(id: id, file: entry.file, url: entry.url)
        default:
            let entry = try store.catalog.entry(id)
            throw ModelError.missingCheckpoint(id: id, file: entry.file, url: entry.url)
        }
    }
}

/// Why a model cannot run; messages say what to do.
public enum ModelError: Error, Equatable, CustomStringConvertible {
    case missingCheckpoint(id: String, file: String, url: String)
    case unknownModel(String, valid: [String])
    case invalidInput(String)

    public var description: String {
        switch self {
        case .missingCheckpoint(let id, let file, let url):
            return "checkpoint '\(id)' (\(file)) is not in the store: run 'mlwb checkpoints get \(id)' to download it from \(url), or 'mlwb checkpoints import FILE' if you already have it"
        case .unknownModel(let name, let valid):
            return "no model named '\(name)'; available: \(valid.joined(separator: ", "))"
        case .invalidInput(let message):
            return message
        }
    }
}
