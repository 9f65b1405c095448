import Models

/// A checkpoint a model needs, with its state in the local store.
public struct CheckpointInfo: Equatable, Sendable {
    /// Whether the file is usable.
    public enum State: Equatable, Sendable {
        /// Verified (or present and awaiting a re-check).
        case ready
        /// Not in the store.
        case missing
        /// In the store but wrong; `reason` says how.
        case corrupt(String)
        /// The catalog does not know this id.
        case unknown
    }

    public var id: String
    public var name: String
    public var file: String
    public var size: Int
    public var licence: String
    public var state: State

    public init(id: String, name: String, file: String, size: Int, licence: String, state: State) {
        self.id = id; self.name = name; self.file = file; self.size = size; self.licence = licence; self.state = state
    }
}

/// A registry model as the Models pane shows it.
public struct ModelEntry: Equatable, Sendable {
    public var id: String
    public var name: String
    public var task: ModelTask
    public var summary: String
    public var checkpoints: [CheckpointInfo]
    public var parameters: [ModelParameter]

    public init(id: String, name: String, task: ModelTask, summary: String, checkpoints: [CheckpointInfo], parameters: [ModelParameter]) {
        self.id = id; self.name = name; self.task = task; self.summary = summary
        self.checkpoints = checkpoints; self.parameters = parameters
    }

    /// Checkpoints that must be fetched before a run.
    public var missingCheckpoints: [CheckpointInfo] { checkpoints.filter { $0.state != .ready } }

    /// The kind of media file the model takes as input ("image", "audio"), or nil.
    public var inputKind: MediaKind? {
        switch task {
        case .classify, .imageToImage: return .image
        case .audioToNotes, .pitch, .audioToChords, .audioToBeats: return .audio
        }
    }
}

/// Where the cursor is inside the Models pane.
public enum ModelsSection: Equatable, Sendable {
    /// On the model list.
    case list
    /// On the parameter form of the selected model.
    case form
}

/// The Models pane: registry, selected model, its form values and validation errors.
public struct ModelsState: Sendable {
    public var entries: [ModelEntry] = []
    /// Index into `entries` of the selected model.
    public var selected = 0
    public var section: ModelsSection = .list
    /// Index of the selected form field.
    public var field = 0
    /// Values set per model id and parameter name (defaults are not stored).
    public var values: [String: [String: ParameterValue]] = [:]
    /// The form field being typed, if any.
    public var editing: LineEditor?
    /// The candidate value while a choice or yes/no field is being picked (Enter on it; ←/→
    /// change the candidate, Enter sets it, Esc keeps the old value).
    public var picking: ParameterValue?
    /// The last validation error per "model/parameter".
    public var errors: [String: String] = [:]
    /// Case-insensitive filter on id and name ("" shows all).
    public var filter = ""
    /// Every checkpoint the catalog knows, with its state (for `:checkpoints`).
    public var catalog: [CheckpointInfo] = []

    public init() {}

    /// The selected model, if any.
    public var current: ModelEntry? { entries.indices.contains(selected) ? entries[selected] : nil }

    /// Indices of the models the filter lets through.
    public var visible: [Int] {
        guard !filter.isEmpty else { return Array(entries.indices) }
        let f = filter.lowercased()
        return entries.indices.filter { entries[$0].name.lowercased().contains(f) || entries[$0].id.lowercased().contains(f) }
    }

    /// The value of `parameter` for model `id` (its default unless set).
    public func value(of parameter: ModelParameter, model id: String) -> ParameterValue {
        values[id]?[parameter.name] ?? parameter.defaultValue
    }

    /// The full parameter set for model `entry`.
    public func parameters(for entry: ModelEntry) -> ModelParameters {
        var p = ModelParameters(defaults: entry.parameters)
        for (k, v) in values[entry.id] ?? [:] { p.set(k, v) }
        return p
    }

    /// The error shown under a field, if its last edit failed.
    public func error(model id: String, parameter name: String) -> String? { errors[id + "/" + name] }
}
