import Foundation
import Models
import XCTest

/// A paused run blocks its compute loop until resumed or cancelled.
final class PauseGateTests: XCTestCase {
    func testComputeLoopBlocksWhilePausedAndGoesOnWhenResumed() {
        let gate = PauseGate()
        gate.set(paused: true)
        let released = expectation(description: "the loop went on after resume")
        let start = Date()
        let elapsed = LockedBox<Double>(0)
        Thread.detachNewThread {
            gate.waitWhilePaused()
            elapsed.value = Date().timeIntervalSince(start)
            released.fulfill()
        }
        Thread.sleep(forTimeInterval: 0.4)
        XCTAssertTrue(gate.isPaused)
        gate.set(paused: false)
        wait(for: [released], timeout: 5)
        XCTAssertGreaterThanOrEqual(elapsed.value, 0.35, "the loop ran on while paused")
    }

    func testCancellingAPausedRunReleasesIt() {
        let gate = PauseGate()
        gate.set(paused: true)
        let cancelled = LockedBox<Bool>(false)
        let released = expectation(description: "released by cancellation")
        Thread.detachNewThread {
            gate.waitWhilePaused(isCancelled: { cancelled.value })
            released.fulfill()
        }
        Thread.sleep(forTimeInterval: 0.1)
        cancelled.value = true
        wait(for: [released], timeout: 2)
        XCTAssertTrue(gate.isPaused, "cancellation does not resume the gate")
    }

    func testUnpausedGateDoesNotWait() async {
        let gate = PauseGate()
        let start = Date()
        gate.waitWhilePaused()
        await gate.wait()
        XCTAssertLessThan(Date().timeIntervalSince(start), 0.1)
    }
}

/// A value shared with a test thread.
private final class LockedBox<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: T
    init(_ value: T) { stored = value }
    var value: T {
        get { lock.lock(); defer { lock.unlock() }; return stored }
        set { lock.lock(); stored = newValue; lock.unlock() }
    }
}
