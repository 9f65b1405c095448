// MARK: - The built-in models

extension ModelRegistry {
    /// The models mlwb ships with, in the order a UI lists them.
    public static var standard: ModelRegistry {
        ModelRegistry(models: [DeepDream(), Classifier(), BasicPitch(), SwiftF0(), BeatTracker(), ChordRecognizerModel()])
    }
}

extension ModelRegistry {
    /// The built-in models followed by the user's ONNX models in `${MLWB_HOME}/models` (see `UserModelStore`);
    /// files that cannot be used are skipped and reported to `log`.
    public static func standard(environment: [String: String], log: (String) -> Void = { _ in }) -> ModelRegistry {
        standard.withUserModels(environment: environment, log: log)
    }
}
