// MARK: - Strided iteration

/// Row-major strides of a contiguous shape.
@inline(__always)
func contiguousStrides(_ shape: [Int]) -> [Int] {
    var s = [Int](repeating: 1, count: shape.count), acc = 1
    for i in stride(from: shape.count - 1, through: 0, by: -1) { s[i] = acc; acc *= shape[i] }
    return s
}

/// Visits `shape` in row-major order one innermost run at a time: `body(offsets, flat, n)`, where
/// `offsets[k]` is the offset of the run's first element under `strides[k]` (starting from `bases[k]`)
/// and `flat` its row-major position; the caller steps along the run with `strides[k].last`.
@inline(__always)
func forEachStridedRun(_ shape: [Int], _ strides: [[Int]], bases: [Int]? = nil,
                       _ body: (UnsafeMutableBufferPointer<Int>, Int, Int) -> Void) {
    let k = strides.count, r = shape.count
    let offsets = UnsafeMutableBufferPointer<Int>.allocate(capacity: max(k, 1))
    defer { offsets.deallocate() }
    for j in 0..<k { offsets[j] = bases?[j] ?? 0 }
    if r == 0 { body(offsets, 0, 1); return }
    if shape.contains(0) { return }
    let inner = shape[r - 1]
    var outer = 1
    for d in shape.dropLast() { outer *= d }
    var idx = [Int](repeating: 0, count: r)
    for o in 0..<outer {
        body(offsets, o * inner, inner)
        var ax = r - 2
        while ax >= 0 {
            idx[ax] += 1
            for j in 0..<k { offsets[j] += strides[j][ax] }
            if idx[ax] < shape[ax] { break }
            for j in 0..<k { offsets[j] -= strides[j][ax] * shape[ax] }
            idx[ax] = 0
            ax -= 1
        }
    }
}
