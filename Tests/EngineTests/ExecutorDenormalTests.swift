import Foundation
import Media
import XCTest
@testable import Engine

/// Forward and backward passes flush subnormals to zero on every thread that computes them (the
/// caller, `Parallel`'s workers, OpenBLAS's pool), where the same kernels outside a pass keep them.
final class ExecutorDenormalTests: XCTestCase {
    /// 2^-70: a product of two is 2^-140, a sum of 64 such products 2^-134, both subnormal.
    private static let small = Float(sign: .plus, exponent: -70, significand: 1)

    override func setUpWithError() throws {
        try XCTSkipUnless(DenormalMode.isAvailable, "no flush-to-zero control on this CPU architecture")
        try XCTSkipUnless(Executor.denormalMode == .flushToZero, "MLWB_DENORMALS=preserve is set")
    }

    private func counts(_ t: Tensor) -> (zero: Int, subnormal: Int) {
        t.withUnsafeBufferPointer { b in (b.filter { $0 == 0 }.count, b.filter(\.isSubnormal).count) }
    }

    /// A 1×1 convolution, 64 → 64 channels at 64×64 (16.7 M multiply-adds: a parallel GEMM), whose
    /// every output and input gradient is a sum of subnormal products.
    func testConvolutionPassesFlushWhereTheBareKernelDoesNot() throws {
        let x = Tensor(shape: [1, 64, 64, 64], repeating: Self.small)
        let w = Tensor(shape: [64, 64, 1, 1], repeating: Self.small)
        let g = GraphBuilder()
        g.output(g.conv2d(g.input("x"), weight: w, name: "conv"), name: "y")
        let executor = Executor(g.build())

        let bare = DenormalMode.with(.preserve) { Conv2D.forward(x, weight: w, params: Conv2DParameters()) }
        // (OpenBLAS's pool threads flush anyway, so only the caller's share is kept; see below.)
        XCTAssertGreaterThan(counts(bare).subnormal, 0, "outside a pass the kernel keeps subnormal sums")

        let (y, dx) = try DenormalMode.with(.preserve) {
            try executor.gradient(["x": x], target: "y", wrt: "x") { Tensor(shape: $0.shape, repeating: Self.small) }
        }
        XCTAssertEqual(counts(y).zero, y.count, "the forward pass flushed every output")
        XCTAssertEqual(counts(dx).zero, dx.count, "the backward pass flushed every input gradient")
        XCTAssertEqual(DenormalMode.current, .preserve, "the caller's mode is given back")
    }

    /// OpenBLAS's pool threads flush for good (they took FTZ/DAZ when the library was loaded): in a
    /// two-thread GEMM called from a thread that keeps subnormals, their share comes out zero.
    func testOpenBLASPoolThreadsFlush() throws {
        try XCTSkipUnless(ProcessInfo.processInfo.activeProcessorCount > 1, "OpenBLAS has no pool threads on one core")
        let threads = ComputeThreads.count
        ComputeThreads.set(2)
        defer { ComputeThreads.set(threads) }
        let a = Tensor(shape: [512, 64], repeating: Self.small), b = Tensor(shape: [64, 512], repeating: Self.small)
        let c = DenormalMode.with(.preserve) { MatMul.forward(a, b) }
        let (zero, subnormal) = counts(c)
        XCTAssertEqual(zero + subnormal, c.count)
        XCTAssertGreaterThan(zero, 0, "the pool thread's part is flushed")
        XCTAssertGreaterThan(subnormal, 0, "the calling thread's part (preserving) is not")
    }
}
