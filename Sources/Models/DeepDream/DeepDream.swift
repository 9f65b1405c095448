import Canvas
import Foundation
import Media

// MARK: - DeepDream model

/// DeepDream on torchvision's MobileNetV2 (task `image-to-image`), with ml4a's semantics; see `DeepDreamRenderer`.
/// Streams `.progress` and `.frame` after every step and stops within one step when its task is cancelled.
public struct DeepDream: Model {
    public let id = "deepdream"
    public let name = "DeepDream (MobileNetV2)"
    public let task = ModelTask.imageToImage
    public let summary = "Amplifies what MobileNetV2 sees in an image: gradient ascent on a layer's (or a channel's) mean activation, "
        + "over several octaves with jitter and Laplacian-pyramid gradient normalisation, as in ml4a's deepdream. "
        + "Deeper layers (features.12–16) give eyes, fur and dog faces; shallow ones give strokes and textures."
    public let checkpointIDs = [MobileNetV2.checkpointID]

    public init() {}

    public var parameters: [ModelParameter] { DeepDream.parameterSpecs }

    /// The typed parameters (the CLI options of `mlwb dream` use the same names).
    public static let parameterSpecs: [ModelParameter] = {
        let defaults = DeepDreamSettings()
        return [
            ModelParameter("layer", label: "Layer", kind: .choice(MobileNetV2.layerNames), default: .string("features.14"),
                           help: "Block whose activation is maximised (features.0 shallow strokes … features.18 object parts)"),
            ModelParameter("channel", label: "Channel", kind: .int(-1...1279), default: .int(-1),
                           help: "One channel of the layer, or -1 for the whole layer"),
            ModelParameter("objectives", label: "Objectives", kind: .text, default: .string(""),
                           help: "Several objectives, overriding layer/channel: layer[:channel][*weight], comma-separated"),
            ModelParameter("octaves", label: "Octaves", kind: .int(1...12), default: .int(defaults.octaves),
                           help: "Number of scales, processed smallest first"),
            ModelParameter("octave-scale", label: "Octave scale", kind: .double(1.0...4.0), default: .double(defaults.octaveScale),
                           help: "Size ratio between neighbouring octaves"),
            ModelParameter("steps", label: "Steps per octave", kind: .int(0...500), default: .int(defaults.steps),
                           help: "Gradient-ascent steps at each octave"),
            ModelParameter("step-size", label: "Step size", kind: .double(0.0...100.0), default: .double(defaults.stepSize),
                           help: "Change per step, in 8-bit levels, for a normalised gradient"),
            ModelParameter("jitter", label: "Jitter", kind: .int(0...512), default: .int(defaults.jitter),
                           help: "Largest random shift in pixels before each step (hides tile and grid artefacts)"),
            ModelParameter("lap-n", label: "Laplacian levels", kind: .int(0...10), default: .int(defaults.lapLevels),
                           help: "Laplacian-pyramid levels of gradient normalisation (0 = off); more gives smoother, larger shapes"),
            ModelParameter("normalize", label: "Normalise gradient", kind: .bool, default: .bool(defaults.normalizeGradients),
                           help: "Divide each gradient by its mean absolute value"),
            ModelParameter("grayscale", label: "Grayscale gradient", kind: .bool, default: .bool(defaults.grayscaleGradients),
                           help: "Change brightness only (the same gradient for R, G and B)"),
            ModelParameter("score", label: "Score", kind: .choice(DeepDreamScore.allCases.map(\.rawValue)),
                           default: .string(defaults.score.rawValue),
                           help: "Maximise the mean of the squared activation (strong, classic look) or the mean activation (ml4a; suits single channels)"),
            ModelParameter("mask", label: "Mask", kind: .path("mask"), default: .string(""),
                           help: "Mask PNG: where each objective applies (one channel per objective, or one for all)"),
            ModelParameter("size", label: "Size", kind: .int(0...DeepDreamSettings.maxSide), default: .int(defaults.size),
                           help: "Longer side of the working image in pixels (0 keeps the input's size)"),
            ModelParameter("start", label: "Start from", kind: .choice(DeepDreamStart.allCases.map(\.rawValue)),
                           default: .string(defaults.start.rawValue), help: "The input image, or seeded grey noise"),
            ModelParameter("seed", label: "Seed", kind: .int(0...Int(Int32.max)), default: .int(Int(defaults.seed)),
                           help: "Random seed of the jitter and the noise start; the same seed repeats a run exactly"),
            ModelParameter("tile-size", label: "Tile size", kind: .int(64...2048), default: .int(defaults.tileSize),
                           help: "Larger images are processed in tiles of at most this many pixels per side"),
        ]
    }()

    /// Settings from parameter values (the mask file is loaded here); errors say what is wrong.
    public static func settings(from p: ModelParameters) throws -> DeepDreamSettings {
        var s = DeepDreamSettings()
        if let text = p.string("objectives") {
            s.objectives = try DeepDreamObjective.parseList(text)
        } else {
            let layer = p.string("layer") ?? "features.14"
            let channel = p.int("channel") ?? -1
            s.objectives = [DeepDreamObjective(layer: layer, channel: channel < 0 ? nil : channel)]
        }
        s.octaves = p.int("octaves") ?? s.octaves
        s.octaveScale = p.double("octave-scale") ?? s.octaveScale
        s.steps = p.int("steps") ?? s.steps
        s.stepSize = p.double("step-size") ?? s.stepSize
        s.jitter = p.int("jitter") ?? s.jitter
        s.lapLevels = p.int("lap-n") ?? s.lapLevels
        s.normalizeGradients = p.bool("normalize") ?? s.normalizeGradients
        s.grayscaleGradients = p.bool("grayscale") ?? s.grayscaleGradients
        if let score = p.string("score") {
            guard let v = DeepDreamScore(rawValue: score) else { throw ParameterError("score must be mean or squares, got '\(score)'") }
            s.score = v
        }
        if let start = p.string("start") {
            guard let v = DeepDreamStart(rawValue: start) else { throw ParameterError("start must be image or noise, got '\(start)'") }
            s.start = v
        }
        s.size = p.int("size") ?? s.size
        s.seed = UInt64(max(0, p.int("seed") ?? 0))
        s.tileSize = p.int("tile-size") ?? s.tileSize
        if let path = p.string("mask") {
            let channels = s.objectives.count > 1 ? s.objectives.count : nil
            s.mask = try Mask.load(path, channels: channels)
            if let m = s.mask, m.channelCount > 1, s.objectives.count == 1 {
                // A colour mask with one objective: use its overall weight.
                s.mask = Mask(width: m.width, height: m.height, planes: [m.pixelSums().map { min($0, 1) }])
            }
        }
        return s
    }

    // MARK: Model

    public func run(_ input: ModelInput, parameters: ModelParameters, context: ModelContext) -> AsyncStream<ModelEvent> {
        AsyncStream(bufferingPolicy: .bufferingNewest(64)) { continuation in
            let task = Task.detached(priority: .userInitiated) {
                do {
                    let settings = try DeepDream.settings(from: parameters)
                    var start: Image?
                    switch input {
                    case .image(let image): start = image
                    case .none: start = nil
                    case .audio: throw ModelError.invalidInput("DeepDream needs an image, not audio")
                    }
                    if start == nil && settings.start == .image { throw DeepDreamError.noInput }
                    continuation.yield(.progress(fraction: 0, status: "loading MobileNetV2"))
                    let network = try MobileNetV2.load(context: context)
                    let renderer = DeepDreamRenderer(network: DreamNetwork(network), settings: settings)
                    let outcome = try renderer.run(start, isCancelled: { context.shouldStop() }) { update in
                        switch update {
                        case .progress(let f, let status): continuation.yield(.progress(fraction: f, status: status))
                        case .frame(let image, let label): continuation.yield(.frame(image, label: label))
                        case .log(let line): continuation.yield(.log(line))
                        }
                    }
                    if outcome.cancelled {
                        continuation.yield(.log("cancelled after \(outcome.steps) steps"))
                    } else {
                        continuation.yield(.finished(.image(outcome.image)))
                    }
                } catch {
                    continuation.yield(.failed(String(describing: error)))
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}
