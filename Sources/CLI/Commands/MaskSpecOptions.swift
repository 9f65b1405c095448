import Canvas
import Media

/// Builds a `MaskSpec` from option values, shared by `mlwb mask` (flat options) and
/// `mlwb canvas --mask TYPE:key=value,…`.
enum MaskSpecOptions {
    /// The mask types and the keys each accepts.
    static let types = ["solid", "interpolation", "arcs", "rects", "image"]

    /// Options of `mlwb mask` that describe the spec (the same keys work inline in `--mask`).
    static let specOptions: [CommandSpec.Option] = [
        .init("channels", value: "N", default: "1", "Number of mask channels"),
        .init("period", value: "P", "Frames per full cycle of the motion (arcs, rects, interpolation)"),
        .init("blend", value: "B", "Softness of the edges between channels, 0–1"),
        .init("reverse", "Assign channels in the opposite order"),
        .init("normalize", "Make the channels of every pixel sum to 1"),
        .init("inwards", "Arcs move towards the centre"),
        .init("cross-fade", "Interpolation cross-fades each channel into the next"),
        .init("center", value: "X,Y", "Arcs centre as fractions of the size (default 0.5,0.5)"),
        .init("radius", value: "R", "Arcs radius as a fraction of the size (default 0.7071)"),
        .init("p1", value: "X,Y", "Rects: start of the line the bands run along (default 0,0)"),
        .init("p2", value: "X,Y", "Rects: end of that line (default 1,1)"),
        .init("band-width", value: "W", "Rects: total width of the bands along the line (default 1.4142)"),
        .init("image", value: "PNG", "Image masks: the picture to segment"),
        .init("method", value: "M", "Image masks: kmeans, auto (equal-area grey levels) or threshold"),
        .init("thresholds", value: "A,B,…", "Image masks with --method threshold: grey levels 0–1, ascending"),
        .init("blur", value: "K", "Image masks: box blur size in pixels"),
        .init("dilate", value: "N", "Image masks: 3×3 dilations per channel"),
        .init("seed", value: "N", "Image masks: k-means seed"),
    ]

    /// The spec of `type` from `values` (option name → text), with `channels` channels unless given.
    static func spec(type: String, values: [String: String], channels defaultChannels: Int = 1) throws -> MaskSpec {
        func double(_ key: String, _ fallback: Double) throws -> Double {
            guard let text = values[key] else { return fallback }
            guard let v = Double(text), v.isFinite else { throw UsageError("mask \(key) expects a number, got '\(text)'") }
            return v
        }
        func int(_ key: String, _ fallback: Int, _ range: ClosedRange<Int>) throws -> Int {
            guard let text = values[key] else { return fallback }
            guard let v = Int(text), range.contains(v) else {
                throw UsageError("mask \(key) expects a whole number in \(range.lowerBound)…\(range.upperBound), got '\(text)'")
            }
            return v
        }
        func flag(_ key: String) -> Bool {
            guard let text = values[key] else { return false }
            return ["", "1", "true", "yes", "on"].contains(text.lowercased())
        }
        func point(_ key: String, _ fallback: Vec2) throws -> Vec2 {
            guard let text = values[key] else { return fallback }
            let parts = text.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
            guard parts.count == 2, let x = parts[0], let y = parts[1] else { throw UsageError("mask \(key) expects X,Y, got '\(text)'") }
            return Vec2(x: x, y: y)
        }
        let channels = try int("channels", defaultChannels, 1...Mask.maxChannels)
        let period = try double("period", 1e8)
        let blend = try double("blend", 0)
        let spec: MaskSpec
        switch type {
        case "solid":
            spec = .solid(SolidMask(channels: channels, normalize: flag("normalize")))
        case "interpolation":
            spec = .interpolation(InterpolationMask(channels: channels, period: period, blend: blend, reverse: flag("reverse"),
                                                    crossFade: flag("cross-fade"), normalize: flag("normalize")))
        case "arcs":
            spec = .arcs(ArcsMask(channels: channels, period: period, center: try point("center", .center),
                                  radius: try double("radius", 0.70710678118), blend: blend, inwards: flag("inwards"),
                                  reverse: flag("reverse"), normalize: flag("normalize")))
        case "rects":
            spec = .rects(RectsMask(channels: channels, period: period, p1: try point("p1", .zero), p2: try point("p2", .one),
                                    width: try double("band-width", 1.41421356237), blend: blend, reverse: flag("reverse"),
                                    normalize: flag("normalize")))
        case "image":
            guard let path = values["image"] else { throw UsageError("image masks need --image PNG (the picture to segment)") }
            let method: ImageMask.Method
            switch values["method"] ?? "kmeans" {
            case "kmeans": method = .kmeans
            case "auto": method = .auto
            case "threshold":
                guard let text = values["thresholds"] else { throw UsageError("--method threshold needs --thresholds A,B,…") }
                let levels = text.split(separator: ",").compactMap { Double($0) }
                guard !levels.isEmpty else { throw UsageError("--thresholds expects numbers 0–1 like 0.3,0.6, got '\(text)'") }
                method = .threshold(levels)
            case let other: throw UsageError("--method must be kmeans, auto or threshold, got '\(other)'")
            }
            spec = .image(ImageMask(image: try Image.load(path), channels: channels, method: method,
                                    blurSize: try int("blur", 1, 1...255), dilations: try int("dilate", 0, 0...64),
                                    normalize: flag("normalize"), seed: UInt64(try int("seed", 3425, 0...Int.max))))
        default:
            throw UsageError("unknown mask type '\(type)'; choose one of \(types.joined(separator: ", "))")
        }
        do { try spec.validate() } catch { throw UsageError("\(error)") }
        return spec
    }

    /// Parses `TYPE:key=value,key=value` (used by `--mask` on other commands).
    static func parseInline(_ text: String, channels: Int) throws -> MaskSpec {
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        var values: [String: String] = [:]
        if parts.count == 2 {
            for pair in splitTopLevel(parts[1]) {
                let kv = pair.split(separator: "=", maxSplits: 1).map(String.init)
                values[kv[0]] = kv.count == 2 ? kv[1] : ""
            }
        }
        return try spec(type: parts[0], values: values, channels: channels)
    }

    /// Splits on commas that separate `key=value` pairs, keeping commas inside values like `0.5,0.5`.
    private static func splitTopLevel(_ text: String) -> [String] {
        var pairs: [String] = []
        for piece in text.split(separator: ",", omittingEmptySubsequences: true).map(String.init) {
            if piece.contains("=") || pairs.isEmpty { pairs.append(piece) } else { pairs[pairs.count - 1] += "," + piece }
        }
        return pairs
    }
}

import Foundation
