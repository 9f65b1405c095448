// MARK: - The built-in models

extension ModelRegistry {
    /// The models mlwb ships with, in the order a UI lists them.
    public static var standard: ModelRegistry {
        ModelRegistry(models: [DeepDream(), Classifier(), BasicPitch(), SwiftF0()])
    }
}
