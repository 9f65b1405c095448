/// Separable resampling of interleaved float planes with any number of channels
/// (images, masks, feature maps).
public enum Resampling {
    /// Resizes `samples` (`width * height * channels`, interleaved) to `toWidth × toHeight`.
    public static func resize(_ samples: [Float], channels: Int, width: Int, height: Int,
                              toWidth: Int, toHeight: Int, filter: ResizeFilter = .automatic) -> [Float] {
        precondition(samples.count == width * height * channels, "sample count does not match the size")
        precondition(toWidth > 0 && toHeight > 0, "empty target size")
        if width == toWidth && height == toHeight { return samples }
        // Nothing to sample from (a zero-frame spectrogram, an empty plane): the target is all zeros.
        guard width > 0, height > 0, channels > 0 else { return [Float](repeating: 0, count: toWidth * toHeight * max(0, channels)) }
        let xs = WeightTable(inSize: width, outSize: toWidth, filter: filter)
        let ys = WeightTable(inSize: height, outSize: toHeight, filter: filter)

        // Horizontal pass: height × toWidth, then vertical pass: toHeight × toWidth.
        var middle = [Float](repeating: 0, count: height * toWidth * channels)
        samples.withUnsafeBufferPointer { src in
            middle.withUnsafeMutableBufferPointer { dst in
                let s = src.baseAddress!, d = dst.baseAddress!
                Parallel.forRanges(height) { rows in for y in rows {
                    let row = s + y * width * channels, out = d + y * toWidth * channels
                    for x in 0..<toWidth {
                        let start = xs.starts[x], count = xs.counts[x], w0 = xs.offsets[x]
                        for c in 0..<channels {
                            var acc: Float = 0
                            for k in 0..<count { acc += row[(start + k) * channels + c] * xs.weights[w0 + k] }
                            out[x * channels + c] = acc
                        }
                    }
                } }
            }
        }
        var result = [Float](repeating: 0, count: toHeight * toWidth * channels)
        let rowLength = toWidth * channels
        middle.withUnsafeBufferPointer { src in
            result.withUnsafeMutableBufferPointer { dst in
                let s = src.baseAddress!, d = dst.baseAddress!
                Parallel.forRanges(toHeight) { rows in for y in rows {
                    let start = ys.starts[y], count = ys.counts[y], w0 = ys.offsets[y]
                    let out = d + y * rowLength
                    for k in 0..<count {
                        let w = ys.weights[w0 + k]
                        let row = s + (start + k) * rowLength
                        for i in 0..<rowLength { out[i] += row[i] * w }
                    }
                } }
            }
        }
        return result
    }
}

// MARK: - Weight tables

/// For each output coordinate along one axis: which input pixels contribute and with what weights.
struct WeightTable {
    var starts: [Int] = []
    var counts: [Int] = []
    var offsets: [Int] = []
    var weights: [Float] = []

    init(inSize: Int, outSize: Int, filter: ResizeFilter) {
        precondition(inSize > 0 && outSize > 0, "a weight table needs input and output pixels")
        let scale = Double(inSize) / Double(outSize)
        var chosen = filter
        if filter == .automatic { chosen = scale >= 1 ? .area : .bicubic }
        for i in 0..<outSize {
            var row: [(Int, Double)] = []
            switch chosen {
            case .area:
                let lo = Double(i) * scale, hi = Double(i + 1) * scale
                var j = Int(lo.rounded(.down))
                while Double(j) < hi && j < inSize {
                    let overlap = min(hi, Double(j + 1)) - max(lo, Double(j))
                    if overlap > 1e-12 { row.append((j, overlap)) }
                    j += 1
                }
            case .nearest:
                let j = min(inSize - 1, Int((Double(i) + 0.5) * scale))
                row.append((j, 1))
            default:
                let stretch = max(scale, 1)
                let center = (Double(i) + 0.5) * scale
                let radius = chosen.support * stretch
                let lo = max(0, Int((center - radius).rounded(.down)))
                let hi = min(inSize - 1, Int((center + radius).rounded(.up)))
                if lo <= hi {
                    for j in lo...hi {
                        let w = chosen.kernel((Double(j) + 0.5 - center) / stretch)
                        if w != 0 { row.append((j, w)) }
                    }
                }
                if row.isEmpty { row.append((min(inSize - 1, max(0, Int(center))), 1)) }
            }
            let total = row.reduce(0) { $0 + $1.1 }
            starts.append(row.first!.0)
            counts.append(row.last!.0 - row.first!.0 + 1)
            offsets.append(weights.count)
            // Store a dense run from the first to the last contributing pixel.
            var dense = [Float](repeating: 0, count: row.last!.0 - row.first!.0 + 1)
            for (j, w) in row { dense[j - row.first!.0] = Float(w / total) }
            weights.append(contentsOf: dense)
        }
    }
}
