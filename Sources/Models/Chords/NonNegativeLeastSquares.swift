/// Non-negative least squares, min ‖A x − y‖² subject to x ≥ 0, by Lawson and Hanson's active-set
/// method, worked on the normal equations: the Gram matrix G = AᵀA is factored once per problem
/// set-up and each right-hand side only needs b = Aᵀy. Every inner step solves the unconstrained
/// problem on the current passive set with a Cholesky factorisation of G restricted to it (the sets
/// stay small for music: a frame has a handful of notes), so a solve costs a few n² products.
public struct NonNegativeLeastSquares: Sendable {
    /// Number of unknowns.
    public let count: Int
    /// G = AᵀA, row-major `count × count`, with a tiny ridge on the diagonal against collinear columns.
    private let gram: [Double]

    // MARK: Set-up

    /// A solver for the columns of `matrix` (row-major `rows × columns`).
    public init(matrix: [Float], rows: Int, columns: Int) {
        precondition(matrix.count == rows * columns, "matrix size does not match rows × columns")
        count = columns
        var g = [Double](repeating: 0, count: columns * columns)
        for r in 0..<rows {
            let base = r * columns
            for i in 0..<columns {
                let ai = Double(matrix[base + i])
                guard ai != 0 else { continue }
                for j in i..<columns { g[i * columns + j] += ai * Double(matrix[base + j]) }
            }
        }
        for i in 0..<columns { for j in 0..<i { g[i * columns + j] = g[j * columns + i] } }
        var trace = 0.0
        for i in 0..<columns { trace += g[i * columns + i] }
        let ridge = 1e-9 * trace / Double(max(1, columns))
        for i in 0..<columns { g[i * columns + i] += ridge }
        gram = g
    }

    /// Aᵀy for a right-hand side `y` of the matrix the solver was built from.
    public static func correlate(_ matrix: [Float], rows: Int, columns: Int, with y: UnsafeBufferPointer<Float>,
                                 into b: inout [Double]) {
        for j in 0..<columns { b[j] = 0 }
        for r in 0..<rows {
            let v = Double(y[r])
            guard v != 0 else { continue }
            let base = r * columns
            for j in 0..<columns { b[j] += v * Double(matrix[base + j]) }
        }
    }

    // MARK: Solving

    /// The minimiser x ≥ 0 of ½ xᵀGx − bᵀx (the least-squares solution for b = Aᵀy).
    public func solve(_ b: [Double]) -> [Double] {
        precondition(b.count == count, "right-hand side has the wrong length")
        let n = count
        var x = [Double](repeating: 0, count: n)
        guard let bmax = b.max(), bmax > 0 else { return x }
        var passive = [Bool](repeating: false, count: n)
        var order: [Int] = []          // the passive set, in the order variables entered
        var w = b                      // the negative gradient b − Gx
        let tolerance = 1e-10 * bmax * Double(n)
        var z = [Double](repeating: 0, count: n)
        var outer = 0
        while outer < 3 * n {
            outer += 1
            // The most promising variable outside the passive set.
            var best = -1, bestW = tolerance
            for j in 0..<n where !passive[j] && w[j] > bestW { best = j; bestW = w[j] }
            guard best >= 0 else { break }
            passive[best] = true
            order.append(best)
            var inner = 0
            while true {
                inner += 1
                guard solvePassive(order, b, &z) else {
                    // Numerically singular: drop the newest variable and stop growing.
                    passive[best] = false
                    order.removeLast()
                    return x
                }
                var feasible = true
                for j in order where z[j] <= 0 { feasible = false; break }
                if feasible || inner > n {
                    for j in 0..<n { x[j] = passive[j] ? max(0, z[j]) : 0 }
                    break
                }
                // Step from x towards z until the first passive variable reaches zero.
                var alpha = 1.0
                for j in order where z[j] <= 0 {
                    let denominator = x[j] - z[j]
                    if denominator > 0 { alpha = min(alpha, x[j] / denominator) }
                }
                for j in order { x[j] += alpha * (z[j] - x[j]) }
                order.removeAll { j in
                    if x[j] <= 1e-14 * bmax { passive[j] = false; x[j] = 0; return true }
                    return false
                }
                if order.isEmpty { break }
            }
            // w = b − Gx over the variables outside the passive set.
            gram.withUnsafeBufferPointer { g in
                for j in 0..<n where !passive[j] {
                    var s = b[j]
                    let row = j * n
                    for i in order { s -= g[row + i] * x[i] }
                    w[j] = s
                }
            }
        }
        return x
    }

    /// Solves G_PP z_P = b_P for the passive set `order` by Cholesky; false when G_PP is not positive definite.
    private func solvePassive(_ order: [Int], _ b: [Double], _ z: inout [Double]) -> Bool {
        let p = order.count, n = count
        var l = [Double](repeating: 0, count: p * p)
        let ok = gram.withUnsafeBufferPointer { g -> Bool in
            for i in 0..<p {
                for j in 0...i {
                    var s = g[order[i] * n + order[j]]
                    for k in 0..<j { s -= l[i * p + k] * l[j * p + k] }
                    if i == j {
                        guard s > 0 else { return false }
                        l[i * p + i] = s.squareRoot()
                    } else {
                        l[i * p + j] = s / l[j * p + j]
                    }
                }
            }
            return true
        }
        guard ok else { return false }
        var v = [Double](repeating: 0, count: p)
        for i in 0..<p {
            var s = b[order[i]]
            for k in 0..<i { s -= l[i * p + k] * v[k] }
            v[i] = s / l[i * p + i]
        }
        for i in stride(from: p - 1, through: 0, by: -1) {
            var s = v[i]
            for k in (i + 1)..<p { s -= l[k * p + i] * v[k] }
            v[i] = s / l[i * p + i]
        }
        for j in 0..<n { z[j] = 0 }
        for i in 0..<p { z[order[i]] = v[i] }
        return true
    }
}
