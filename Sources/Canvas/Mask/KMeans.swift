import Media
// MARK: - KMeans

/// Deterministic k-means (k-means++ seeding, Lloyd iterations) over small fixed-size points such as colours.
public struct KMeans: Sendable, Equatable {
    /// Number of clusters.
    public let k: Int
    /// Coordinates per point.
    public let dimensions: Int
    /// Cluster centres, `k * dimensions` values.
    public private(set) var centroids: [Float]

    /// Clusters `points` (`count * dimensions` interleaved values) into `k` groups.
    ///
    /// Fits on at most `maxSamples` evenly strided points; `initial` centroids (if given, `k * dimensions`
    /// values) replace k-means++ seeding; otherwise `restarts` seedings run and the lowest inertia wins.
    public init(points: [Float], dimensions: Int, k: Int, seed: UInt64 = 3425, maxIterations: Int = 50,
                restarts: Int = 3, maxSamples: Int = 20_000, initial: [Float]? = nil) {
        precondition(dimensions > 0 && k > 0, "k-means needs k ≥ 1 and at least one dimension")
        let count = points.count / dimensions
        precondition(count > 0, "k-means needs at least one point")
        self.k = k
        self.dimensions = dimensions
        let stride = max(1, count / maxSamples)
        var sample = [Float]()
        sample.reserveCapacity((count / stride + 1) * dimensions)
        for p in Swift.stride(from: 0, to: count, by: stride) {
            sample.append(contentsOf: points[(p * dimensions)..<((p + 1) * dimensions)])
        }
        if let initial, initial.count == k * dimensions {
            centroids = KMeans.lloyd(sample, dimensions: dimensions, k: k, centroids: initial,
                                     maxIterations: maxIterations).centroids
            return
        }
        var rng = SeededGenerator(seed: seed)
        var best: (centroids: [Float], inertia: Double)?
        for _ in 0..<max(1, restarts) {
            let seeds = KMeans.plusPlus(sample, dimensions: dimensions, k: k, rng: &rng)
            let fit = KMeans.lloyd(sample, dimensions: dimensions, k: k, centroids: seeds, maxIterations: maxIterations)
            if best == nil || fit.inertia < best!.inertia { best = fit }
        }
        centroids = best!.centroids
    }

    // MARK: Assigning

    /// The nearest centroid of each point (`count` labels).
    public func assign(_ points: [Float]) -> [Int] {
        KMeans.assign(points, dimensions: dimensions, k: k, centroids: centroids).labels
    }

    static func assign(_ points: [Float], dimensions d: Int, k: Int, centroids: [Float]) -> (labels: [Int], inertia: Double) {
        let count = points.count / d
        var labels = [Int](repeating: 0, count: count)
        var inertia = 0.0
        points.withUnsafeBufferPointer { p in
            centroids.withUnsafeBufferPointer { c in
                for i in 0..<count {
                    var best = 0, bestDistance = Float.infinity
                    for j in 0..<k {
                        var s: Float = 0
                        for e in 0..<d { let diff = p[i * d + e] - c[j * d + e]; s += diff * diff }
                        if s < bestDistance { bestDistance = s; best = j }
                    }
                    labels[i] = best
                    inertia += Double(bestDistance)
                }
            }
        }
        return (labels, inertia)
    }

    // MARK: Fitting

    private static func plusPlus(_ points: [Float], dimensions d: Int, k: Int, rng: inout SeededGenerator) -> [Float] {
        let count = points.count / d
        var centroids = [Float]()
        let first = Int(rng.nextUnit() * Double(count))
        centroids.append(contentsOf: points[(first * d)..<((first + 1) * d)])
        var nearest = [Double](repeating: .infinity, count: count)
        for j in 1..<max(k, 1) {
            let last = Array(centroids[((j - 1) * d)..<(j * d)])
            var total = 0.0
            for i in 0..<count {
                var s: Float = 0
                for e in 0..<d { let diff = points[i * d + e] - last[e]; s += diff * diff }
                nearest[i] = min(nearest[i], Double(s))
                total += nearest[i]
            }
            var pick = Int(rng.nextUnit() * Double(count))
            if total > 0 {
                var target = rng.nextUnit() * total
                for i in 0..<count {
                    target -= nearest[i]
                    if target <= 0 { pick = i; break }
                }
            }
            centroids.append(contentsOf: points[(pick * d)..<((pick + 1) * d)])
        }
        return centroids
    }

    private static func lloyd(_ points: [Float], dimensions d: Int, k: Int, centroids start: [Float],
                              maxIterations: Int) -> (centroids: [Float], inertia: Double) {
        var centroids = start
        var result = assign(points, dimensions: d, k: k, centroids: centroids)
        for _ in 0..<maxIterations {
            var sums = [Double](repeating: 0, count: k * d)
            var counts = [Int](repeating: 0, count: k)
            for (i, label) in result.labels.enumerated() {
                counts[label] += 1
                for e in 0..<d { sums[label * d + e] += Double(points[i * d + e]) }
            }
            for j in 0..<k where counts[j] > 0 {
                for e in 0..<d { centroids[j * d + e] = Float(sums[j * d + e] / Double(counts[j])) }
            }
            let next = assign(points, dimensions: d, k: k, centroids: centroids)
            let changed = next.labels != result.labels
            result = next
            if !changed { break }
        }
        return (centroids, result.inertia)
    }
}

// MARK: - Label matching

/// Relabelling of cluster labels so they agree with a previous labelling as much as possible.
public enum LabelMatching {
    /// The permutation `map` (new label → old label) maximising the pixels whose mapped label equals
    /// `previous`; exhaustive for k ≤ 8, greedy on the overlap counts above that.
    public static func bestPermutation(labels: [Int], previous: [Int], k: Int) -> [Int] {
        var overlap = [Int](repeating: 0, count: k * k)
        for (a, b) in zip(labels, previous) where a < k && b < k && a >= 0 && b >= 0 { overlap[a * k + b] += 1 }
        if k <= 8 {
            var current = [Int](repeating: 0, count: k), best = Array(0..<k), bestScore = -1
            var used = [Bool](repeating: false, count: k)
            func search(_ a: Int, _ score: Int) {
                if a == k {
                    if score > bestScore { bestScore = score; best = current }
                    return
                }
                for b in 0..<k where !used[b] {
                    used[b] = true; current[a] = b
                    search(a + 1, score + overlap[a * k + b])
                    used[b] = false
                }
            }
            search(0, 0)
            return best
        }
        var map = [Int](repeating: -1, count: k), usedOld = Set<Int>()
        let pairs = (0..<(k * k)).sorted { overlap[$0] > overlap[$1] || (overlap[$0] == overlap[$1] && $0 < $1) }
        for p in pairs {
            let a = p / k, b = p % k
            if map[a] == -1 && !usedOld.contains(b) { map[a] = b; usedOld.insert(b) }
        }
        return map
    }
}
