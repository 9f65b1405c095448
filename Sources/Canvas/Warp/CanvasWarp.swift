import Media
import Glibc

// MARK: - CanvasWarp

/// ml4a's `modify_canvas`: per-pixel source coordinates from each mod, averaged per pixel with the mask
/// channel weights, then bilinear remapping with mirror wrap at the edges.
public enum CanvasWarp {
    /// The noise field the noise stage reads.
    public static let noise = SimplexNoise()

    /// `image` warped once by `mods`, mod `m` weighted by channel `m` of `masks` (see `field`).
    public static func apply(to image: Image, mods: [CanvasMod], masks: Mask? = nil) -> Image {
        field(width: image.width, height: image.height, mods: mods, masks: masks).apply(to: image)
    }

    /// The warp field of `mods` at `width × height`.
    ///
    /// Without `masks` every mod weighs the same (their coordinates are averaged). With `masks` (resized
    /// to the image if needed) mod `m` weighs channel `m` at each pixel, weights divided by their sum;
    /// mods beyond the mask's channels weigh 0, and a pixel whose weights are all 0 stays where it is.
    public static func field(width: Int, height: Int, mods: [CanvasMod], masks: Mask? = nil) -> WarpField {
        guard width > 0, height > 0, !mods.isEmpty, mods.contains(where: { !$0.isIdentity }) else {
            return WarpField(width: width, height: height, stages: [])
        }
        let count = width * height, m = mods.count
        let weights = pixelWeights(masks, width: width, height: height, mods: m)
        let plans = mods.map { ModPlan($0, width: width, height: height) }
        var stages = [[Float]]()
        for stage in [Stage.shift, .turn, .noise] where mods.contains(where: { stage.isUsed(by: $0) }) {
            var coordinates: [Float]
            if m == 1 && weights.isEmpty {
                coordinates = plans[0].coordinates(stage, width: width, height: height)
            } else {
                // Weighted average of every mod's coordinates; pixels without weight stay in place.
                var sum = [Float](repeating: 0, count: count * 2), total = [Float](repeating: 0, count: count)
                for k in 0..<m {
                    let own = plans[k].coordinates(stage, width: width, height: height)
                    for i in 0..<count {
                        let w = weights.isEmpty ? 1 : weights[i * m + k]
                        guard w > 0 else { continue }
                        sum[2 * i] += w * own[2 * i]; sum[2 * i + 1] += w * own[2 * i + 1]; total[i] += w
                    }
                }
                for i in 0..<count {
                    if total[i] > 0 {
                        sum[2 * i] /= total[i]; sum[2 * i + 1] /= total[i]
                    } else {
                        sum[2 * i] = Float(i % width); sum[2 * i + 1] = Float(i / width)
                    }
                }
                coordinates = sum
            }
            coordinates.withUnsafeMutableBufferPointer { xy in
                for i in 0..<count {
                    xy[2 * i] = WarpField.mirror(xy[2 * i], width)
                    xy[2 * i + 1] = WarpField.mirror(xy[2 * i + 1], height)
                }
            }
            stages.append(coordinates)
        }
        return WarpField(width: width, height: height, stages: stages)
    }

    /// Per-pixel mod weights (`count * mods`, mod `k` from mask channel `k`, missing channels 0), or
    /// empty for equal weights.
    private static func pixelWeights(_ masks: Mask?, width: Int, height: Int, mods m: Int) -> [Float] {
        guard let masks else { return [] }
        let mask = masks.width == width && masks.height == height ? masks : masks.resized(width: width, height: height)
        let n = mask.channelCount
        if n == m { return mask.values.map { max(0, $0) } }
        var out = [Float](repeating: 0, count: width * height * m)
        for i in 0..<(width * height) {
            for k in 0..<min(n, m) { out[i * m + k] = max(0, mask.values[i * n + k]) }
        }
        return out
    }
}

/// The three remap stages of a canvas warp, applied in this order.
private enum Stage {
    case shift, turn, noise

    func isUsed(by mod: CanvasMod) -> Bool {
        switch self {
        case .shift: return mod.shifts
        case .turn: return mod.turns
        case .noise: return mod.displaces
        }
    }
}

// MARK: - Per-mod coordinate maps

/// One mod's coordinate maps with its constants precomputed for one image size.
private struct ModPlan {
    let mod: CanvasMod
    let cx: Double, cy: Double
    let shiftX: Double, shiftY: Double, invStretchX: Double, invStretchY: Double
    let invZoom: Double
    let needsAngle: Bool, constantTurn: Bool
    let cosConst: Double, sinConst: Double

    init(_ mod: CanvasMod, width: Int, height: Int) {
        let w = Double(width), h = Double(height)
        self.mod = mod
        // Normalised 0 and 1 are the outer pixel edges; pixel centres sit at integers.
        cx = mod.center.x * w - 0.5
        cy = mod.center.y * h - 0.5
        shiftX = mod.shift.x * w
        shiftY = mod.shift.y * h
        invStretchX = 1 / mod.stretch.x
        invStretchY = 1 / mod.stretch.y
        invZoom = 1 / mod.zoom
        needsAngle = mod.rotAng != 0 || mod.spiralMargin != 0
        constantTurn = mod.rotAng == 0 && mod.rotDst == 0
        cosConst = cos(mod.rotConst)
        sinConst = sin(mod.rotConst)
    }

    /// Where every output pixel reads from in `stage` (`width * height` (x, y) pairs, not yet wrapped).
    func coordinates(_ stage: Stage, width: Int, height: Int) -> [Float] {
        var out = [Float](repeating: 0, count: width * height * 2)
        switch stage {
        case .shift where mod.shifts:
            out.withUnsafeMutableBufferPointer { o in
                for y in 0..<height {
                    let sy = Float(cy - shiftY + (Double(y) - cy) * invStretchY)
                    for x in 0..<width {
                        let i = y * width + x
                        o[2 * i] = Float(cx - shiftX + (Double(x) - cx) * invStretchX)
                        o[2 * i + 1] = sy
                    }
                }
            }
        case .turn where mod.turns:
            out.withUnsafeMutableBufferPointer { buffer in
                let o = buffer.baseAddress!
                Parallel.forRanges(height, chunks: 4, minimumCount: 16) { rows in
                    for y in rows {
                        for x in 0..<width {
                            let (sx, sy) = turned(Double(x), Double(y))
                            o[2 * (y * width + x)] = Float(sx)
                            o[2 * (y * width + x) + 1] = Float(sy)
                        }
                    }
                }
            }
        case .noise where mod.displaces:
            let noise = CanvasWarp.noise
            let dx = mod.noiseMargin.x == 0 ? nil : noise.fractalPlane(
                width: width, height: height, rate: mod.noiseRate.x, offset: mod.noiseOffset.x)
            let dy = mod.noiseMargin.y == 0 ? nil : noise.fractalPlane(
                width: width, height: height, rate: mod.noiseRate.y, offset: mod.noiseOffset.y)
            let mx = Float(mod.noiseMargin.x), my = Float(mod.noiseMargin.y)
            for y in 0..<height {
                for x in 0..<width {
                    let i = y * width + x
                    out[2 * i] = Float(x) + (dx.map { mx * $0[i] } ?? 0)
                    out[2 * i + 1] = Float(y) + (dy.map { my * $0[i] } ?? 0)
                }
            }
        default:
            for y in 0..<height {
                for x in 0..<width { out[2 * (y * width + x)] = Float(x); out[2 * (y * width + x) + 1] = Float(y) }
            }
        }
        return out
    }

    /// Zoom/expand, spiral and rotation about the centre (polar coordinates).
    @inline(__always) private func turned(_ x: Double, _ y: Double) -> (Double, Double) {
        let dx = x - cx, dy = y - cy
        let dist = (dx * dx + dy * dy).squareRoot()
        guard dist > 0 else { return (cx, cy) }
        let ux = dx / dist, uy = dy / dist
        var radius = max(0, dist * invZoom - mod.expand)
        let angle = needsAngle ? atan2(dy, dx) : 0
        if mod.spiralMargin != 0 { radius *= 1 + mod.spiralMargin * sin(mod.spiralPeriods * angle) }
        let c: Double, s: Double
        if constantTurn {
            c = cosConst; s = sinConst
        } else {
            let delta = mod.rotConst + mod.rotAng * angle + mod.rotDst * dist
            c = cos(delta); s = sin(delta)
        }
        return (cx + radius * (ux * c - uy * s), cy + radius * (ux * s + uy * c))
    }
}
