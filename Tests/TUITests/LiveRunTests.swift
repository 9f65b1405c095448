import XCTest
import Media
import TestSupport
@testable import TUI

/// A model run end to end in the core: frames stream into Preview, keys keep working.
final class LiveRunTests: XCTestCase {
    override func tearDown() { Fixture.cleanUp() }

    private func startRun(_ core: WorkbenchCore) {
        core.press(.character(":"))
        core.type("dream \(Fixture.assets)/images/sample.png --steps 2")
        core.press(.enter)
    }

    func testFramesStreamIntoPreviewAndStatusBar() throws {
        let (core, screen) = try Fixture.core(model: FakeDreamModel(frames: 6, delay: 0.05))
        startRun(core)
        XCTAssertEqual(core.state.preview.source, .run)
        XCTAssertTrue(core.waitUntil { $0.job?.frames ?? 0 >= 2 })
        core.render(on: screen)
        let first = screen.takeRaw()
        XCTAssertFalse(first.isEmpty)
        XCTAssertTrue(screen.line(35).contains("Fake Dream"), screen.line(35))
        XCTAssertTrue(screen.line(35).contains("octave 1/1 · step"), screen.line(35))
        let frames = core.state.job!.frames
        XCTAssertTrue(core.waitUntil { $0.job?.frames ?? 0 > frames })
        usleep(40_000)
        core.render(on: screen)
        let second = screen.takeRaw()
        XCTAssertFalse(second.isEmpty, "a new frame writes its changed cells")
        XCTAssertLessThan(second.count, first.count, "later frames write only the changed cells")
        XCTAssertTrue(core.waitUntil { $0.job?.phase == .finished })
        XCTAssertEqual(core.state.job?.result, "image 16×16")
        XCTAssertGreaterThan(core.state.job?.framesPerSecond ?? 0, 0)
    }

    func testPauseStopSaveAndRerun() throws {
        let dir = try TemporaryDirectory(prefix: "mlwb-save")
        defer { dir.remove() }
        let (core, screen) = try Fixture.core(model: FakeDreamModel(frames: 400, delay: 0.01), directory: dir.path)
        startRun(core)
        XCTAssertTrue(core.waitUntil { $0.job?.frames ?? 0 >= 1 })
        core.press(.character("p"))
        XCTAssertEqual(core.state.job?.phase, .paused)
        XCTAssertEqual(core.effects.last, .pauseRun(runID: 1, paused: true))
        usleep(100_000)
        core.drainInbox()
        let frozen = core.state.job!.frames
        usleep(150_000)
        core.drainInbox()
        XCTAssertEqual(core.state.job!.frames, frozen, "no frames arrive while paused")
        core.press(.character("p"))
        XCTAssertEqual(core.state.job?.phase, .running)
        XCTAssertTrue(core.waitUntil { $0.job!.frames > frozen })
        // Save the current frame: a save-as prompt with a free name under MLWB_HOME/outputs.
        core.press(.character("s"))
        XCTAssertTrue(core.waitUntil { $0.savePrompt != nil })
        let proposed = try XCTUnwrap(core.state.savePrompt?.editor.text)
        XCTAssertTrue(proposed.hasPrefix(core.state.outputsDirectory + "/deepdream-"), proposed)
        XCTAssertTrue(proposed.contains("-run1-frame") && proposed.hasSuffix(".png"), proposed)
        core.press(.enter)
        XCTAssertTrue(core.waitUntil { !($0.job?.saved.isEmpty ?? true) })
        let saved = try XCTUnwrap(core.state.job?.saved.first)
        XCTAssertEqual(saved, proposed)
        XCTAssertEqual(try PNGCodec.load(saved).width, 16)
        XCTAssertTrue(core.state.message?.text.contains("saved \(saved)") ?? false)
        // The confirmation shows in the status bar although the run's progress usually has it.
        XCTAssertTrue(core.state.job?.phase.isLive ?? false)
        core.render(on: screen)
        XCTAssertTrue(screen.line(35).contains("✓ saved"), screen.line(35))
        // Rerun with a changed parameter: the old run is cancelled, a new one starts.
        core.press(.character("1"), .escape, .enter, .down, .right)
        core.press(.character("r"))
        XCTAssertEqual(core.state.job?.request.runID, 2)
        XCTAssertEqual(core.state.job?.request.parameters.int("steps"), 3)
        XCTAssertTrue(core.effects.contains(.cancelRun(runID: 1)))
        // Stop.
        core.press(.character("x"))
        XCTAssertEqual(core.state.job?.phase, .cancelled)
        XCTAssertEqual(core.effects.last, .cancelRun(runID: 2))
        let after = core.state.job!.frames
        usleep(100_000)
        core.drainInbox()
        XCTAssertEqual(core.state.job!.frames, after, "a stopped run sends nothing more")
    }

    func testKeysAreHandledQuicklyWhileARunStreams() throws {
        let (core, screen) = try Fixture.core(model: FakeDreamModel(frames: 2000, delay: 0.002))
        startRun(core)
        XCTAssertTrue(core.waitUntil { $0.job?.frames ?? 0 >= 1 })
        var worst = 0.0
        for i in 0..<40 {
            let t0 = MonotonicClock.seconds()
            core.handle(i % 2 == 0 ? .down : .up)
            core.drainInbox()
            core.render(on: screen)
            worst = max(worst, MonotonicClock.seconds() - t0)
        }
        core.press(.character("x"))
        XCTAssertLessThan(worst, 0.05, "key to screen took \(worst * 1000) ms")
    }

    func testRunWithoutInputAsksForOne() throws {
        let (core, _) = try Fixture.core()
        core.press(.character("r"))
        XCTAssertNil(core.state.job)
        XCTAssertTrue(core.state.message?.text.contains("pick an image") ?? false)
    }

    func testCanvasAnimationPlaysAndStops() throws {
        let (core, screen) = try Fixture.core(directory: Fixture.assets + "/images")
        core.press(.character("2"), .down)
        XCTAssertEqual(core.state.media.current?.name, "sample.png")
        core.press(.character("a"))
        XCTAssertTrue(core.state.animating)
        XCTAssertTrue(core.waitUntil { $0.preview.info.first?.contains("frame 3") ?? false })
        core.render(on: screen)
        XCTAssertFalse(screen.takeRaw().isEmpty)
        core.press(.character("a"))
        XCTAssertFalse(core.state.animating)
    }
}
