import Engine
import Foundation
import Media

// MARK: - ImageNet classifier

/// Classifies an image with torchvision's ImageNet MobileNetV2 (task `classify`).
///
/// Preprocessing is torchvision's on a PIL image (shorter side 256 with PIL's 8-bit bilinear resampling, centre crop
/// 224, bytes / 255, ImageNet mean/std; see `ImageNetPreprocessing` and `PILBilinearResize`);
/// the result is the top-k classes after softmax, with names from `assets/imagenet-classes.txt`.
public struct Classifier: Model {
    public let id = "classify-mobilenet-v2"
    public let name = "ImageNet classifier (MobileNetV2)"
    public let task = ModelTask.classify
    public let summary = "Names what is in a photo: torchvision's MobileNetV2 trained on ImageNet-1k, run natively on the CPU. "
        + "The image is resized (shorter side 256), centre-cropped to 224×224 and scored against 1000 classes."
    public let checkpointIDs = [MobileNetV2.checkpointID]

    /// Class names; nil means "look them up in the assets folder".
    public var classNames: [String]?

    public init(classNames: [String]? = nil) { self.classNames = classNames }

    public var parameters: [ModelParameter] { Classifier.parameterSpecs }

    /// `top`: how many classes to report.
    public static let parameterSpecs: [ModelParameter] = [
        ModelParameter("top", label: "Top classes", kind: .int(1...1000), default: .int(5),
                       help: "How many of the most likely classes to report"),
    ]

    // MARK: Synchronous API

    /// Softmax probabilities over the 1000 classes for `image` (quantised to 8-bit RGB first, which is lossless
    /// for images decoded from 8-bit files).
    public static func probabilities(_ image: Image, network: MobileNetV2) throws -> [Float] {
        try probabilities(ImageNetPreprocessing.rgb8(image), network: network)
    }

    /// Softmax probabilities over the 1000 classes for 8-bit RGBA pixels (e.g. from `PNGCodec.loadPacked`).
    public static func probabilities(_ image: PackedImage, network: MobileNetV2) throws -> [Float] {
        try probabilities(ImageNetPreprocessing.rgb8(image), network: network)
    }

    /// Softmax probabilities over the 1000 classes for 8-bit RGB pixels.
    public static func probabilities(_ rgb: PixelBytes, network: MobileNetV2) throws -> [Float] {
        let logits = try network.logits(ImageNetPreprocessing.classificationInput(rgb))
        return softmax(logits.scalars)
    }

    /// The `top` most likely classes for `image`, best first.
    public static func classify(_ image: Image, network: MobileNetV2, top: Int = 5, classNames: [String]? = nil) throws -> [ClassScore] {
        let names = classNames ?? ImageNetClasses.load()
        return topK(try probabilities(image, network: network), k: top, names: names)
    }

    /// Numerically stable softmax (accumulated in Double).
    public static func softmax(_ logits: [Float]) -> [Float] {
        guard let m = logits.max() else { return [] }
        let e = logits.map { Foundation.exp(Double($0 - m)) }
        let total = e.reduce(0, +)
        return e.map { Float($0 / total) }
    }

    /// The `k` largest probabilities with labels, best first (ties keep the lower index first).
    public static func topK(_ probabilities: [Float], k: Int, names: [String]?) -> [ClassScore] {
        let order = probabilities.indices.sorted { probabilities[$0] > probabilities[$1] || (probabilities[$0] == probabilities[$1] && $0 < $1) }
        return order.prefix(max(0, k)).map {
            ClassScore(index: $0, label: ImageNetClasses.label($0, names: names), probability: probabilities[$0])
        }
    }

    // MARK: Model

    public func run(_ input: ModelInput, parameters: ModelParameters, context: ModelContext) -> AsyncStream<ModelEvent> {
        let names = classNames
        return AsyncStream { continuation in
            let task = Task.detached(priority: .userInitiated) {
                guard case .image(let image) = input else {
                    continuation.yield(.failed("the classifier needs an image as input"))
                    continuation.finish()
                    return
                }
                do {
                    continuation.yield(.progress(fraction: 0, status: "loading MobileNetV2"))
                    let network = try MobileNetV2.load(context: context)
                    if Task.isCancelled { continuation.finish(); return }
                    continuation.yield(.progress(fraction: 0.5, status: "classifying"))
                    let top = parameters.int("top") ?? 5
                    let scores = try Classifier.classify(image, network: network, top: top, classNames: names)
                    continuation.yield(.progress(fraction: 1, status: "done"))
                    continuation.yield(.finished(.classes(scores)))
                } catch {
                    continuation.yield(.failed(String(describing: error)))
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}
