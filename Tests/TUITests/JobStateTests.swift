import Models
import XCTest
@testable import TUI

/// A run's clock: working time that stops while paused and at the end, and the time left.
final class JobStateTests: XCTestCase {
    private func job() -> JobState {
        JobState(request: RunRequest(runID: 1, modelID: "deepdream", inputPath: nil, parameters: ModelParameters(defaults: [])),
                 modelName: "DeepDream", phase: .running, startedAt: 100)
    }

    func testElapsedStopsWhilePausedAndAtTheEnd() {
        var j = job()
        XCTAssertEqual(j.elapsed(at: 110), 10)
        j.enter(.paused, at: 110)
        XCTAssertEqual(j.elapsed(at: 130), 10, "paused time does not count")
        j.enter(.paused, at: 120)  // a second pause while paused changes nothing
        j.enter(.running, at: 130)
        XCTAssertEqual(j.elapsed(at: 135), 15)
        j.enter(.finished, at: 140)
        XCTAssertEqual(j.elapsed(at: 500), 20, "the clock stops when the run ends")
        XCTAssertEqual(j.endedAt, 140)
    }

    func testStoppingWhilePausedEndsTheClockAtThePause() {
        var j = job()
        j.enter(.paused, at: 105)
        j.enter(.cancelled, at: 150)
        XCTAssertEqual(j.elapsed(at: 200), 5)
    }

    func testRemainingTimeFromTheOverallProgress() {
        var j = job()
        j.progress = 0.01
        XCTAssertNil(j.remaining(at: 101), "too early to tell")
        j.progress = 0.25
        XCTAssertEqual(j.remaining(at: 110) ?? -1, 30, accuracy: 1e-9)  // 10 s for a quarter
        j.enter(.paused, at: 110)
        XCTAssertEqual(j.remaining(at: 200) ?? -1, 30, accuracy: 1e-9, "pausing does not make the rest look longer")
        j.progress = 1
        XCTAssertNil(j.remaining(at: 200))
        XCTAssertEqual(StatusBar.progressText(j, now: 200), "100% · 10s")
    }
}
