/// The models mlwb knows, in the order a UI lists them.
public struct ModelRegistry: Sendable {
    /// Every registered model.
    public private(set) var models: [any Model]

    public init(models: [any Model]) {
        self.models = models
    }

    /// Adds a model (e.g. a user's ONNX file); a model with the same id is replaced.
    public mutating func register(_ model: any Model) {
        models.removeAll { $0.id == model.id }
        models.append(model)
    }

    /// The model with this id, or an error listing the valid ones.
    public func model(_ id: String) throws -> any Model {
        guard let found = models.first(where: { $0.id == id }) else {
            throw ModelError.unknownModel(id, valid: models.map(\.id))
        }
        return found
    }
}
