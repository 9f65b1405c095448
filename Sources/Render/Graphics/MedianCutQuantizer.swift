/// Reduces a bitmap to at most 256 colours for sixel: median cut (Heckbert 1982) over a histogram of
/// 15-bit colours, optionally with Floyd–Steinberg error diffusion.
///
/// The histogram has 32,768 bins (5 bits per channel) holding pixel counts and colour sums. Boxes of
/// occupied bins are split at the population median of their longest side, the box with the largest
/// count × side first, until there are `maxColors`; each palette entry is the mean colour of its box.
/// Pixels map to the box their bin fell in; dithered colours that land in an empty bin get the nearest
/// palette entry, found once per bin and remembered.
public struct MedianCutQuantizer: Sendable {
    /// The most palette entries (1–256).
    public var maxColors: Int
    /// Whether quantisation error is diffused to the neighbours (Floyd–Steinberg, serpentine).
    public var dither: Bool

    /// A quantiser for `maxColors` entries.
    public init(maxColors: Int = 256, dither: Bool = false) {
        self.maxColors = min(256, max(1, maxColors))
        self.dither = dither
    }

    /// A palette and one palette index per pixel.
    public struct Result: Equatable, Sendable {
        /// The palette (at most `maxColors` entries).
        public var palette: [RGB8]
        /// `width × height` indices into `palette`.
        public var indices: [UInt8]
    }

    private static let empty: UInt16 = 0xFFFF

    @inline(__always) static func key(_ r: Int, _ g: Int, _ b: Int) -> Int { (r >> 3) << 10 | (g >> 3) << 5 | b >> 3 }

    // MARK: Quantising

    /// The palette for `bitmap` and every pixel's index.
    public func quantize(_ bitmap: Bitmap) -> Result {
        var counts = [Int](repeating: 0, count: 32768)
        var sums = [SIMD4<Int>](repeating: .zero, count: 32768)
        bitmap.pixels.withUnsafeBufferPointer { px in
            counts.withUnsafeMutableBufferPointer { counts in
                sums.withUnsafeMutableBufferPointer { sums in
                    for p in px {
                        let k = Self.key(Int(p.r), Int(p.g), Int(p.b))
                        counts[k] += 1
                        sums[k] &+= SIMD4(Int(p.r), Int(p.g), Int(p.b), 0)
                    }
                }
            }
        }
        var bins: [Int32] = []
        for k in 0..<32768 where counts[k] > 0 { bins.append(Int32(k)) }
        let boxes = split(bins: &bins, counts: counts)
        var palette: [RGB8] = []
        var lookup = [UInt16](repeating: Self.empty, count: 32768)
        for (i, box) in boxes.enumerated() {
            var total = SIMD4<Int>.zero, n = 0
            for j in box {
                let k = Int(bins[j])
                total &+= sums[k]
                n += counts[k]
                lookup[k] = UInt16(i)
            }
            palette.append(RGB8(UInt8((total.x + n / 2) / n), UInt8((total.y + n / 2) / n), UInt8((total.z + n / 2) / n)))
        }
        let indices = dither ? diffuse(bitmap, palette: palette, lookup: &lookup) : map(bitmap, lookup: lookup)
        return Result(palette: palette, indices: indices)
    }

    /// Median cut over the occupied bins; returns each box as a range of `bins` (which it reorders).
    private func split(bins: inout [Int32], counts: [Int]) -> [Range<Int>] {
        struct Box { var range: Range<Int>; var count: Int; var axis: Int; var extent: Int }
        func describe(_ range: Range<Int>) -> Box {
            var lo = SIMD3<Int32>(repeating: 31), hi = SIMD3<Int32>(repeating: 0), n = 0
            for j in range {
                let k = bins[j]
                let c = SIMD3(k >> 10, k >> 5 & 31, k & 31)
                lo = pointwiseMin(lo, c); hi = pointwiseMax(hi, c)
                n += counts[Int(k)]
            }
            let side = hi &- lo
            let axis = side.x >= side.y && side.x >= side.z ? 0 : (side.y >= side.z ? 1 : 2)
            return Box(range: range, count: n, axis: axis, extent: Int(side[axis]))
        }
        var boxes = [describe(0..<bins.count)]
        while boxes.count < maxColors {
            guard let pick = boxes.indices.filter({ boxes[$0].range.count > 1 && boxes[$0].extent > 0 })
                .max(by: { boxes[$0].count * boxes[$0].extent < boxes[$1].count * boxes[$1].extent }) else { break }
            let box = boxes[pick]
            let shift = Int32([10, 5, 0][box.axis])
            bins[box.range].sort { ($0 >> shift) & 31 < ($1 >> shift) & 31 }
            // The first bin at which half the population is reached, kept inside the box.
            var acc = 0, cut = box.range.lowerBound + 1
            for j in box.range {
                acc += counts[Int(bins[j])]
                if acc * 2 >= box.count { cut = j + 1; break }
            }
            cut = min(max(cut, box.range.lowerBound + 1), box.range.upperBound - 1)
            boxes[pick] = describe(box.range.lowerBound..<cut)
            boxes.append(describe(cut..<box.range.upperBound))
        }
        return boxes.map(\.range)
    }

    // MARK: Mapping

    private func map(_ bitmap: Bitmap, lookup: [UInt16]) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: bitmap.pixels.count) { out, count in
            bitmap.pixels.withUnsafeBufferPointer { px in
                lookup.withUnsafeBufferPointer { table in
                    for i in 0..<px.count {
                        out[i] = UInt8(truncatingIfNeeded: table[Self.key(Int(px[i].r), Int(px[i].g), Int(px[i].b))])
                    }
                }
            }
            count = bitmap.pixels.count
        }
    }

    /// Floyd–Steinberg: 7/16 ahead, 3/16 behind below, 5/16 below, 1/16 ahead below; rows alternate direction.
    private func diffuse(_ bitmap: Bitmap, palette: [RGB8], lookup: inout [UInt16]) -> [UInt8] {
        let w = bitmap.width, h = bitmap.height
        var indices = [UInt8](repeating: 0, count: w * h)
        var current = [SIMD4<Int32>](repeating: .zero, count: w + 2)
        var next = [SIMD4<Int32>](repeating: .zero, count: w + 2)
        let colours = palette.map { SIMD4<Int32>(Int32($0.r), Int32($0.g), Int32($0.b), 0) }
        for y in 0..<h {
            let forward = y % 2 == 0
            for i in 0..<(w + 2) { next[i] = .zero }
            for step in 0..<w {
                let x = forward ? step : w - 1 - step
                let p = bitmap.pixels[y * w + x]
                // Errors are kept in 1/16ths.
                var c = SIMD4<Int32>(Int32(p.r), Int32(p.g), Int32(p.b), 0) &+ (current[x + 1] &>> 4)
                c = pointwiseMax(SIMD4(repeating: 0), pointwiseMin(SIMD4(repeating: 255), c))
                let k = Self.key(Int(c.x), Int(c.y), Int(c.z))
                var index = lookup[k]
                if index == Self.empty {
                    index = UInt16(Self.nearest(c, in: colours))
                    lookup[k] = index
                }
                indices[y * w + x] = UInt8(truncatingIfNeeded: index)
                let e = c &- colours[Int(index)]
                let ahead = forward ? x + 2 : x, behind = forward ? x : x + 2
                current[ahead] &+= e &* 7
                next[behind] &+= e &* 3
                next[x + 1] &+= e &* 5
                next[ahead] &+= e
            }
            swap(&current, &next)
        }
        return indices
    }

    private static func nearest(_ c: SIMD4<Int32>, in colours: [SIMD4<Int32>]) -> Int {
        var best = 0, bestDistance = Int32.max
        for (i, p) in colours.enumerated() {
            let d = c &- p
            let distance = (d &* d).wrappedSum()
            if distance < bestDistance { bestDistance = distance; best = i }
        }
        return best
    }
}
