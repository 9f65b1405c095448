import XCTest
@testable import Engine

final class TensorTests: XCTestCase {
    func testReshapeSharesAndCopyOnWrite() {
        let a = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        var b = a.reshaped([3, -1])
        XCTAssertEqual(b.shape, [3, 2])
        XCTAssertEqual(b[2, 1], 6)
        b[0, 0] = 42
        XCTAssertEqual(a[0, 0], 1)
        XCTAssertEqual(b[0, 0], 42)
    }

    func testRandomIsReproducible() {
        XCTAssertEqual(Tensor.uniform([10], seed: 3).scalars, Tensor.uniform([10], seed: 3).scalars)
        let n = Tensor.normal([10_000], seed: 1).scalars
        let mean = n.reduce(0, +) / Float(n.count)
        XCTAssertEqual(mean, 0, accuracy: 0.05)
    }
}
