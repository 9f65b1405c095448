/// Non-negative least squares, min ‖A x − y‖² subject to x ≥ 0, by Lawson and Hanson's active-set
/// method worked on the normal equations: the Gram matrix G = AᵀA is formed once for a dictionary and
/// each right-hand side only needs b = Aᵀy (from a sparse copy of A). Every inner step solves the
/// unconstrained problem on the passive set with a Cholesky factor of G restricted to it, grown by one
/// row when a variable enters and rebuilt when some leave, so a solve costs a few passive-set-sized
/// products (music has a handful of notes per frame).
public struct NonNegativeLeastSquares: Sendable {
    /// Number of unknowns (columns of A).
    public let count: Int
    /// Number of rows of A.
    public let rows: Int
    /// G = AᵀA, row-major `count × count`, with a tiny ridge on the diagonal against collinear columns.
    private let gram: [Double]
    /// The non-zeros of A row by row: `rowStarts[r]..<rowStarts[r + 1]` index `columns` and `values`.
    private let rowStarts: [Int32], columns: [Int32], values: [Double]
    /// A variable enters the passive set only while its gradient exceeds this fraction of max(Aᵀy).
    public let tolerance: Double

    // MARK: Set-up

    /// A solver for the columns of `matrix` (row-major `rows × columns`). With the default `tolerance` the
    /// solution is exact to rounding; a larger one (1e-3) stops once no variable left out would lower
    /// the residual by more than that fraction, which saves the last, tiny entries.
    public init(matrix: [Float], rows: Int, columns: Int, tolerance: Double = 1e-10) {
        precondition(matrix.count == rows * columns, "matrix size does not match rows × columns")
        count = columns
        self.rows = rows
        self.tolerance = tolerance
        var starts: [Int32] = [0], indices: [Int32] = [], nonZeros: [Double] = []
        for r in 0..<rows {
            for j in 0..<columns where matrix[r * columns + j] != 0 {
                indices.append(Int32(j))
                nonZeros.append(Double(matrix[r * columns + j]))
            }
            starts.append(Int32(indices.count))
        }
        rowStarts = starts
        self.columns = indices
        values = nonZeros
        var g = [Double](repeating: 0, count: columns * columns)
        for r in 0..<rows {
            let from = Int(starts[r]), to = Int(starts[r + 1])
            for a in from..<to {
                let i = Int(indices[a]), vi = nonZeros[a]
                for c in a..<to { g[i * columns + Int(indices[c])] += vi * nonZeros[c] }
            }
        }
        for i in 0..<columns { for j in 0..<i { g[i * columns + j] = g[j * columns + i] } }
        var trace = 0.0
        for i in 0..<columns { trace += g[i * columns + i] }
        let ridge = 1e-9 * trace / Double(max(1, columns))
        for i in 0..<columns { g[i * columns + i] += ridge }
        gram = g
    }

    /// Scratch space for one thread's solves (reuse it across frames; never share it between threads).
    public final class Workspace {
        let count: Int
        /// One allocation holding x, b, w, z, v and the factor (count × count).
        private let storage: UnsafeMutablePointer<Double>
        let x, b, w, z, v, factor: UnsafeMutablePointer<Double>
        let passive: UnsafeMutablePointer<Bool>
        /// The passive set in the order its variables entered.
        let order: UnsafeMutablePointer<Int>
        var orderCount = 0

        /// Space for problems with `count` unknowns.
        public init(count: Int) {
            self.count = count
            storage = .allocate(capacity: 5 * count + count * count)
            storage.initialize(repeating: 0, count: 5 * count + count * count)
            x = storage; b = storage + count; w = storage + 2 * count; z = storage + 3 * count; v = storage + 4 * count
            factor = storage + 5 * count
            passive = .allocate(capacity: count)
            passive.initialize(repeating: false, count: count)
            order = .allocate(capacity: count)
            order.initialize(repeating: 0, count: count)
        }

        deinit {
            storage.deallocate()
            passive.deallocate()
            order.deallocate()
        }

        /// The last solution.
        public var solution: UnsafeBufferPointer<Double> { UnsafeBufferPointer(start: x, count: count) }
    }

    // MARK: Solving

    /// Solves for right-hand side `y` (`rows` values); the solution is left in `workspace.x`.
    public func solve(_ y: UnsafeBufferPointer<Float>, _ workspace: Workspace) {
        precondition(y.count >= rows, "right-hand side has the wrong length")
        precondition(workspace.count == count, "workspace of the wrong size")
        let b = workspace.b
        for j in 0..<count { b[j] = 0 }
        rowStarts.withUnsafeBufferPointer { s in
            columns.withUnsafeBufferPointer { c in
                values.withUnsafeBufferPointer { v in
                    for r in 0..<rows {
                        let yr = Double(y[r])
                        guard yr != 0 else { continue }
                        for a in Int(s[r])..<Int(s[r + 1]) { b[Int(c[a])] += yr * v[a] }
                    }
                }
            }
        }
        solveNormal(workspace)
    }

    /// The minimiser x ≥ 0 of ½ xᵀGx − bᵀx for a given b = Aᵀy.
    public func solve(normal b: [Double]) -> [Double] {
        precondition(b.count == count, "right-hand side has the wrong length")
        let workspace = Workspace(count: count)
        for j in 0..<count { workspace.b[j] = b[j] }
        solveNormal(workspace)
        return Array(workspace.solution)
    }

    /// Lawson–Hanson on `workspace.b`.
    private func solveNormal(_ ws: Workspace) {
        let n = count
        let x = ws.x, b = ws.b, w = ws.w, z = ws.z, passive = ws.passive, order = ws.order
        var bmax = 0.0
        for j in 0..<n { x[j] = 0; passive[j] = false; w[j] = b[j]; bmax = max(bmax, b[j]) }
        ws.orderCount = 0
        guard bmax > 0 else { return }
        let tolerance = self.tolerance * bmax
        gram.withUnsafeBufferPointer { g in
            var outer = 0
            while outer < 3 * n {
                outer += 1
                // The most promising variable outside the passive set.
                var best = -1, bestW = tolerance
                for j in 0..<n where !passive[j] && w[j] > bestW { best = j; bestW = w[j] }
                guard best >= 0 else { break }
                passive[best] = true
                order[ws.orderCount] = best
                ws.orderCount += 1
                guard extendFactor(g, ws) else {
                    // Numerically dependent on the passive set: leave it out and stop growing.
                    passive[best] = false
                    ws.orderCount -= 1
                    break
                }
                var inner = 0
                while true {
                    inner += 1
                    solvePassive(ws)
                    let p = ws.orderCount
                    var feasible = true
                    for i in 0..<p where z[order[i]] <= 0 { feasible = false; break }
                    if feasible || inner > n {
                        for i in 0..<p { x[order[i]] = max(0, z[order[i]]) }
                        break
                    }
                    // Step from x towards z until the first passive variable reaches zero.
                    var alpha = 1.0
                    for i in 0..<p where z[order[i]] <= 0 {
                        let j = order[i], denominator = x[j] - z[j]
                        if denominator > 0 { alpha = min(alpha, x[j] / denominator) }
                    }
                    var kept = 0
                    for i in 0..<p {
                        let j = order[i]
                        x[j] += alpha * (z[j] - x[j])
                        if x[j] <= 1e-14 * bmax {
                            passive[j] = false
                            x[j] = 0
                        } else {
                            order[kept] = j
                            kept += 1
                        }
                    }
                    ws.orderCount = kept
                    if kept == 0 { break }
                    if kept != p { rebuildFactor(g, ws) }
                }
                // w = b − Gx over the variables outside the passive set.
                let p = ws.orderCount
                for j in 0..<n where !passive[j] {
                    var s = b[j]
                    let row = j * n
                    for i in 0..<p { s -= g[row + order[i]] * x[order[i]] }
                    w[j] = s
                }
            }
        }
    }

    /// Adds the last variable of the passive set to the Cholesky factor (row p of L, stride `count`);
    /// false when it would make the factor singular.
    private func extendFactor(_ g: UnsafeBufferPointer<Double>, _ ws: Workspace) -> Bool {
        let n = count, p = ws.orderCount - 1, j = ws.order[p], l = ws.factor, order = ws.order
        var diagonal = g[j * n + j]
        for k in 0..<p {
            var s = g[j * n + order[k]]
            for m in 0..<k { s -= l[p * n + m] * l[k * n + m] }
            let value = s / l[k * n + k]
            l[p * n + k] = value
            diagonal -= value * value
        }
        guard diagonal > 1e-12 * g[j * n + j] else { return false }
        l[p * n + p] = diagonal.squareRoot()
        return true
    }

    /// Refactors the whole passive set after variables left it.
    private func rebuildFactor(_ g: UnsafeBufferPointer<Double>, _ ws: Workspace) {
        let all = Array(UnsafeBufferPointer(start: ws.order, count: ws.orderCount))
        ws.orderCount = 0
        for j in all {
            ws.order[ws.orderCount] = j
            ws.orderCount += 1
            if !extendFactor(g, ws) {
                ws.orderCount -= 1
                ws.passive[j] = false
                ws.x[j] = 0
            }
        }
    }

    /// Solves G_PP z_P = b_P with the factor; z is set on the passive set only.
    private func solvePassive(_ ws: Workspace) {
        let n = count, p = ws.orderCount, l = ws.factor, v = ws.v, order = ws.order
        for i in 0..<p {
            var s = ws.b[order[i]]
            for k in 0..<i { s -= l[i * n + k] * v[k] }
            v[i] = s / l[i * n + i]
        }
        for i in stride(from: p - 1, through: 0, by: -1) {
            var s = v[i]
            for k in (i + 1)..<p { s -= l[k * n + i] * v[k] }
            v[i] = s / l[i * n + i]
        }
        for i in 0..<p { ws.z[order[i]] = v[i] }
    }
}
