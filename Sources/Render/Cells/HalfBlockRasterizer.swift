import Media

/// Turns images into `CellGrid`s: fit into a box of cells, area-averaged downsampling
/// (optionally in linear light), alpha composited over a background colour.
public struct HalfBlockRasterizer: Sendable {
    /// Average in linear light instead of sRGB values (more faithful for fine detail, a little slower).
    public var linearLight: Bool
    /// The colour behind transparent pixels.
    public var background: RGB8

    public init(linearLight: Bool = false, background: RGB8 = RGB8(0, 0, 0)) {
        self.linearLight = linearLight
        self.background = background
    }

    // MARK: Entry points

    /// The grid for an image fitted into `columns × rows` cells.
    public func grid(for image: Image, columns: Int, rows: Int) -> CellGrid {
        let size = CellLayout.fit(width: image.width, height: image.height, columns: columns, rows: rows)
        return grid(for: image, width: size.width, height: size.height)
    }

    /// The grid for an 8-bit image fitted into `columns × rows` cells.
    public func grid(for image: PackedImage, columns: Int, rows: Int) -> CellGrid {
        image.withPixels { grid(for: $0, columns: columns, rows: rows) }
    }

    /// The grid for borrowed 8-bit pixels fitted into `columns × rows` cells.
    public func grid(for pixels: PackedPixels, columns: Int, rows: Int) -> CellGrid {
        let size = CellLayout.fit(width: pixels.width, height: pixels.height, columns: columns, rows: rows)
        return grid(for: pixels, width: size.width, height: size.height)
    }

    /// The grid for an image scaled to exactly `width × height` pixels (`height` even).
    public func grid(for image: Image, width: Int, height: Int) -> CellGrid {
        CellGrid(columns: width, rows: height / 2, pixels: pixels(for: image, width: width, height: height))
    }

    /// The grid for an 8-bit image scaled to exactly `width × height` pixels (`height` even).
    public func grid(for image: PackedImage, width: Int, height: Int) -> CellGrid {
        image.withPixels { grid(for: $0, width: width, height: height) }
    }

    /// The grid for borrowed 8-bit pixels scaled to exactly `width × height` pixels (`height` even).
    public func grid(for pixels: PackedPixels, width: Int, height: Int) -> CellGrid {
        CellGrid(columns: width, rows: height / 2, pixels: self.pixels(for: pixels, width: width, height: height))
    }

    // MARK: Pixels for pixel graphics

    /// An image area-averaged to exactly `width × height` opaque pixels (any height), rows top to bottom.
    public func pixels(for image: Image, width: Int, height: Int) -> [RGB8] {
        SRGBTransfer.linearTable4096.withUnsafeBufferPointer { table in
            image.pixels.withUnsafeBufferPointer { pixels in
                let source = SourceRows(base: UnsafeRawPointer(pixels.baseAddress!), width: image.width, height: image.height,
                                        layout: image.hasAlpha ? .float4 : .float3, table: linearLight ? table.baseAddress : nil)
                return rasterize(source, width: width, height: height)
            }
        }
    }

    /// Borrowed 8-bit pixels area-averaged to exactly `width × height` opaque pixels (any height).
    public func pixels(for pixels: PackedPixels, width: Int, height: Int) -> [RGB8] {
        SRGBTransfer.linearOf8Bit.withUnsafeBufferPointer { table in
            let source = SourceRows(base: pixels.bytes.baseAddress!, width: pixels.width, height: pixels.height,
                                    layout: pixels.isOpaque ? .bytesOpaque : .bytes, table: linearLight ? table.baseAddress : nil)
            return rasterize(source, width: width, height: height)
        }
    }

    // MARK: Area averaging

    /// Vertical-first area averaging: each output row accumulates the source rows it covers
    /// (weighted by overlap, alpha premultiplied), then the accumulated row is reduced horizontally.
    private func rasterize(_ source: SourceRows, width: Int, height: Int) -> [RGB8] {
        var pixels = [RGB8](repeating: background, count: width * height)
        guard width > 0, height > 0 else { return pixels }
        let ys = AreaSpans(input: source.height, output: height)
        let xs = AreaSpans(input: source.width, output: width)
        var bg = SIMD3<Float>(Float(background.r), Float(background.g), Float(background.b)) * (1 / 255)
        let linear = linearLight
        if linear { bg = SIMD3(SRGBTransfer.toLinear(bg.x), SRGBTransfer.toLinear(bg.y), SRGBTransfer.toLinear(bg.z)) }
        let scale = source.unitScale
        pixels.withUnsafeMutableBufferPointer { out in
            let outBase = out.baseAddress!
            Parallel.forRanges(height, chunks: 2, minimumCount: 16) { rows in
                let row = UnsafeMutablePointer<SIMD4<Float>>.allocate(capacity: source.width)
                let sums = UnsafeMutablePointer<UInt16>.allocate(capacity: source.width * 4)
                let averages = UnsafeMutablePointer<SIMD4<Float>>.allocate(capacity: width)
                defer { row.deallocate(); sums.deallocate(); averages.deallocate() }
                xs.runs.withUnsafeBufferPointer { runs in
                    xs.weights.withUnsafeBufferPointer { weights in
                        for oy in rows {
                            source.accumulate(spans: ys, output: oy, into: row, sums: sums)
                            for ox in 0..<width {
                                let run = runs[ox]
                                let taps = row + run.first, w = weights.baseAddress! + run.offset
                                var acc = SIMD4<Float>.zero
                                for k in 0..<run.count { acc += taps[k] * w[k] }
                                averages[ox] = acc
                            }
                            Self.finish(averages, count: width, scale: scale, background: bg, linear: linear,
                                        into: outBase + oy * width)
                        }
                    }
                }
            }
        }
        return pixels
    }

    /// Turns a row of accumulated premultiplied sums into colours: × `scale`, composited over the
    /// background (premultiplied colour + (1 − alpha) · background), back from linear light if asked,
    /// clamped and rounded to 8 bits. Flat loops over the channels, so that the compiler keeps
    /// several pixels in vector registers; the arithmetic is the same, operation by operation, as
    /// the per-pixel SIMD3 code this replaced (RenderGoldenBytesTests pins the bytes).
    @inline(__always)
    private static func finish(_ sums: UnsafeMutablePointer<SIMD4<Float>>, count: Int, scale: Float,
                               background bg: SIMD3<Float>, linear: Bool, into out: UnsafeMutablePointer<RGB8>) {
        let f = UnsafeMutableRawPointer(sums).assumingMemoryBound(to: Float.self)
        let bgR = bg.x, bgG = bg.y, bgB = bg.z
        if linear {
            for i in 0..<count {
                let r = f[4 * i] * scale, g = f[4 * i + 1] * scale, b = f[4 * i + 2] * scale, a = f[4 * i + 3] * scale
                let t = 1 - min(max(a, 0), 1)
                out[i] = RGB8(byte(SRGBTransfer.fromLinear(r + bgR * t)), byte(SRGBTransfer.fromLinear(g + bgG * t)),
                              byte(SRGBTransfer.fromLinear(b + bgB * t)))
            }
        } else {
            for i in 0..<count {
                let r = f[4 * i] * scale, g = f[4 * i + 1] * scale, b = f[4 * i + 2] * scale, a = f[4 * i + 3] * scale
                let t = 1 - min(max(a, 0), 1)
                out[i] = RGB8(byte(r + bgR * t), byte(g + bgG * t), byte(b + bgB * t))
            }
        }
    }

    /// The 8-bit value of a 0…1 intensity: clamped (NaN to 0), × 255 + 0.5, truncated. The same as
    /// `UInt8(v.clamped(to: 0...1) * 255 + 0.5)` without its trap checks: the truncated value, an
    /// integer below 2^23, is the low byte of its sum with 2^23.
    @inline(__always) static func byte(_ v: Float) -> UInt8 {
        let q = (v > 0 ? (v < 1 ? v : 1) : 0) * 255 + 0.5
        return UInt8(truncatingIfNeeded: (q.rounded(.towardZero) + 8_388_608).bitPattern)
    }
}

// MARK: - Source rows

/// Raw access to the rows of a source image, with one tight accumulation loop per pixel layout.
private struct SourceRows {
    enum Layout { case bytesOpaque, bytes, float3, float4 }
    let base: UnsafeRawPointer
    let width: Int
    let height: Int
    let layout: Layout
    /// Linear-light table (256 entries for bytes, 4097 for floats), or nil for sRGB averaging.
    let table: UnsafePointer<Float>?

    /// Factor from accumulated units to 0…1 (bytes are summed as 0…255 when no table is used).
    var unitScale: Float {
        switch layout {
        case .bytesOpaque, .bytes: return table == nil ? 1 / 255 : 1
        case .float3, .float4: return 1
        }
    }

    /// Sets `acc` to the weighted sum of the source rows of output row `output` (premultiplied RGBA).
    @inline(__always)
    func accumulate(spans: AreaSpans, output: Int, into acc: UnsafeMutablePointer<SIMD4<Float>>,
                    sums: UnsafeMutablePointer<UInt16>) {
        let run = spans.runs[output]
        let first = run.first, offset = run.offset
        guard layout == .bytesOpaque, table == nil else {
            acc.initialize(repeating: .zero, count: width)
            for k in 0..<run.count { accumulate(row: first + k, weight: spans.weights[offset + k], into: acc) }
            return
        }
        // Opaque bytes: rows fully inside the footprint share one weight, so their bytes are summed
        // as integers (16 lanes per instruction) and scaled once; partial rows go through floats.
        // The first contribution is stored rather than added, which saves clearing the buffers
        // and gives the same bits (0 + x = x).
        let n = width * 4
        var whole = 0
        var wholeWeight: Float = 0
        var started = false
        for k in 0..<run.count {
            let w = spans.weights[offset + k]
            if spans.isWhole[offset + k] && whole < 257 {
                let src = (base + (first + k) * n).assumingMemoryBound(to: UInt8.self)
                if whole == 0 {
                    for i in 0..<n { sums[i] = UInt16(src[i]) }
                } else {
                    for i in 0..<n { sums[i] &+= UInt16(src[i]) }
                }
                whole += 1
                wholeWeight = w
            } else {
                accumulateOpaque(row: first + k, weight: w, into: acc, assigning: !started)
                started = true
            }
        }
        let flat = UnsafeMutableRawPointer(acc).assumingMemoryBound(to: Float.self)
        if whole > 0 {
            if started {
                for i in 0..<n { flat[i] += Float(sums[i]) * wholeWeight }
            } else {
                for i in 0..<n { flat[i] = Float(sums[i]) * wholeWeight }
            }
        } else if !started {
            acc.initialize(repeating: .zero, count: width)
        }
    }

    /// Adds (or stores, when `assigning`) `weight ×` opaque byte row `y` into `acc`.
    @inline(__always)
    func accumulateOpaque(row y: Int, weight w: Float, into acc: UnsafeMutablePointer<SIMD4<Float>>, assigning: Bool) {
        let src = (base + y * width * 4).assumingMemoryBound(to: UInt8.self)
        let flat = UnsafeMutableRawPointer(acc).assumingMemoryBound(to: Float.self)
        if assigning {
            for i in 0..<(width * 4) { flat[i] = Float(src[i]) * w }
        } else {
            for i in 0..<(width * 4) { flat[i] += Float(src[i]) * w }
        }
    }

    /// Adds `weight ×` source row `y` (alpha-premultiplied, alpha in the unit of the colour) to `acc`.
    @inline(__always)
    func accumulate(row y: Int, weight w: Float, into acc: UnsafeMutablePointer<SIMD4<Float>>) {
        switch (layout, table) {
        case (.bytesOpaque, nil):
            let src = (base + y * width * 4).assumingMemoryBound(to: UInt8.self)
            let flat = UnsafeMutableRawPointer(acc).assumingMemoryBound(to: Float.self)
            for i in 0..<(width * 4) { flat[i] += Float(src[i]) * w }
        case (.bytes, nil):
            let src = base + y * width * 4
            for x in 0..<width {
                let p = SIMD4<Float>(src.load(fromByteOffset: x * 4, as: SIMD4<UInt8>.self))
                let a = p.w * (1 / 255) * w
                acc[x] += SIMD4(p.x * a, p.y * a, p.z * a, p.w * w)
            }
        case (.bytesOpaque, let lut?), (.bytes, let lut?):
            let src = (base + y * width * 4).assumingMemoryBound(to: UInt8.self)
            for x in 0..<width {
                let p = src + x * 4
                let a = Float(p[3]) * (1 / 255) * w
                acc[x] += SIMD4(lut[Int(p[0])] * a, lut[Int(p[1])] * a, lut[Int(p[2])] * a, a)
            }
        case (.float3, nil):
            let src = (base + y * width * 12).assumingMemoryBound(to: Float.self)
            for x in 0..<width {
                let p = src + x * 3
                acc[x] += SIMD4(p[0], p[1], p[2], 1) * w
            }
        case (.float4, nil):
            let src = (base + y * width * 16).assumingMemoryBound(to: Float.self)
            for x in 0..<width {
                let p = src + x * 4
                let a = p[3] * w
                acc[x] += SIMD4(p[0] * a, p[1] * a, p[2] * a, a)
            }
        case (.float3, let lut?), (.float4, let lut?):
            let channels = layout == .float3 ? 3 : 4
            let src = (base + y * width * channels * 4).assumingMemoryBound(to: Float.self)
            @inline(__always) func lin(_ v: Float) -> Float { lut[Int(min(max(v, 0), 1) * 4096)] }
            for x in 0..<width {
                let p = src + x * channels
                let a = (channels == 4 ? p[3] : 1) * w
                acc[x] += SIMD4(lin(p[0]) * a, lin(p[1]) * a, lin(p[2]) * a, a)
            }
        }
    }
}

// MARK: - Area spans

/// For each output index: the run of input indices it covers and their overlap weights (summing
/// to 1), flattened into plain arrays for the inner loops.
struct AreaSpans {
    /// The inputs of one output: `count` of them from `first`, their weights from `offset` in `weights`.
    struct Run {
        var first: Int
        var count: Int
        var offset: Int
    }

    var runs: [Run] = []
    var weights: [Float] = []
    /// Whether the input index lies wholly inside the output's footprint.
    var isWhole: [Bool] = []

    init(input: Int, output: Int) {
        let scale = Double(input) / Double(output)
        runs.reserveCapacity(output)
        for i in 0..<output {
            let lo = Double(i) * scale, hi = Double(i + 1) * scale
            var j = min(input - 1, Int(lo))
            let first = j, offset = weights.count
            var n = 0
            repeat {
                let overlap = min(hi, Double(j + 1)) - max(lo, Double(j))
                weights.append(Float(max(overlap, 0) / scale))
                isWhole.append(overlap >= 1 - 1e-9)
                n += 1
                j += 1
            } while Double(j) < hi - 1e-9 && j < input
            runs.append(Run(first: first, count: n, offset: offset))
        }
    }
}
