import Media

// MARK: - ImageMask

/// Channels segmented from an image (ml4a `image`): grey-level thresholds, equal-area grey levels, or
/// colour clusters (k-means) kept stable from frame to frame.
public struct ImageMask: Sendable, Equatable {
    /// How pixels are assigned to channels.
    public enum Method: Sendable, Equatable {
        /// k-means colour clusters; channel 0 is the largest cluster, or labels follow `previous`.
        case kmeans
        /// Channel `c` takes the pixels with grey ≤ `thresholds[c]` (0–1, ascending) not taken by earlier
        /// channels; brighter pixels get no channel (ml4a uses 0–255 levels).
        case threshold([Double])
        /// Thresholds chosen so every channel covers about the same area (ml4a `auto`).
        case auto
    }

    /// The source image (centre-cropped to the mask's aspect ratio and resized to it).
    public var image: Image
    /// Number of channels (ml4a `num_channels`).
    public var channels: Int
    /// Segmentation method (ml4a default: k-means).
    public var method: Method
    /// Box-blur size in pixels (ml4a `blur_k`): of the image before k-means, of each channel otherwise.
    public var blurSize: Int
    /// Number of 3 × 3 dilations of each channel (ml4a `n_dilations`).
    public var dilations: Int
    /// Divide each pixel by its channel sum (ml4a `normalize`).
    public var normalize: Bool
    /// Seed of the k-means initialisation (ml4a's `random_state`).
    public var seed: UInt64

    /// ml4a defaults: k-means, no blur, no dilation.
    public init(image: Image, channels: Int = 1, method: Method = .kmeans, blurSize: Int = 1, dilations: Int = 0,
                normalize: Bool = false, seed: UInt64 = 3425) {
        self.image = image
        self.channels = channels
        self.method = method
        self.blurSize = blurSize
        self.dilations = dilations
        self.normalize = normalize
        self.seed = seed
    }

    /// The mask at `width × height`; with k-means, `previous` (the last frame's mask) keeps labels stable.
    public func render(width: Int, height: Int, previous: Mask? = nil) -> Mask {
        let n = max(1, channels)
        let source = prepared(width: width, height: height)
        let mask: Mask
        switch method {
        case .kmeans:
            mask = kmeans(source, n: n, previous: previous)
        case .threshold(let thresholds):
            var levels = Array(thresholds.prefix(n))
            while levels.count < n { levels.append(1) }
            mask = thresholded(source, levels: levels)
        case .auto:
            mask = thresholded(source, levels: ImageMask.equalAreaThresholds(source.luminance(), channels: n))
        }
        return normalize ? mask.normalized() : mask
    }

    // MARK: Steps

    /// The image cropped to the target aspect ratio and resized to it, without alpha.
    func prepared(width: Int, height: Int) -> Image {
        let flat = image.flattened()
        let cropped = (try? flat.centerCropped(toAspect: Double(width) / Double(height))) ?? flat
        return cropped.resized(width: width, height: height, filter: .automatic).clamped()
    }

    /// Grey levels (0–1) at which each channel's share of pixels reaches `1 / channels` of the image.
    public static func equalAreaThresholds(_ grey: [Float], channels n: Int) -> [Double] {
        var histogram = [Int](repeating: 0, count: 256)
        for g in grey { histogram[min(255, max(0, Int((g * 255).rounded())))] += 1 }
        let share = Double(grey.count) / Double(n)
        var thresholds = [Double](), level = -1
        for c in 0..<n {
            var amount = 0
            while (Double(amount) < share || c == n - 1) && level < 255 {
                level += 1
                amount += histogram[level]
            }
            thresholds.append(c == n - 1 ? 1 : Double(level) / 255)
        }
        return thresholds
    }

    private func thresholded(_ source: Image, levels: [Double]) -> Mask {
        let w = source.width, h = source.height, count = w * h
        let grey = source.luminance().map { Int(($0 * 255).rounded()) }
        var claimed = [Bool](repeating: false, count: count)
        var planes = [[Float]]()
        for level in levels {
            let limit = Int((level * 255).rounded())
            var plane = [Float](repeating: 0, count: count)
            for i in 0..<count where !claimed[i] && grey[i] <= limit { plane[i] = 1; claimed[i] = true }
            plane = PlaneFilter.dilate(plane, width: w, height: h, times: dilations)
            plane = PlaneFilter.boxBlur(plane, width: w, height: h, size: blurSize)
            planes.append(plane)
        }
        return Mask(width: w, height: h, planes: planes)
    }

    private func kmeans(_ source: Image, n: Int, previous: Mask?) -> Mask {
        let w = source.width, h = source.height, count = w * h
        var pixels = source.pixels
        if blurSize > 1 {
            var planes = (0..<3).map { c in (0..<count).map { pixels[$0 * 3 + c] } }
            for c in 0..<3 { planes[c] = PlaneFilter.boxBlur(planes[c], width: w, height: h, size: blurSize) }
            for i in 0..<count { for c in 0..<3 { pixels[i * 3 + c] = planes[c][i] } }
        }

        var previousLabels: [Int]?
        var initial: [Float]?
        if let previous, previous.channelCount == n {
            let labels = previous.resized(width: w, height: h, filter: .nearest).argmax()
            previousLabels = labels
            var sums = [Float](repeating: 0, count: n * 3), counts = [Int](repeating: 0, count: n)
            for i in 0..<count {
                counts[labels[i]] += 1
                for c in 0..<3 { sums[labels[i] * 3 + c] += pixels[i * 3 + c] }
            }
            if !counts.contains(0) {
                initial = (0..<(n * 3)).map { sums[$0] / Float(counts[$0 / 3]) }
            }
        }

        let model = KMeans(points: pixels, dimensions: 3, k: n, seed: seed, initial: initial)
        var labels = model.assign(pixels)

        if let previousLabels {
            let map = LabelMatching.bestPermutation(labels: labels, previous: previousLabels, k: n)
            labels = labels.map { map[$0] }
        } else {
            var sizes = [Int](repeating: 0, count: n)
            for l in labels { sizes[l] += 1 }
            let order = (0..<n).sorted { sizes[$0] > sizes[$1] || (sizes[$0] == sizes[$1] && $0 < $1) }
            var rank = [Int](repeating: 0, count: n)
            for (r, cluster) in order.enumerated() { rank[cluster] = r }
            labels = labels.map { rank[$0] }
        }

        var planes = [[Float]](repeating: [Float](repeating: 0, count: count), count: n)
        for i in 0..<count { planes[labels[i]][i] = 1 }
        if dilations > 0 {
            planes = planes.map { PlaneFilter.dilate($0, width: w, height: h, times: dilations) }
        }
        return Mask(width: w, height: h, planes: planes)
    }
}
