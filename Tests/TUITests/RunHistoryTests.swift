import Foundation
import Media
import TestSupport
import XCTest
@testable import TUI

/// Runs kept on disk: frames to scrub through, before/after, the history list, presets.
final class RunHistoryTests: XCTestCase {
    override func tearDown() { Fixture.cleanUp() }

    private func runToTheEnd(_ core: WorkbenchCore, steps: Int = 2) {
        core.press(.character(":"))
        core.type("dream \(Fixture.assets)/images/sample.png --steps \(steps)")
        core.press(.enter)
        XCTAssertTrue(core.waitUntil(timeout: 10) { $0.job?.phase == .finished })
    }

    private func historyRoot(_ core: WorkbenchCore) -> String { core.runner.history.root }

    func testARunKeepsFramesAndItsRecordOnDisk() throws {
        let (core, _) = try Fixture.core(model: FakeDreamModel(frames: 12, delay: 0.05))
        runToTheEnd(core)
        let kept = try XCTUnwrap(core.state.job?.recorded)
        XCTAssertGreaterThanOrEqual(kept.count, 3, "frames 0.2 s apart and the last")
        XCTAssertLessThan(kept.count, 12, "not every frame")
        XCTAssertEqual(kept.first, 1)
        XCTAssertEqual(kept.last, 12)
        // The record is written on the history queue: wait for it to say how the run ended.
        var records: [RunRecord] = []
        XCTAssertTrue(core.waitUntil { _ in
            records = core.runner.history.readAll()
            return records.first?.outcome != nil
        })
        let record = try XCTUnwrap(records.first)
        XCTAssertEqual(record.modelID, "deepdream")
        XCTAssertEqual(record.outcome, "finished: image 16×16")
        XCTAssertEqual(record.parameters["steps"], "2")
        XCTAssertEqual(record.frames, kept)
        XCTAssertEqual(Set(record.frames).count, record.frames.count, "the final picture is not counted twice")
        let folder = historyRoot(core) + "/" + record.folder
        for frame in kept {
            XCTAssertEqual(try PNGCodec.load(folder + "/" + RunHistory.frameName(frame)).width, 16)
        }
    }

    func testTheFinalPictureReplacesAKeptLastFrame() throws {
        let dir = try TemporaryDirectory(prefix: "mlwb-history")
        defer { dir.remove() }
        let history = RunHistory(root: dir.file("history"))
        history.begin(RunRecord(runID: 1, modelID: "deepdream", modelName: "DeepDream", input: nil, parameters: [:], started: 1_800_000_000)) { XCTFail($0) }
        let grey = Image(width: 4, height: 4, fill: [0.5, 0.5, 0.5])
        history.record(runID: 1, frame: 1, picture: grey)
        history.record(runID: 1, frame: 3, picture: grey)
        history.record(runID: 1, frame: 3, picture: Image(width: 4, height: 4, fill: [1, 1, 1]))  // the result
        history.finish(runID: 1, outcome: "finished: image 4×4")
        let done = expectation(description: "listed")
        history.list { records in
            XCTAssertEqual(records.first?.frames, [1, 3])
            XCTAssertEqual(records.first?.outcome, "finished: image 4×4")
            done.fulfill()
        }
        wait(for: [done], timeout: 5)
        let folder = try XCTUnwrap(history.readAll().first?.folder)
        XCTAssertEqual(try PNGCodec.load(dir.file("history/" + folder + "/" + RunHistory.frameName(3))).pixels.first, 1, "the result is the file kept")
    }

    func testBrokenRecordsAndPresetsAreSkippedOrReportedNotTrusted() throws {
        let dir = try TemporaryDirectory(prefix: "mlwb-history")
        defer { dir.remove() }
        let fm = FileManager.default
        for (name, text) in [("20260101-000000-deepdream-run1", "{not json"), ("20260101-000001-deepdream-run2", "[1,2,3]"),
                             ("20260101-000002-deepdream-run3", String(repeating: "{", count: 100_000))] {
            try fm.createDirectory(atPath: dir.file("history/" + name), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: URL(fileURLWithPath: dir.file("history/" + name + "/run.json")))
        }
        try fm.createSymbolicLink(atPath: dir.file("history/20260101-000003-loop"), withDestinationPath: dir.file("history"))
        XCTAssertEqual(RunHistory(root: dir.file("history")).readAll(), [], "unreadable records are skipped")
        let presets = PresetStore(root: dir.file("presets"))
        try fm.createDirectory(atPath: dir.file("presets/deepdream"), withIntermediateDirectories: true)
        try Data("{\"steps\": 3".utf8).write(to: URL(fileURLWithPath: dir.file("presets/deepdream/cut.json")))
        XCTAssertThrowsError(try presets.load(name: "cut", modelID: "deepdream")) { XCTAssertTrue("\($0)".contains("is not a preset"), "\($0)") }
        XCTAssertThrowsError(try presets.remove(name: "none", modelID: "deepdream")) { XCTAssertTrue("\($0)".contains("presets: cut"), "\($0)") }
    }

    func testBracketsScrubThroughKeptFramesAndBackToLive() throws {
        let (core, screen) = try Fixture.core(model: FakeDreamModel(frames: 12, delay: 0.05))
        runToTheEnd(core)
        let kept = try XCTUnwrap(core.state.job?.recorded)
        let live = try XCTUnwrap(core.state.preview.picture)
        core.press(.character("["))
        XCTAssertEqual(core.state.preview.scrub, kept.count - 2)
        XCTAssertTrue(core.waitUntil { $0.preview.info.first?.contains("frame \(kept[kept.count - 2])") ?? false }, "\(core.state.preview.info)")
        XCTAssertFalse(core.state.preview.picture == live, "an earlier frame shows")
        core.render(on: screen)
        XCTAssertTrue(screen.contains("kept \(kept.count - 1) of \(kept.count)"), screen.text)
        for _ in 0..<kept.count { core.press(.character("[")) }
        XCTAssertEqual(core.state.preview.scrub, 0, "stops at the first kept frame")
        for _ in 0..<kept.count { core.press(.character("]")) }
        XCTAssertNil(core.state.preview.scrub, "past the newest: live again")
        XCTAssertTrue(core.state.preview.picture == live)
    }

    func testCompareShowsTheInputBesideTheFrame() throws {
        let (core, _) = try Fixture.core(model: FakeDreamModel(frames: 3, delay: 0.01))
        runToTheEnd(core)
        core.press(.character("c"))
        XCTAssertTrue(core.state.preview.compare)
        XCTAssertTrue(core.waitUntil { $0.preview.before != nil })
        XCTAssertTrue(PreviewPainter.comparing(core.state.preview))
        let before = try XCTUnwrap(core.state.preview.before), after = try XCTUnwrap(core.state.preview.picture)
        let joined = Image.sideBySide(before, after, gap: 2)
        XCTAssertEqual(joined.height, after.height)
        XCTAssertGreaterThan(joined.width, after.width * 2 - 1)
        XCTAssertEqual(Array(joined.pixels[(joined.width - 1) * 3..<joined.width * 3]), Array(after.pixels[(after.width - 1) * 3..<after.width * 3]),
                       "the right half is the frame")
        core.press(.character("c"))
        XCTAssertFalse(core.state.preview.compare)
    }

    func testTheHistoryListRerunsARunWithItsParameters() throws {
        let (core, screen) = try Fixture.core(model: FakeDreamModel(frames: 3, delay: 0.01))
        runToTheEnd(core, steps: 7)
        XCTAssertTrue(core.waitUntil { _ in core.runner.history.readAll().first?.outcome != nil })
        // Change the form, then rerun the past run from the list: its value comes back.
        core.press(.character(":"))
        core.type("set steps 3")
        core.press(.enter)
        XCTAssertEqual(core.state.models.parameters(for: core.state.models.current!).int("steps"), 3)
        core.press(.character("H"))
        XCTAssertTrue(core.waitUntil { !$0.history.isEmpty })
        core.render(on: screen)
        XCTAssertTrue(screen.contains("Fake Dream"), screen.text)
        XCTAssertTrue(screen.contains("steps=7"), screen.text)
        XCTAssertTrue(screen.contains("finished: image 16×16"), screen.text)
        core.press(.enter)
        XCTAssertNil(core.state.overlay)
        XCTAssertEqual(core.state.job?.request.runID, 2)
        XCTAssertEqual(core.state.job?.request.parameters.int("steps"), 7)
        XCTAssertEqual(core.state.job?.request.inputPath, Fixture.assets + "/images/sample.png")
    }

    func testPresetsSaveAndLoadAModelsParameters() throws {
        let (core, screen) = try Fixture.core()
        func command(_ text: String) {
            core.press(.character(":"))
            core.type(text)
            core.press(.enter)
        }
        command("set steps 42")
        command("preset save deep look")
        XCTAssertTrue(core.waitUntil { $0.log.contains { $0.text.contains("preset 'deep look' saved") } }, "\(core.state.log.map(\.text))")
        command("set steps 3")
        command("preset load deep look")
        XCTAssertTrue(core.waitUntil { $0.message?.text.contains("loaded") ?? false })
        XCTAssertEqual(core.state.models.parameters(for: core.state.models.current!).int("steps"), 42)
        command("preset list")
        XCTAssertTrue(core.waitUntil { if case .output = $0.overlay { return true } else { return false } })
        core.render(on: screen)
        XCTAssertTrue(screen.contains("deep look"), screen.text)
        core.press(.escape)
        command("preset load nope")
        XCTAssertTrue(core.waitUntil { $0.message?.level == .error })
        XCTAssertTrue(core.state.message?.text.contains("no preset 'nope' (presets: deep look)") ?? false, core.state.message?.text ?? "")
        command("preset save ../escape")
        XCTAssertEqual(core.state.message?.level, .error)
    }
}
