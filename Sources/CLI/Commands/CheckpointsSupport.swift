import Checkpoints
import Models

/// The checkpoint store and model context of this process, for the commands that run models.
enum CheckpointsSupport {
    /// The checkpoint store for this process (`$MLWB_HOME`, catalog from the assets folder).
    static func store(_ context: CommandContext) throws -> CheckpointStore {
        let catalog = try CheckpointCatalog.load(environment: context.environment)
        return CheckpointStore(catalog: catalog, environment: context.environment)
    }

    /// The model context for this process.
    static func modelContext(_ context: CommandContext) throws -> ModelContext {
        ModelContext(store: try store(context), environment: context.environment)
    }

    /// The catalog sha256 of each checkpoint in `ids` (the store verifies the files against it), for batch manifests.
    static func sha256s(_ ids: [String], _ context: CommandContext) throws -> [String: String] {
        let catalog = try store(context).catalog
        return Dictionary(uniqueKeysWithValues: try ids.map { ($0, try catalog.entry($0).sha256) })
    }

    /// Loads MobileNetV2 from the store; a missing checkpoint is an error naming it and how to get it.
    static func mobileNetV2(_ context: CommandContext) throws -> MobileNetV2 {
        try MobileNetV2.load(context: modelContext(context))
    }
}
