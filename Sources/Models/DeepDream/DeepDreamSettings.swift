import Canvas

// MARK: - Objectives

/// One thing a dream maximises: the mean activation of a layer, or of one of its channels, with a weight.
/// Written as `layer[:channel][*weight]`, e.g. `features.14`, `features.12:33`, `features.10:-1*0.5`.
public struct DeepDreamObjective: Sendable, Equatable, CustomStringConvertible {
    /// A block output such as "features.14".
    public var layer: String
    /// One channel, or nil for the whole layer.
    public var channel: Int?
    /// How much this objective's (normalised) gradient counts.
    public var weight: Float

    public init(layer: String, channel: Int? = nil, weight: Float = 1) {
        self.layer = layer; self.channel = channel; self.weight = weight
    }

    public var description: String {
        var s = layer
        if let channel { s += ":\(channel)" }
        if weight != 1 { s += "*\(weight)" }
        return s
    }

    /// Parses `layer[:channel][*weight]` (a channel of −1 means the whole layer).
    public static func parse(_ text: String) throws -> DeepDreamObjective {
        var rest = Substring(text.trimmingCharacters(in: .whitespaces))
        var weight: Float = 1
        if let star = rest.firstIndex(of: "*") {
            guard let w = Float(rest[rest.index(after: star)...]), w.isFinite else {
                throw DeepDreamError.badObjective(text, "the weight after '*' is not a number")
            }
            weight = w
            rest = rest[..<star]
        }
        var channel: Int?
        if let colon = rest.firstIndex(of: ":") {
            guard let c = Int(rest[rest.index(after: colon)...]) else {
                throw DeepDreamError.badObjective(text, "the channel after ':' is not a whole number")
            }
            channel = c < 0 ? nil : c
            rest = rest[..<colon]
        }
        guard !rest.isEmpty else { throw DeepDreamError.badObjective(text, "no layer name") }
        return DeepDreamObjective(layer: String(rest), channel: channel, weight: weight)
    }

    /// Parses a comma- or space-separated list of objectives.
    public static func parseList(_ text: String) throws -> [DeepDreamObjective] {
        try text.split(whereSeparator: { $0 == "," || $0 == " " }).map { try parse(String($0)) }
    }
}

/// What is maximised for an objective.
public enum DeepDreamScore: String, Sendable, CaseIterable {
    /// The mean activation (ml4a's objective). MobileNetV2's block outputs are linear (no ReLU), so on whole
    /// layers this mostly shifts colours; it suits single channels.
    case mean
    /// The mean squared activation (the original notebook's whole-layer `tf.square` objective, the benchmark
    /// step): amplifies whatever a layer responds to, in either sign — the default, it gives the classic faces.
    case squares
}

/// Where a dream starts.
public enum DeepDreamStart: String, Sendable, CaseIterable {
    /// From the input image.
    case image
    /// From grey noise (seeded).
    case noise
}

// MARK: - Settings

/// Everything a dream run needs besides the network and the start image.
public struct DeepDreamSettings: Sendable, Equatable {
    /// What to maximise (at least one).
    public var objectives: [DeepDreamObjective] = [DeepDreamObjective(layer: "features.14")]
    /// Per-pixel weights, one mask channel per objective (a single-channel mask applies to all); resized per octave.
    public var mask: Mask?
    /// Scales processed, smallest first (1 = full size only).
    public var octaves = 4
    /// Size ratio between neighbouring octaves.
    public var octaveScale = 1.4
    /// Gradient-ascent steps per octave.
    public var steps = 10
    /// Step size in 8-bit levels (1/255 of full scale) per step for a normalised gradient.
    public var stepSize = 2.0
    /// Largest random roll in pixels along each axis before every step.
    public var jitter = 32
    /// Laplacian-pyramid levels of gradient normalisation (0 = off).
    public var lapLevels = 4
    /// Divide each objective's gradient by its mean absolute value.
    public var normalizeGradients = true
    /// Use the same gradient for R, G and B (changes brightness patterns, not colours).
    public var grayscaleGradients = false
    /// The score maximised for each objective.
    public var score = DeepDreamScore.squares
    /// Longer side of the working image in pixels (0 keeps the input's size).
    public var size = 512
    /// Start from the image or from noise.
    public var start = DeepDreamStart.image
    /// Makes the jitter (and the noise start) reproducible.
    public var seed: UInt64 = 0
    /// Tiles larger images into pieces of at most this many pixels per side.
    public var tileSize = 512

    public init() {}

    /// Checks the objectives against `layers` and their `channels`, and the mask's channel count against
    /// the objectives, without a network (so the CLI can refuse a MobileNetV2 dream before loading anything).
    public func validate(layers: [String], channels: [String: Int]) throws {
        try DreamNetwork.validate(objectives, layers: layers, channels: channels)
        if let mask, mask.channelCount != 1, mask.channelCount != objectives.count {
            throw DeepDreamError.maskChannels(mask: mask.channelCount, objectives: objectives.count)
        }
    }

    /// The largest working width or height.
    public static let maxSide = 4096
    /// The smallest side an octave is processed at (smaller octaves are dropped).
    public static let minOctaveSide = 32
}

// MARK: - Errors

/// Why a dream cannot run; messages say what to do.
public enum DeepDreamError: Error, Equatable, CustomStringConvertible {
    case unknownLayer(String, valid: [String])
    case channelOutOfRange(layer: String, channel: Int, channels: Int)
    case badObjective(String, String)
    case noObjectives
    case imageTooLarge(width: Int, height: Int, limit: Int)
    case maskChannels(mask: Int, objectives: Int)
    case noInput

    public var description: String {
        switch self {
        case .unknownLayer(let name, let valid):
            return "unknown layer '\(name)'; valid layers: \(valid.joined(separator: ", "))"
        case .channelOutOfRange(let layer, let channel, let channels):
            return "channel \(channel) is out of range for \(layer), which has channels 0…\(channels - 1) (use -1 for the whole layer)"
        case .badObjective(let text, let why):
            return "cannot read objective '\(text)': \(why) (expected layer[:channel][*weight], e.g. features.14:12*0.5)"
        case .noObjectives:
            return "a dream needs at least one objective (a layer to maximise)"
        case .imageTooLarge(let w, let h, let limit):
            return "the image is \(w)×\(h) pixels, above the dream size limit of \(limit) pixels per side; pass a smaller size (e.g. --size 1024)"
        case .maskChannels(let m, let o):
            return "the mask has \(m) channels but there are \(o) objectives; give one mask channel per objective, or a single-channel mask"
        case .noInput:
            return "DeepDream needs an input image (or start: noise)"
        }
    }
}
