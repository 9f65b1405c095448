// MARK: - Strided copy and fill

/// Copies (or fills) a strided view of a float buffer — the data movement behind Slice, Pad, Concat and
/// Transpose.
///
/// Both views share one shape; each has its own element strides (any sign). Extent-1 axes are dropped and
/// neighbouring axes that both views step through contiguously are merged first, so the two innermost
/// loops run over the longest possible rows and the odometer only ticks once per plane.
enum StridedCopy {
    /// Element count above which a copy splits its outermost axis across threads.
    static let parallelThreshold = 1 << 18

    // MARK: Axis simplification

    /// `shape` without extent-1 axes and with neighbours merged wherever every stride list steps through
    /// them contiguously (stride[a] == stride[a + 1] · extent[a + 1]).
    static func simplified(_ shape: [Int], _ strides: [[Int]]) -> (shape: [Int], strides: [[Int]]) {
        var s: [Int] = []
        var st = [[Int]](repeating: [], count: strides.count)
        for a in 0..<shape.count where shape[a] != 1 {
            let mergeable = !s.isEmpty && strides.indices.allSatisfy { st[$0].last! == strides[$0][a] * shape[a] }
            if mergeable {
                s[s.count - 1] *= shape[a]
                for k in strides.indices { st[k][st[k].count - 1] = strides[k][a] }
            } else {
                s.append(shape[a])
                for k in strides.indices { st[k].append(strides[k][a]) }
            }
        }
        return (s, st)
    }

    // MARK: Copy

    /// dst[Σ i·dstStrides] = src[Σ i·srcStrides] for every index i of `shape`.
    static func copy(_ shape: [Int], from src: UnsafePointer<Float>, strides srcStrides: [Int],
                     to dst: UnsafeMutablePointer<Float>, strides dstStrides: [Int]) {
        if shape.contains(0) { return }
        let (s, st) = simplified(shape, [srcStrides, dstStrides])
        let a = st[0], b = st[1]
        if s.isEmpty { dst.pointee = src.pointee; return }
        let total = s.reduce(1, *)
        if total >= parallelThreshold && s.count >= 2 && s[0] >= 2 {
            // Split the outermost axis; the workers write disjoint slabs.
            let innerShape = Array(s.dropFirst()), ia = Array(a.dropFirst()), ib = Array(b.dropFirst())
            let srcs = SharedPointer(src), dsts = SharedPointer(dst), a0 = a[0], b0 = b[0]
            parallelChunks(s[0], costPerItem: total / s[0]) { range in
                for i in range { copySimplified(innerShape, srcs.p + i * a0, ia, dsts.p + i * b0, ib) }
            }
        } else {
            copySimplified(s, src, a, dst, b)
        }
    }

    /// The copy loops over an already simplified (non-empty) shape.
    static func copySimplified(_ s: [Int], _ src: UnsafePointer<Float>, _ a: [Int],
                               _ dst: UnsafeMutablePointer<Float>, _ b: [Int]) {
        let r = s.count
        if r == 0 { dst.pointee = src.pointee; return }
        let n = s[r - 1], sa = a[r - 1], sb = b[r - 1]
        let m = r >= 2 ? s[r - 2] : 1, ra = r >= 2 ? a[r - 2] : 0, rb = r >= 2 ? b[r - 2] : 0
        forEachPlane(Array(s.prefix(max(0, r - 2))), a, b) { offA, offB in
            var pa = src + offA, pb = dst + offB
            for _ in 0..<m {
                copyRow(n, pa, sa, pb, sb)
                pa += ra; pb += rb
            }
        }
    }

    /// One row: `n` elements stepping `sa` in the source and `sb` in the destination.
    @inline(__always)
    static func copyRow(_ n: Int, _ src: UnsafePointer<Float>, _ sa: Int, _ dst: UnsafeMutablePointer<Float>, _ sb: Int) {
        if sa == 1 && sb == 1 {
            if n >= 16 { dst.update(from: src, count: n) } else { for j in 0..<n { dst[j] = src[j] } }
        } else {
            for j in 0..<n { dst[j * sb] = src[j * sa] }
        }
    }

    // MARK: Fill

    /// dst[Σ i·strides] = value for every index i of `shape`.
    static func fill(_ shape: [Int], _ dst: UnsafeMutablePointer<Float>, strides: [Int], value: Float) {
        if shape.contains(0) { return }
        let (s, st) = simplified(shape, [strides])
        let b = st[0], r = s.count
        if r == 0 { dst.pointee = value; return }
        let n = s[r - 1], sb = b[r - 1]
        let m = r >= 2 ? s[r - 2] : 1, rb = r >= 2 ? b[r - 2] : 0
        forEachPlane(Array(s.prefix(max(0, r - 2))), b, b) { _, off in
            var p = dst + off
            for _ in 0..<m {
                if sb == 1 { p.update(repeating: value, count: n) } else { for j in 0..<n { p[j * sb] = value } }
                p += rb
            }
        }
    }

    // MARK: Odometer

    /// Calls `body(offsetA, offsetB)` for every index of `outer` (the leading axes of a simplified shape)
    /// in row-major order, with the offsets of that index under the leading strides of `a` and `b`.
    @inline(__always)
    static func forEachPlane(_ outer: [Int], _ a: [Int], _ b: [Int], _ body: (Int, Int) -> Void) {
        let r = outer.count
        if r == 0 { body(0, 0); return }
        var idx = [Int](repeating: 0, count: r)
        var offA = 0, offB = 0
        let count = outer.reduce(1, *)
        for _ in 0..<count {
            body(offA, offB)
            var ax = r - 1
            while ax >= 0 {
                idx[ax] += 1; offA += a[ax]; offB += b[ax]
                if idx[ax] < outer[ax] { break }
                offA -= a[ax] * outer[ax]; offB -= b[ax] * outer[ax]
                idx[ax] = 0
                ax -= 1
            }
        }
    }
}
