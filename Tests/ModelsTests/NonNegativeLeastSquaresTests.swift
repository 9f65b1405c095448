import Media
@testable import Models
import XCTest

/// Lawson–Hanson NNLS: exact on problems with a known answer, and optimal (KKT conditions) on random ones.
final class NonNegativeLeastSquaresTests: XCTestCase {
    /// A random `rows × columns` matrix with non-negative entries, row-major.
    func matrix(_ rows: Int, _ columns: Int, _ rng: inout SeededGenerator, density: Double = 0.5) -> [Float] {
        (0..<(rows * columns)).map { _ in Double.random(in: 0..<1, using: &rng) < density ? Float.random(in: 0..<1, using: &rng) : 0 }
    }

    func testRecoversANonNegativeMixture() {
        var rng = SeededGenerator(seed: 5)
        let rows = 60, columns = 12
        let a = matrix(rows, columns, &rng)
        var truth = [Double](repeating: 0, count: columns)
        truth[2] = 1.5; truth[7] = 0.25; truth[11] = 3
        let y = (0..<rows).map { r in Float((0..<columns).reduce(0.0) { $0 + Double(a[r * columns + $1]) * truth[$1] }) }
        let solver = NonNegativeLeastSquares(matrix: a, rows: rows, columns: columns)
        let workspace = NonNegativeLeastSquares.Workspace(count: columns)
        y.withUnsafeBufferPointer { solver.solve($0, workspace) }
        for j in 0..<columns { XCTAssertEqual(workspace.solution[j], truth[j], accuracy: 1e-4, "x[\(j)]") }
    }

    func testSatisfiesTheOptimalityConditions() {
        var rng = SeededGenerator(seed: 9)
        for trial in 0..<20 {
            let rows = 40, columns = 15
            let a = matrix(rows, columns, &rng, density: 0.4)
            let y = (0..<rows).map { _ in Float.random(in: -0.5..<1, using: &rng) }
            let solver = NonNegativeLeastSquares(matrix: a, rows: rows, columns: columns)
            let workspace = NonNegativeLeastSquares.Workspace(count: columns)
            y.withUnsafeBufferPointer { solver.solve($0, workspace) }
            let x = Array(workspace.solution)
            // Gradient g = Aᵀ(Ax − y): zero where x > 0, non-negative where x = 0.
            let residual = (0..<rows).map { r in (0..<columns).reduce(-Double(y[r])) { $0 + Double(a[r * columns + $1]) * x[$1] } }
            for j in 0..<columns {
                let g = (0..<rows).reduce(0.0) { $0 + Double(a[$1 * columns + j]) * residual[$1] }
                XCTAssertGreaterThanOrEqual(x[j], 0, "trial \(trial) x[\(j)]")
                if x[j] > 1e-9 { XCTAssertEqual(g, 0, accuracy: 1e-4, "trial \(trial) gradient at active \(j)") }
                else { XCTAssertGreaterThan(g, -1e-4, "trial \(trial) gradient at zero \(j)") }
            }
        }
    }

    func testAToleranceLeavesOutOnlyNegligibleVariables() {
        var rng = SeededGenerator(seed: 21)
        let rows = 50, columns = 20
        let a = matrix(rows, columns, &rng, density: 0.5)
        let y = (0..<rows).map { _ in Float.random(in: 0..<1, using: &rng) }
        let exact = NonNegativeLeastSquares(matrix: a, rows: rows, columns: columns)
        let loose = NonNegativeLeastSquares(matrix: a, rows: rows, columns: columns, tolerance: 1e-3)
        let w1 = NonNegativeLeastSquares.Workspace(count: columns), w2 = NonNegativeLeastSquares.Workspace(count: columns)
        y.withUnsafeBufferPointer { exact.solve($0, w1); loose.solve($0, w2) }
        func residual(_ x: UnsafeBufferPointer<Double>) -> Double {
            (0..<rows).reduce(0.0) { sum, r in
                let e = (0..<columns).reduce(-Double(y[r])) { $0 + Double(a[r * columns + $1]) * x[$1] }
                return sum + e * e
            }
        }
        XCTAssertLessThanOrEqual(residual(w1.solution), residual(w2.solution) + 1e-9)
        XCTAssertEqual(residual(w2.solution), residual(w1.solution), accuracy: 0.01 * residual(w1.solution))
    }

    func testZeroAndNegativeRightHandSidesGiveZero() {
        let a: [Float] = [1, 0, 0, 1, 1, 1]
        let solver = NonNegativeLeastSquares(matrix: a, rows: 3, columns: 2)
        XCTAssertEqual(solver.solve(normal: [0, 0]), [0, 0])
        XCTAssertEqual(solver.solve(normal: [-1, -2]), [0, 0])
        // Collinear columns: a solution exists and is non-negative.
        let twin = NonNegativeLeastSquares(matrix: [1, 1, 2, 2, 3, 3], rows: 3, columns: 2)
        let x = twin.solve(normal: [14, 14])
        XCTAssertEqual(x[0] + x[1], 1, accuracy: 1e-6)
        XCTAssertTrue(x.allSatisfy { $0 >= 0 })
    }
}
