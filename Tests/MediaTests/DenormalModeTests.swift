import Foundation
import XCTest
@testable import Media

/// `DenormalMode`: subnormal products are flushed to zero on the calling thread while it is set,
/// and on `Parallel`'s worker threads when the caller has it set.
final class DenormalModeTests: XCTestCase {
    /// 2^-70: its square, 2^-140, is subnormal (below 2^-126).
    private static let small: [Float] = [Float(sign: .plus, exponent: -70, significand: 1)]
    /// A subnormal, 2^-140.
    private static let subnormal: [Float] = [Float(sign: .plus, exponent: -140, significand: 1)]

    /// `values[0] · values[1 % count]` where the optimiser cannot fold it.
    @inline(never) private static func product(_ values: [Float], _ other: Float? = nil) -> Float {
        values[0] * (other ?? values[0])
    }

    override func setUpWithError() throws {
        try XCTSkipUnless(DenormalMode.isAvailable, "no flush-to-zero control on this CPU architecture")
    }

    func testFlushToZeroOnTheCallingThreadAndBack() {
        XCTAssertEqual(DenormalMode.current, .preserve, "threads start with IEEE gradual underflow")
        XCTAssertTrue(Self.product(Self.small).isSubnormal)
        XCTAssertTrue(Self.product(Self.subnormal, 1).isSubnormal)
        DenormalMode.with(.flushToZero) {
            XCTAssertEqual(DenormalMode.current, .flushToZero)
            XCTAssertEqual(Self.product(Self.small), 0, "a subnormal result is flushed to zero")
            XCTAssertEqual(Self.product(Self.subnormal, 1), 0, "a subnormal input is read as zero")
            XCTAssertEqual(Self.product([0.5], 3), 1.5, "normal arithmetic is untouched")
            DenormalMode.with(.preserve) { XCTAssertTrue(Self.product(Self.small).isSubnormal) }
            XCTAssertEqual(DenormalMode.current, .flushToZero, "an inner scope gives the outer mode back")
        }
        XCTAssertEqual(DenormalMode.current, .preserve)
        XCTAssertTrue(Self.product(Self.small).isSubnormal)
    }

    func testParallelWorkersRunInTheCallersMode() {
        let caller = pthread_self()
        for mode in [DenormalMode.flushToZero, .preserve] {
            let lock = NSLock()
            var seen: [(mode: DenormalMode, product: Float, onCaller: Bool)] = []
            DenormalMode.with(mode) {
                Parallel.forRanges(64, chunks: 64, minimumCount: 1) { _ in
                    let entry = (DenormalMode.current, Self.product(Self.small), pthread_equal(pthread_self(), caller) != 0)
                    usleep(200)  // long enough for the pool's workers to take chunks too
                    lock.lock(); seen.append(entry); lock.unlock()
                }
            }
            XCTAssertEqual(seen.count, 64)
            XCTAssertTrue(seen.allSatisfy { $0.mode == mode }, "every chunk ran in the caller's mode (\(mode))")
            XCTAssertTrue(seen.allSatisfy { mode == .flushToZero ? $0.product == 0 : $0.product.isSubnormal })
            if ProcessInfo.processInfo.activeProcessorCount > 1 {
                XCTAssertTrue(seen.contains { !$0.onCaller }, "some chunks ran on worker threads")
            }
            XCTAssertEqual(DenormalMode.current, .preserve)
        }
    }
}
