import Foundation
import Canvas
import Media

/// The settings of each ml4a mask type as typed options, shared by `mlwb mask TYPE` (as `--key value`)
/// and by `--mask TYPE:key=value,…` on other commands; each type accepts only its own keys.
enum MaskSpecOptions {
    /// The mask types, in help order.
    static let types = ["solid", "interpolation", "arcs", "rects", "image"]

    // MARK: Options

    static let channels = Option<Int>("channels", default: 1, in: 1...Mask.maxChannels, help: "Number of mask channels")
    static let period = Option<Double?>("period", value: "P", in: 1e-3...1e12,
                                        help: "Frames per full cycle of the motion (default: no motion)")
    static let blend = Option<Double>("blend", value: "B", default: 0, in: 0...1, help: "Softness of the edges between channels")
    static let reverse = Option<Bool>(flag: "reverse", help: "Assign channels in the opposite order")
    static let normalize = Option<Bool>(flag: "normalize", help: "Make the channels of every pixel sum to 1")
    static let inwards = Option<Bool>(flag: "inwards", help: "Move the arcs towards the centre")
    static let crossFade = Option<Bool>(flag: "cross-fade", help: "Cross-fade each channel into the next")
    static let center = Option<Vec2>("center", point: .center, help: "Centre of the arcs, as fractions of the size")
    static let radius = Option<Double>("radius", value: "R", default: 0.70710678118, in: 1e-6...100,
                                       help: "Radius of the arcs, as a fraction of the size")
    static let p1 = Option<Vec2>("p1", point: .zero, help: "Start of the line the bands run along")
    static let p2 = Option<Vec2>("p2", point: .one, help: "End of the line the bands run along")
    static let bandWidth = Option<Double>("band-width", value: "W", default: 1.41421356237, in: 1e-6...100,
                                          help: "Total width of the bands along the line")
    static let image = Option<String?>("image", value: "IMAGE", help: "The picture to segment (required)")
    static let method = Option<String>("method", choices: ["kmeans", "auto", "threshold"], default: "kmeans",
                                       help: "k-means colour clusters, equal-area grey levels, or fixed grey thresholds")
    static let thresholds: Option<[Double]?> = .single(
        OptionSpec("thresholds", value: "A,B,…", help: "With --method threshold: grey levels 0–1, ascending"), fallback: nil) { text in
        let levels = text.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard !levels.isEmpty, levels.allSatisfy({ $0 != nil && (0...1).contains($0!) }) else {
            throw UsageError("--thresholds expects grey levels 0–1 like 0.3,0.6, got '\(text)'")
        }
        return levels.map { $0! }
    }
    static let blur = Option<Int>("blur", value: "K", default: 1, in: 1...255, help: "Box blur size in pixels before segmenting")
    static let dilate = Option<Int>("dilate", default: 0, in: 0...64, help: "3×3 dilations per channel")
    static let seed = Option<Int>("seed", default: 3425, in: 0...Int(Int32.max), help: "k-means seed")

    /// The options mask `type` accepts.
    static func specs(for type: String) -> [OptionSpec] {
        let motion = [period.spec, blend.spec, reverse.spec]
        switch type {
        case "solid": return [channels.spec, normalize.spec]
        case "interpolation": return [channels.spec] + motion + [crossFade.spec, normalize.spec]
        case "arcs": return [channels.spec] + motion + [center.spec, radius.spec, inwards.spec, normalize.spec]
        case "rects": return [channels.spec] + motion + [p1.spec, p2.spec, bandWidth.spec, normalize.spec]
        case "image": return [image.spec, channels.spec, method.spec, thresholds.spec, blur.spec, dilate.spec, seed.spec, normalize.spec]
        default: return []
        }
    }

    // MARK: Building

    /// The spec of mask `type` from `arguments` (which hold only that type's keys).
    static func spec(type: String, _ arguments: ParsedArguments) throws -> MaskSpec {
        let channelCount = try arguments[channels]
        let spec: MaskSpec
        switch type {
        case "solid":
            spec = .solid(SolidMask(channels: channelCount, normalize: try arguments[normalize]))
        case "interpolation":
            spec = .interpolation(InterpolationMask(channels: channelCount, period: try arguments[period] ?? 1e8, blend: try arguments[blend],
                                                    reverse: try arguments[reverse], crossFade: try arguments[crossFade],
                                                    normalize: try arguments[normalize]))
        case "arcs":
            spec = .arcs(ArcsMask(channels: channelCount, period: try arguments[period] ?? 1e8, center: try arguments[center],
                                  radius: try arguments[radius], blend: try arguments[blend], inwards: try arguments[inwards],
                                  reverse: try arguments[reverse], normalize: try arguments[normalize]))
        case "rects":
            spec = .rects(RectsMask(channels: channelCount, period: try arguments[period] ?? 1e8, p1: try arguments[p1], p2: try arguments[p2],
                                    width: try arguments[bandWidth], blend: try arguments[blend], reverse: try arguments[reverse],
                                    normalize: try arguments[normalize]))
        case "image":
            guard let path = try arguments[image] else { throw UsageError("image masks need --image IMAGE (the picture to segment)") }
            let chosen: ImageMask.Method
            switch try arguments[method] {
            case "auto": chosen = .auto
            case "threshold":
                guard let levels = try arguments[thresholds] else { throw UsageError("--method threshold needs --thresholds A,B,…") }
                chosen = .threshold(levels)
            default: chosen = .kmeans
            }
            spec = .image(ImageMask(image: try Image.load(path), channels: channelCount, method: chosen, blurSize: try arguments[blur],
                                    dilations: try arguments[dilate], normalize: try arguments[normalize], seed: UInt64(try arguments[seed])))
        default:
            throw UsageError("unknown mask type '\(type)'" + Suggestion.phrase(for: type, among: types) + "; choose one of \(types.joined(separator: ", "))")
        }
        do { try spec.validate() } catch { throw UsageError("\(error)") }
        return spec
    }

    /// Parses `TYPE:key=value,…` (the `--mask` option of other commands); `channels` is the default channel count.
    static func parseInline(_ text: String, channels defaultChannels: Int) throws -> MaskSpec {
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        let type = parts.first ?? ""
        guard types.contains(type) else {
            throw UsageError("unknown mask type '\(type)'" + Suggestion.phrase(for: type, among: types) + "; choose one of \(types.joined(separator: ", "))")
        }
        var pairs = parts.count == 2 ? ParsedArguments.splitPairs(parts[1]) : []
        if !pairs.contains(where: { $0.key == "channels" }) { pairs.append(("channels", String(defaultChannels))) }
        return try spec(type: type, ParsedArguments(pairs: pairs, accepting: specs(for: type), owner: "mask '\(type)'"))
    }
}
