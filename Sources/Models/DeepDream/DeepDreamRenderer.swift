import Canvas
import Engine
import Foundation
import Media

// MARK: - The dream loop

/// Runs DeepDream synchronously with ml4a's semantics: octaves built as detail layers (`hi = img − up(down(img))`)
/// re-added while upsampling; per step a random roll (jitter), the gradient of each objective's score (tiled for
/// large images), Laplacian-pyramid normalisation, optional `g / mean|g|`, the objective's weight and mask channel,
/// optional grayscale gradients, then `img += step · Σ g`.
///
/// `DeepDream` (the `Model`) wraps this in an event stream; the CLI calls it directly.
public struct DeepDreamRenderer: Sendable {
    /// What a run reports while it works.
    public enum Update: Sendable {
        /// Progress (0…1) and a status line such as "octave 2/4 · step 7/10 · 3.1 it/s".
        case progress(fraction: Double, status: String)
        /// The picture after a step, at the output size, with a label ("octave 2/4 step 7/10").
        case frame(Image, label: String)
        /// A log line.
        case log(String)
    }

    /// How a run ended.
    public struct Outcome: Sendable {
        /// The dreamed image (clamped to [0, 1]); after a cancel, the state at the last finished step.
        public var image: Image
        /// Whether the run stopped early because it was cancelled.
        public var cancelled: Bool
        /// Steps taken.
        public var steps: Int
    }

    public let network: DreamNetwork
    public var settings: DeepDreamSettings

    public init(network: DreamNetwork, settings: DeepDreamSettings) {
        self.network = network
        self.settings = settings
    }

    // MARK: Sizes

    /// The working size for an input of `width × height` (longer side scaled to `settings.size`, or kept if 0),
    /// refused above `DeepDreamSettings.maxSide`.
    public func workingSize(width: Int, height: Int) throws -> (width: Int, height: Int) {
        var w = width, h = height
        if settings.size > 0 {
            let scale = Double(settings.size) / Double(max(width, height))
            w = max(1, Int((Double(width) * scale).rounded()))
            h = max(1, Int((Double(height) * scale).rounded()))
        }
        guard w <= DeepDreamSettings.maxSide, h <= DeepDreamSettings.maxSide else {
            throw DeepDreamError.imageTooLarge(width: w, height: h, limit: DeepDreamSettings.maxSide)
        }
        return (w, h)
    }

    /// Octave sizes, full size first; octaves whose shorter side would drop below `minOctaveSide` are left out.
    public func octaveSizes(width: Int, height: Int) -> [(width: Int, height: Int)] {
        var sizes = [(width, height)]
        // (NaN would survive `max` and trap below; it means "no usable scale": one octave.)
        guard !settings.octaveScale.isNaN else { return sizes }
        let ratio = max(settings.octaveScale, 1.0001)
        while sizes.count < max(1, settings.octaves) {
            let (w, h) = sizes[sizes.count - 1]
            let next = (Int(Double(w) / ratio), Int(Double(h) / ratio))
            if min(next.0, next.1) < DeepDreamSettings.minOctaveSide { break }
            sizes.append(next)
        }
        return sizes
    }

    // MARK: Running

    /// Dreams on `input` (nil, or `settings.start == .noise`, starts from seeded grey noise).
    ///
    /// `isCancelled` is polled before every step and tile; a cancelled run returns the picture so far.
    public func run(_ input: Image?, isCancelled: () -> Bool = { false },
                    emit: (Update) -> Void = { _ in }) throws -> Outcome {
        let s = settings
        try s.validate(layers: network.layers, channels: network.channels)
        var random = SeededGenerator(seed: s.seed)

        // The start image at the working size.
        var image: PlanarImage
        if let input, s.start == .image {
            let size = try workingSize(width: input.width, height: input.height)
            let rgb = input.hasAlpha ? input.flattened() : input
            let resized = (size.width, size.height) == (rgb.width, rgb.height)
                ? rgb : rgb.resized(width: size.width, height: size.height, filter: .automatic)
            image = PlanarImage(resized)
        } else {
            guard s.start == .noise || input == nil else { throw DeepDreamError.noInput }
            let side = s.size > 0 ? s.size : 512
            let size = try workingSize(width: input?.width ?? side, height: input?.height ?? side)
            image = PlanarImage(width: size.width, height: size.height)
            for i in image.data.indices { image.data[i] = 0.45 + 0.1 * (random.nextUnitFloat() - 0.5) }
        }

        // Octaves: detail layers from the full size down.
        let sizes = octaveSizes(width: image.width, height: image.height)
        var details: [PlanarImage] = []
        for i in 0..<(sizes.count - 1) {
            let lo = image.resized(width: sizes[i + 1].width, height: sizes[i + 1].height)
            details.append(image - lo.resized(width: sizes[i].width, height: sizes[i].height))
            image = lo
        }
        let octaveCount = sizes.count
        let stepsPerOctave = max(0, s.steps)
        let total = octaveCount * stepsPerOctave
        emit(.log("dreaming \(sizes[0].width)×\(sizes[0].height) · \(octaveCount) octave\(octaveCount == 1 ? "" : "s") "
                  + "(\(sizes.reversed().map { "\($0.width)×\($0.height)" }.joined(separator: " → "))) · "
                  + "\(stepsPerOctave) steps each · \(s.objectives.map(\.description).joined(separator: " + "))"))

        /// The full-size picture implied by the current octave image.
        func fullSize(_ img: PlanarImage, level: Int) -> PlanarImage {
            var out = img
            var j = level - 1
            while j >= 0 {
                out = out.resized(width: sizes[j].width, height: sizes[j].height) + details[j]
                j -= 1
            }
            return out
        }

        let started = MonotonicClock.seconds()
        var done = 0
        // Progress counts work, not steps: a step costs about its octave's pixel count, so the
        // full-size octave's steps weigh most (an ETA from step counts would be far too short).
        let work = sizes.map { Double($0.width * $0.height) }
        let totalWork = work.reduce(0, +) * Double(stepsPerOctave)
        var doneWork = 0.0
        var cancelled = false
        var level = octaveCount - 1
        octaveLoop: for octave in 0..<octaveCount {
            level = octaveCount - 1 - octave
            if octave > 0 {
                image = image.resized(width: sizes[level].width, height: sizes[level].height) + details[level]
            }
            let masks = s.mask.map { octaveMasks($0, width: image.width, height: image.height) }
            for step in 0..<stepsPerOctave {
                if isCancelled() { cancelled = true; break octaveLoop }
                guard let g = try stepGradient(image, masks: masks, random: &random, isCancelled: isCancelled) else {
                    cancelled = true; break octaveLoop
                }
                let scale = Float(s.stepSize / 255)
                for i in image.data.indices { image.data[i] += scale * g.data[i] }
                done += 1
                doneWork += work[level]
                let seconds = MonotonicClock.seconds() - started
                let rate = seconds > 0 ? Double(done) / seconds : 0
                let label = "octave \(octave + 1)/\(octaveCount) · step \(step + 1)/\(stepsPerOctave)"
                emit(.progress(fraction: total == 0 || totalWork == 0 ? 1 : doneWork / totalWork,
                               status: label + " · " + String(format: "%.1f it/s", rate)))
                emit(.frame(fullSize(image, level: level).image(), label: label))
            }
        }
        let final = fullSize(image, level: level).image()
        return Outcome(image: final, cancelled: cancelled, steps: done)
    }

    /// The mask planes (one per objective, or one shared) at an octave's size.
    func octaveMasks(_ mask: Mask, width: Int, height: Int) -> [[Float]] {
        let resized = mask.width == width && mask.height == height ? mask : mask.resized(width: width, height: height)
        return (0..<resized.channelCount).map { resized.channel($0) }
    }

    /// The combined, normalised, weighted and masked gradient for one step (nil when cancelled mid-step).
    func stepGradient(_ image: PlanarImage, masks: [[Float]]?, random: inout SeededGenerator,
                      isCancelled: () -> Bool) throws -> PlanarImage? {
        let s = settings
        let n = image.planeCount
        // Objectives whose mask is empty at this size do not count.
        var active: [Int] = []
        for t in s.objectives.indices {
            if let masks {
                let plane = masks[masks.count == 1 ? 0 : t]
                if !plane.contains(where: { $0 > 0 }) { continue }
            }
            active.append(t)
        }
        var total = PlanarImage(width: image.width, height: image.height)
        guard !active.isEmpty else { return total }

        // Random roll: the jitter, plus a random tile-grid offset when the image is tiled.
        func offset(_ extent: Int) -> Int {
            var v = 0
            if s.jitter > 0 { v = Int(random.next() % UInt64(2 * s.jitter + 1)) - s.jitter }
            if extent > s.tileSize { v += Int(random.next() % UInt64(s.tileSize)) }
            return v
        }
        let dx = offset(image.width), dy = offset(image.height)
        let rolled = image.rolled(dx: dx, dy: dy)
        let objectives = active.map { s.objectives[$0] }
        guard var grads = try tiledGradients(rolled, objectives: objectives, isCancelled: isCancelled) else { return nil }
        for (slot, t) in active.enumerated() {
            var g = grads[slot].rolled(dx: -dx, dy: -dy)
            grads[slot] = PlanarImage(width: 1, height: 1, fill: 0)
            if s.lapLevels > 0 { g = LaplacianPyramid.normalize(g, levels: s.lapLevels) }
            if s.normalizeGradients {
                var sum: Double = 0
                for v in g.data { sum += Double(abs(v)) }
                let inv = 1 / Float(sum / Double(max(g.data.count, 1)) + 1e-7)
                for i in g.data.indices { g.data[i] *= inv }
            }
            if s.grayscaleGradients {
                for i in 0..<n {
                    let m = (g.data[i] + g.data[n + i] + g.data[2 * n + i]) / 3
                    g.data[i] = m; g.data[n + i] = m; g.data[2 * n + i] = m
                }
            }
            let weight = s.objectives[t].weight
            if let masks {
                let plane = masks[masks.count == 1 ? 0 : t]
                for k in 0..<3 { for i in 0..<n { total.data[k * n + i] += weight * plane[i] * g.data[k * n + i] } }
            } else {
                for i in total.data.indices { total.data[i] += weight * g.data[i] }
            }
        }
        return total
    }

    /// Per-objective gradients over tiles of at most `tileSize` pixels per side (nil when cancelled).
    func tiledGradients(_ image: PlanarImage, objectives: [DeepDreamObjective],
                        isCancelled: () -> Bool) throws -> [PlanarImage]? {
        let tile = max(32, settings.tileSize)
        if image.width <= tile && image.height <= tile {
            return try network.gradients(image, objectives: objectives, score: settings.score)
        }
        let nx = (image.width + tile - 1) / tile, ny = (image.height + tile - 1) / tile
        var result = objectives.map { _ in PlanarImage(width: image.width, height: image.height) }
        for ty in 0..<ny {
            for tx in 0..<nx {
                if isCancelled() { return nil }
                let x0 = image.width * tx / nx, x1 = image.width * (tx + 1) / nx
                let y0 = image.height * ty / ny, y1 = image.height * (ty + 1) / ny
                let piece = image.crop(x: x0, y: y0, width: x1 - x0, height: y1 - y0)
                let grads = try network.gradients(piece, objectives: objectives, score: settings.score)
                for (i, g) in grads.enumerated() { result[i].paste(g, x: x0, y: y0) }
            }
        }
        return result
    }
}
