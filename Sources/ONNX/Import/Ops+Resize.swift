import Engine
import Foundation
import Media

// MARK: - Resize

extension OperatorRegistry {
    /// Options shared by every axis of one Resize node.
    struct ResizeOptions {
        var mode = "nearest", coordinates = "half_pixel", nearestMode = "round_prefer_floor"
        var cubicA: Double = -0.75, excludeOutside = false, antialias = false, extrapolation: Float = 0
    }

    /// Resize (opset 10+) and Upsample: separable nearest, linear or cubic resampling, one engine node per resized axis.
    static let resize: Handler = { ctx in
        let x = try ctx.input(0)
        var o = ResizeOptions()
        o.mode = try ctx.string("mode", "nearest")
        let upsample = ctx.node.opType == "Upsample"
        o.coordinates = upsample || ctx.opset < 11 ? "asymmetric" : try ctx.string("coordinate_transformation_mode", "half_pixel")
        o.nearestMode = upsample || ctx.opset < 11 ? "floor" : try ctx.string("nearest_mode", "round_prefer_floor")
        o.cubicA = Double(try ctx.float("cubic_coeff_a", -0.75))
        o.excludeOutside = try ctx.int("exclude_outside", 0) != 0
        o.antialias = try ctx.int("antialias", 0) != 0
        o.extrapolation = try ctx.float("extrapolation_value", 0)
        if o.mode == "bilinear" { o.mode = "linear" }
        guard ["nearest", "linear", "cubic"].contains(o.mode) else { throw ctx.unsupported("mode \(o.mode)") }
        let r = x.rank
        let axes = try (try ctx.ints("axes") ?? Array(0..<r)).map { try ctx.axis($0, rank: r) }
        // Operands: roi, scales, sizes (which of them exist depends on the opset).
        var roi: [Double]?, scales: [Double]?, sizes: [Int]?
        if upsample || ctx.opset < 11 {
            if let s = try ctx.floats("scales") { scales = s.map(Double.init) } else { scales = try ctx.constantInput(1, "scales")?.doubles }
        } else {
            if let t = try ctx.constantInput(1, "roi"), t.count > 0 { roi = t.doubles }
            if let t = try ctx.constantInput(2, "scales"), t.count > 0 { scales = t.doubles }
            if let t = try ctx.constantInput(3, "sizes"), t.count > 0 { sizes = t.integers.map { Int(clamping: $0) } }
        }
        let n = axes.count
        var outSize = x.shape, scale = [Double](repeating: 1, count: r)
        var roiStart = [Double](repeating: 0, count: r), roiEnd = [Double](repeating: 1, count: r)
        if let roi {
            guard roi.count == 2 * n else { throw ctx.invalid("roi of \(roi.count) values for \(n) axes") }
            guard roi.allSatisfy({ $0.isFinite && abs($0) <= Self.maxResizeFactor }) else { throw ctx.invalid("roi \(roi)") }
            for (k, a) in axes.enumerated() { roiStart[a] = roi[k]; roiEnd[a] = roi[n + k] }
        }
        if let sizes {
            guard sizes.count == n, sizes.allSatisfy({ $0 > 0 }) else { throw ctx.invalid("sizes \(sizes) for \(n) axes") }
            for (k, a) in axes.enumerated() { scale[a] = Double(sizes[k]) / Double(max(x.shape[a], 1)); outSize[a] = sizes[k] }
            let policy = try ctx.string("keep_aspect_ratio_policy", "stretch")
            if policy != "stretch" {
                let picked = axes.map { scale[$0] }
                guard let common = policy == "not_larger" ? picked.min() : (policy == "not_smaller" ? picked.max() : nil) else {
                    throw ctx.unsupported("keep_aspect_ratio_policy \(policy)")
                }
                for a in axes {
                    scale[a] = common
                    guard let size = (common * Double(x.shape[a])).roundedInt() else { throw ctx.invalid("output size for scale \(common)") }
                    outSize[a] = size
                }
            }
        } else if let scales {
            guard scales.count == n, scales.allSatisfy({ $0 > 0 }) else { throw ctx.invalid("scales \(scales) for \(n) axes") }
            for (k, a) in axes.enumerated() {
                scale[a] = scales[k]
                let extent = o.coordinates == "tf_crop_and_resize" ? Double(x.shape[a]) * (roiEnd[a] - roiStart[a]) : Double(x.shape[a])
                guard let size = (extent * scales[k]).roundedInt(.down) else { throw ctx.invalid("output size for scale \(scales[k])") }
                outSize[a] = size
            }
        } else { throw ctx.invalid("neither scales nor sizes given") }
        guard outSize.allSatisfy({ $0 >= 0 && $0 <= 1 << 24 }) else { throw ctx.invalid("output size \(outSize)") }
        // Scales far from 1 would make tap offsets (and, antialiased, tap counts) beyond any real model's.
        for a in axes where outSize[a] != x.shape[a] || scale[a] != 1 {
            guard scale[a].isFinite, scale[a] >= 1 / Self.maxResizeFactor, scale[a] <= Self.maxResizeFactor, outSize[a] > 0 else {
                throw ctx.invalid("scale \(scale[a]) (output size \(outSize[a])) on axis \(a)")
            }
            let width = o.antialias && o.mode != "nearest" && scale[a] < 1 ? Int(4 / scale[a]) + 2 : 4
            guard outSize[a] * width <= 1 << 26 else { throw ctx.invalid("resampling \(x.shape[a]) → \(outSize[a]) on axis \(a) needs too many taps") }
        }
        var y = x
        for a in axes {
            let unit = abs(scale[a] - 1) < 1e-12 && outSize[a] == x.shape[a] && roiStart[a] == 0 && roiEnd[a] == 1
            if unit { continue }
            guard x.shape[a] > 0 else { throw ctx.invalid("cannot resize an empty axis") }
            let taps = resizeTaps(input: x.shape[a], output: outSize[a], scale: scale[a], roi: (roiStart[a], roiEnd[a]), o)
            var shape = y.shape
            shape[a] = outSize[a]
            y = try ctx.lowering.move(.resample(axis: a, taps: taps), y, shape: shape)
        }
        return [y]
    }

    /// The largest up- or down-scaling factor (and |roi| value) accepted: 2^24.
    static let maxResizeFactor = Double(1 << 24)

    /// The interpolation taps of one axis (ONNX Resize semantics: coordinate mapping, neighbour choice, edge clamping).
    static func resizeTaps(input: Int, output: Int, scale: Double, roi: (Double, Double), _ o: ResizeOptions) -> ResampleTaps {
        let inF = Double(input), outF = scale * inF
        var s = scale
        if o.antialias && o.mode != "nearest" { s = min(scale, 1) } else { s = 1 }
        // Tap offsets k relative to base = ⌈x⌉ − 1.
        let ks: [Int]
        switch o.mode {
        case "nearest": ks = [0, 1]
        case "linear": let start = s < 1 ? Int((-1 / s).rounded(.down)) + 1 : 0; ks = Array(start..<(start + 2 - 2 * start))
        default: let start = s < 1 ? Int((-2 / s).rounded(.down)) + 1 : -1; ks = Array(start..<(2 - start))
        }
        let width = ks.count
        var indices = [Int](repeating: 0, count: output * width), weights = [Float](repeating: 0, count: output * width)
        func cubic(_ t: Double) -> Double {
            let a = o.cubicA, x = abs(t)
            if x <= 1 { return ((a + 2) * x - (a + 3)) * x * x + 1 }
            if x < 2 { return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a }
            return 0
        }
        for j in 0..<output {
            let xj = Double(j)
            var xo: Double
            switch o.coordinates {
            case "align_corners": xo = outF == 1 ? 0 : xj * (inF - 1) / (outF - 1)   // the real-valued output extent, as ONNX
            case "asymmetric": xo = xj / scale
            case "pytorch_half_pixel": xo = outF == 1 ? -0.5 : (xj + 0.5) / scale - 0.5
            case "half_pixel_symmetric":
                let adjustment = Double(output) / outF, center = inF / 2
                xo = center * (1 - adjustment) + (xj + 0.5) / scale - 0.5
            case "tf_crop_and_resize":
                xo = output == 1 ? (roi.1 - roi.0) * (inF - 1) / 2 : xj * (roi.1 - roi.0) * (inF - 1) / (Double(output) - 1)
                xo += roi.0 * (inF - 1)
                if xo < 0 || xo > inF - 1 {
                    for t in 0..<width { indices[j * width + t] = -1 }
                    continue
                }
            default: xo = (xj + 0.5) / scale - 0.5
            }
            let floorX = xo.rounded(.down)
            let ratio = xo == floorX ? 1 : xo - floorX
            // Indices are clamped to the input below, so a far-off xo only needs to stay outside it.
            let base = (xo.rounded(.up) - 1).roundedInt(clampedTo: (-width - 1)...(input + width)) ?? 0
            var w = [Double](repeating: 0, count: width)
            switch o.mode {
            case "nearest":
                if xo == floorX { w = [0, 1] } else {
                    switch o.nearestMode {
                    case "round_prefer_ceil": w = ratio < 0.5 ? [1, 0] : [0, 1]
                    case "floor": w = [1, 0]
                    case "ceil": w = [0, 1]
                    default: w = ratio <= 0.5 ? [1, 0] : [0, 1]
                    }
                }
            case "linear":
                for (t, k) in ks.enumerated() { w[t] = max(0, min(1, 1 - abs((Double(k) - ratio) * s))) }
            default:
                for (t, k) in ks.enumerated() { w[t] = cubic((Double(k) - ratio) * s) }
            }
            if s < 1 { let sum = w.reduce(0, +); if sum != 0 { w = w.map { $0 / sum } } }
            if o.excludeOutside {
                for (t, k) in ks.enumerated() where base + k < 0 || base + k >= input { w[t] = 0 }
                let sum = w.reduce(0, +)
                if sum != 0 { w = w.map { $0 / sum } }
            }
            for (t, k) in ks.enumerated() {
                indices[j * width + t] = min(max(base + k, 0), input - 1)
                weights[j * width + t] = Float(w[t])
            }
        }
        return ResampleTaps(outputSize: output, width: width, indices: indices, weights: weights, fill: o.extrapolation)
    }
}
