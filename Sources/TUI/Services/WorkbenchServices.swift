import Checkpoints
import Models

/// Fetches checkpoints and datasets for the Downloads pane. The runtime calls `start` on a
/// background task and `stop` from the main loop; events go to `report` from any thread.
public protocol TransferService: Sendable {
    /// Fetches `itemID` (resuming a partial file), reporting progress, verification and the end.
    /// Returns when the transfer has finished, failed, or been stopped.
    func start(kind: TransferKind, itemID: String, report: @escaping @Sendable (TransferEvent) -> Void) async
    /// Stops a transfer: `keepPartial` pauses (the partial file stays for a resume), otherwise cancels.
    func stop(kind: TransferKind, itemID: String, keepPartial: Bool)
    /// Fetches a URL to a file (resuming a partial one), verified when a checksum is given; stopped
    /// with `stop(kind: .url, itemID: download.destination, …)`.
    func fetch(_ download: URLDownload, report: @escaping @Sendable (TransferEvent) -> Void) async
}

extension TransferService {
    public func fetch(_ download: URLDownload, report: @escaping @Sendable (TransferEvent) -> Void) async {
        report(.failed("downloading URLs is not available in this build"))
    }
}

/// The dataset catalog for the Downloads pane.
public protocol DatasetService: Sendable {
    /// Every dataset with its state on disk (cheap: no hashing).
    func list() -> [DatasetRow]
    /// Checks a dataset's files (may hash; runs on a background task).
    func verify(_ id: String) async -> DatasetState
}

/// One CLI command run from the workbench's `:` line, on a thread of its own.
public struct CommandInvocation: Sendable {
    /// The words after `mlwb`.
    public var words: [String]
    /// Receives the command's output (standard output and error) as it is written.
    public var output: @Sendable ([UInt8]) -> Void
    /// Whether the user asked the command to stop (its Ctrl-C).
    public var isCancelled: @Sendable () -> Bool

    public init(words: [String], output: @escaping @Sendable ([UInt8]) -> Void, isCancelled: @escaping @Sendable () -> Bool) {
        self.words = words; self.output = output; self.isCancelled = isCancelled
    }
}

/// Runs a CLI subcommand (`mlwb WORDS…`) and returns its exit status; never touches the terminal.
public typealias CommandRunner = @Sendable (CommandInvocation) -> Int32

/// What the workbench works with: models, the checkpoint store, transfers, datasets, the CLI.
/// `WorkbenchServices.standard(environment:)` wires the real libraries; tests pass fakes.
public struct WorkbenchServices: Sendable {
    public var registry: ModelRegistry
    /// Where checkpoints are looked up; nil when no catalog was found.
    public var store: CheckpointStore?
    public var transfers: (any TransferService)?
    public var datasets: (any DatasetService)?
    public var commandRunner: CommandRunner?
    /// Environment variables (for models' `ModelContext`, assets and themes).
    public var environment: [String: String]
    /// Problems met while wiring (a missing catalog…), shown in the log at start.
    public var problems: [String]

    public init(registry: ModelRegistry, store: CheckpointStore? = nil, transfers: (any TransferService)? = nil,
                datasets: (any DatasetService)? = nil, commandRunner: CommandRunner? = nil,
                environment: [String: String] = [:], problems: [String] = []) {
        self.registry = registry
        self.store = store
        self.transfers = transfers
        self.datasets = datasets
        self.commandRunner = commandRunner
        self.environment = environment
        self.problems = problems
    }

    // MARK: Model entries

    /// The registry's models with their checkpoints' states, and the whole checkpoint catalog.
    public func modelEntries() -> ([ModelEntry], [CheckpointInfo]) {
        var catalog: [CheckpointInfo] = []
        if let store {
            for listing in store.list() {
                catalog.append(CheckpointInfo(id: listing.entry.id, name: listing.entry.name, file: listing.entry.file,
                                              size: listing.entry.size, licence: listing.entry.licence,
                                              state: WorkbenchServices.state(listing.status)))
            }
        }
        let entries = registry.models.map { model -> ModelEntry in
            let checkpoints = model.checkpointIDs.map { id in
                catalog.first { $0.id == id } ?? CheckpointInfo(id: id, name: id, file: "?", size: 0, licence: "?", state: .unknown)
            }
            return ModelEntry(id: model.id, name: model.name, task: model.task, summary: model.summary,
                              checkpoints: checkpoints, parameters: model.parameters)
        }
        return (entries, catalog)
    }

    static func state(_ status: CheckpointStatus) -> CheckpointInfo.State {
        switch status {
        case .verified, .presentUnverified: return .ready
        case .absent: return .missing
        case .corrupt(let reason): return .corrupt(reason)
        }
    }

    /// The context models run with.
    public func modelContext() -> ModelContext? {
        guard let store else { return nil }
        return ModelContext(store: store, environment: environment)
    }
}
