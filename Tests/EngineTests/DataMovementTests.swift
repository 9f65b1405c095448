import XCTest
@testable import Engine

/// Slice, Pad, Concat and Transpose (all built on `StridedCopy`) against index-by-index references.
final class DataMovementTests: XCTestCase {
    // MARK: References

    /// Row-major multi-index of flat position `i` in `shape`.
    func multiIndex(_ i: Int, _ shape: [Int]) -> [Int] {
        var idx = [Int](repeating: 0, count: shape.count), rest = i
        for a in stride(from: shape.count - 1, through: 0, by: -1) { idx[a] = rest % shape[a]; rest /= shape[a] }
        return idx
    }

    /// Flat position of a multi-index in `shape`.
    func flat(_ idx: [Int], _ shape: [Int]) -> Int {
        var f = 0
        for a in 0..<shape.count { f = f * shape[a] + idx[a] }
        return f
    }

    /// numpy.pad, one output element at a time.
    func naivePad(_ x: Tensor, before: [Int], after: [Int], mode: PadMode) -> Tensor {
        let shape = (0..<x.rank).map { x.shape[$0] + before[$0] + after[$0] }
        var y = Tensor(shape: shape, repeating: 0)
        for i in 0..<y.count {
            var src: [Int] = [], constant = false
            for (a, o) in multiIndex(i, shape).enumerated() {
                let n = x.shape[a]
                var j = o - before[a]
                if j < 0 || j >= n {
                    switch mode {
                    case .constant: constant = true
                    case .edge: j = j < 0 ? 0 : n - 1
                    case .wrap: j = ((j % n) + n) % n
                    case .reflect:
                        while j < 0 || j >= n { j = j < 0 ? -j : 2 * (n - 1) - j }
                    }
                }
                src.append(j)
            }
            if constant, case .constant(let v) = mode { y[flat: i] = v } else { y[flat: i] = x[flat: flat(src, x.shape)] }
        }
        return y
    }

    // MARK: Pad

    func testPadMatchesNumpyOnEveryModeAndAxisLayout() {
        // Padded inner axis, padded outer axes only (trailing blocks), both, and a size-1 trailing axis.
        let layouts: [([Int], [Int], [Int])] = [
            ([2, 3, 7], [0, 1, 3], [0, 2, 2]),
            ([3, 4, 5], [1, 2, 0], [2, 0, 0]),
            ([1, 6, 9, 1], [0, 0, 4, 0], [0, 0, 0, 0]),
            ([1, 5, 1], [0, 3, 0], [0, 4, 0]),
            ([2, 4, 3, 2], [1, 0, 2, 0], [0, 3, 1, 0]),
            ([1, 1, 40], [0, 0, 16], [0, 0, 16]),
        ]
        for (k, (shape, before, after)) in layouts.enumerated() {
            let x = Tensor.uniform(shape, seed: UInt64(10 + k))
            for mode in [PadMode.constant(0.5), .reflect, .edge, .wrap] {
                // Reflect needs at least two elements on every padded axis.
                if mode == .reflect, (0..<shape.count).contains(where: { before[$0] + after[$0] > 0 && shape[$0] < 2 }) { continue }
                let y = Pad.forward(x, before: before, after: after, mode: mode)
                XCTAssertEqual(y.scalars, naivePad(x, before: before, after: after, mode: mode).scalars, "\(shape) \(before) \(after) \(mode)")
            }
        }
    }

    func testPadWithoutPaddingKeepsValues() {
        let x = Tensor.uniform([2, 3], seed: 1)
        XCTAssertEqual(Pad.forward(x, before: [0, 0], after: [0, 0], mode: .reflect).scalars, x.scalars)
    }

    // MARK: Slice

    func testSliceMatchesReferenceWithStepsAndSizeOneAxes() {
        let x = Tensor.uniform([2, 5, 9, 1], seed: 3)
        let cases = [
            SliceParameters(starts: [0, 1, 2, 0], steps: [1, 1, 1, 1], counts: [2, 3, 7, 1]),
            SliceParameters(starts: [1, 4, 8, 0], steps: [1, -1, -2, 1], counts: [1, 5, 5, 1]),
            SliceParameters(starts: [0, 0, 0, 0], steps: [1, 2, 3, 1], counts: [2, 3, 3, 1]),
            SliceParameters(starts: [0, 0, 0, 0], steps: [1, 1, 1, 1], counts: [2, 5, 9, 1]),
            SliceParameters(starts: [0, 0, 0, 0], steps: [1, 1, 1, 1], counts: [2, 0, 9, 1]),
        ]
        for p in cases {
            let y = StridedSlice.forward(x, p)
            XCTAssertEqual(y.shape, p.counts)
            for i in 0..<y.count {
                let idx = multiIndex(i, p.counts)
                let src = (0..<4).map { p.starts[$0] + idx[$0] * p.steps[$0] }
                XCTAssertEqual(y[flat: i], x[flat: flat(src, x.shape)], "\(p) at \(idx)")
            }
        }
    }

    // MARK: Concat and Transpose

    func testConcatAlongTheLastAxisInterleaves() {
        let parts = (0..<3).map { Tensor.uniform([2, 4, 1], seed: UInt64(20 + $0)) }
        let y = Concat.forward(parts, axis: -1)
        XCTAssertEqual(y.shape, [2, 4, 3])
        for i in 0..<2 { for j in 0..<4 { for k in 0..<3 { XCTAssertEqual(y[i, j, k], parts[k][i, j, 0]) } } }
        let back = Concat.backward(y, inputShapes: parts.map(\.shape), axis: -1)
        for k in 0..<3 { XCTAssertEqual(back[k].scalars, parts[k].scalars) }
        // Uneven and empty parts take the general path.
        let uneven = [Tensor.uniform([2, 0], seed: 30), Tensor.uniform([2, 2], seed: 31), Tensor.uniform([2, 1], seed: 32)]
        let z = Concat.forward(uneven, axis: 1)
        XCTAssertEqual(z.shape, [2, 3])
        XCTAssertEqual(z.scalars, [uneven[1][0, 0], uneven[1][0, 1], uneven[2][0, 0], uneven[1][1, 0], uneven[1][1, 1], uneven[2][1, 0]])
    }

    func testTransposeMatchesReference() {
        let x = Tensor.uniform([2, 3, 4, 5], seed: 4)
        for perm in [[0, 2, 1, 3], [3, 1, 0, 2], [0, 3, 1, 2], [1, 0, 3, 2], [2, 3, 0, 1]] {
            let y = Transpose.forward(x, perm: perm)
            XCTAssertEqual(y.shape, perm.map { x.shape[$0] })
            for i in 0..<y.count {
                let idx = multiIndex(i, y.shape)
                var src = [Int](repeating: 0, count: 4)
                for (o, a) in perm.enumerated() { src[a] = idx[o] }
                XCTAssertEqual(y[flat: i], x[flat: flat(src, x.shape)], "\(perm) at \(idx)")
            }
        }
    }

    func testLargeStridedCopySplitsAcrossThreadsCorrectly() {
        // Above StridedCopy.parallelThreshold, so the outermost axis is split between workers.
        let x = Tensor.uniform([4, 300, 2, 120], seed: 5)
        let y = Transpose.forward(x, perm: [0, 3, 1, 2])
        for (b, c, h, w) in [(0, 0, 0, 0), (3, 119, 299, 1), (2, 57, 123, 0), (1, 3, 7, 1)] {
            XCTAssertEqual(y[b, c, h, w], x[b, h, w, c])
        }
    }
}
