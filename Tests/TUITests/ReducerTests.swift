import XCTest
import Models
import TestSupport
@testable import TUI
import Media

final class ReducerTests: XCTestCase {
    override func tearDown() { Fixture.cleanUp() }

    // MARK: Focus

    func testTabCyclesPanesBothWays() throws {
        let (core, _) = try Fixture.core()
        XCTAssertEqual(core.state.focus, .models)
        var seen: [PaneID] = []
        for _ in 0..<4 { core.handle(.tab); seen.append(core.state.focus) }
        XCTAssertEqual(seen, [.media, .downloads, .preview, .models])
        core.handle(.backTab)
        XCTAssertEqual(core.state.focus, .preview)
        core.handle(.character("2"))
        XCTAssertEqual(core.state.focus, .media)
    }

    // MARK: Commands

    func testAFailedCommandSaysWhatWentWrong() throws {
        let (core, _) = try Fixture.core()
        var state = core.state
        func finish(_ words: [String], output: String, status: Int32) -> [Effect] {
            let effects = Reducer.startCommand(&state, words)
            guard case .runCommand(let id, _)? = effects.first else { XCTFail("\(effects)"); return [] }
            _ = Reducer.update(&state, .commandOutput(id: id, text: output))
            return Reducer.update(&state, .commandFinished(id: id, status: status))
        }
        _ = finish(["frobnicate"], output: "mlwb: unknown subcommand 'frobnicate'\nRun 'mlwb --help'.\n", status: 2)
        XCTAssertEqual(state.log.last?.text, "mlwb frobnicate: unknown subcommand 'frobnicate'")
        XCTAssertEqual(state.log.last?.level, .error)
        _ = finish(["silent"], output: "", status: 1)
        XCTAssertEqual(state.log.last?.text, "mlwb silent: failed (exit status 1)")
        let effects = finish(["checkpoints", "rm", "x"], output: "ok\n", status: 0)
        XCTAssertEqual(state.log.last?.text, "mlwb checkpoints rm x: done")
        // What a command may have changed is read again: checkpoint states, datasets, the Media folder.
        XCTAssertEqual(effects, [.refreshModels, .refreshDatasets, .loadDirectory(state.media.directory)])
    }

    // MARK: Models form

    func testFormValidationShowsTheError() throws {
        let (core, screen) = try Fixture.core()
        core.press(.enter)                        // open the form
        XCTAssertEqual(core.state.models.section, .form)
        core.press(.down)                         // Steps (int 0…50)
        core.press(.enter)                        // edit
        XCTAssertNotNil(core.state.models.editing)
        core.press(.control("u"))
        core.type("99")
        core.press(.enter)
        XCTAssertNil(core.state.models.editing)
        XCTAssertEqual(core.state.models.error(model: "deepdream", parameter: "steps"), "steps must be in 0…50, got 99")
        core.render(on: screen)
        let found = try XCTUnwrap(screen.find("steps must be in 0…50, got 99"))
        XCTAssertEqual(screen.style(row: found.row, column: found.column + 2).role, .error)
        // Running with an invalid field is refused.
        core.press(.character("r"))
        XCTAssertNil(core.state.job)
        XCTAssertTrue(core.state.message?.text.contains("fix Steps first") ?? false)
        // Not a number at all.
        core.press(.enter); core.press(.control("u")); core.type("many"); core.press(.enter)
        XCTAssertEqual(core.state.models.error(model: "deepdream", parameter: "steps"), "steps expects a whole number, got 'many'")
        // A good value clears the error.
        core.press(.enter); core.press(.control("u")); core.type("12"); core.press(.enter)
        XCTAssertNil(core.state.models.error(model: "deepdream", parameter: "steps"))
        XCTAssertEqual(core.state.models.values["deepdream"]?["steps"], .int(12))
        core.render(on: screen)
        XCTAssertFalse(screen.contains("steps must be"))
    }

    func testAdjustClampsCyclesAndToggles() throws {
        let (core, screen) = try Fixture.core()
        core.press(.enter)                        // form, field 0: layer (choice a|b|c, default b)
        core.press(.right)
        XCTAssertEqual(core.state.models.values["deepdream"]?["layer"], .string("c"))
        core.press(.right)
        XCTAssertEqual(core.state.models.values["deepdream"]?["layer"], .string("a"))
        core.press(.character(" "))
        XCTAssertEqual(core.state.models.values["deepdream"]?["layer"], .string("b"))
        core.press(.down)                         // steps: 10
        for _ in 0..<60 { core.press(.right) }
        XCTAssertEqual(core.state.models.values["deepdream"]?["steps"], .int(50))
        core.press(.character("D"))
        XCTAssertNil(core.state.models.values["deepdream"]?["steps"])
        core.press(.down)                         // step-size 0.5 in 0…2 → steps of 0.1
        core.press(.right); core.press(.right)
        XCTAssertEqual(core.state.models.values["deepdream"]?["step-size"], .double(0.7))
        for _ in 0..<30 { core.press(.left) }
        XCTAssertEqual(core.state.models.values["deepdream"]?["step-size"], .double(0))
        core.press(.down)                         // normalize: bool
        core.press(.character(" "))
        XCTAssertEqual(core.state.models.values["deepdream"]?["normalize"], .bool(false))
        // Enter opens a picker instead of changing the value unseen: ←/→ change the candidate,
        // Enter sets it, Esc keeps the old value.
        core.press(.enter)
        XCTAssertEqual(core.state.models.picking, .bool(false))
        XCTAssertEqual(core.state.models.values["deepdream"]?["normalize"], .bool(false))
        core.press(.right)
        XCTAssertEqual(core.state.models.picking, .bool(true))
        XCTAssertEqual(core.state.models.values["deepdream"]?["normalize"], .bool(false), "the picker changes nothing before Enter")
        core.render(on: screen)
        XCTAssertTrue(screen.contains("◂ yes ▸"), screen.text)
        XCTAssertTrue(screen.contains("Enter sets"), screen.text)
        core.press(.enter)
        XCTAssertNil(core.state.models.picking)
        XCTAssertEqual(core.state.models.values["deepdream"]?["normalize"], .bool(true))
        core.press(.enter, .right, .escape)
        XCTAssertNil(core.state.models.picking)
        XCTAssertEqual(core.state.models.values["deepdream"]?["normalize"], .bool(true), "Esc keeps the old value")
        core.press(.up, .up, .up, .enter)         // layer: a choice, picked the same way
        XCTAssertEqual(core.state.models.picking, .string("b"))
        core.press(.left, .enter)
        XCTAssertEqual(core.state.models.values["deepdream"]?["layer"], .string("a"))
        core.press(.escape)
        XCTAssertEqual(core.state.models.section, .list)
    }

    func testEditCancelKeepsValue() throws {
        let (core, _) = try Fixture.core()
        core.press(.enter, .down, .enter)
        core.type("7")
        core.press(.escape)
        XCTAssertNil(core.state.models.editing)
        XCTAssertNil(core.state.models.values["deepdream"]?["steps"])
    }

    // MARK: Filter and command line

    func testFilterNarrowsMediaAndEscClears() throws {
        let (core, screen) = try Fixture.core(directory: Fixture.assets + "/images")
        core.press(.character("2"), .character("/"))
        core.type("zzz")
        core.render(on: screen)
        XCTAssertTrue(screen.contains("nothing matches /zzz"))
        core.press(.escape)
        XCTAssertEqual(core.state.media.filter, "")
        core.press(.character("/"))
        core.type("sam")
        core.press(.enter)
        XCTAssertEqual(core.state.media.filter, "sam")
        XCTAssertEqual(core.state.media.current?.name, "sample.png")
        core.render(on: screen)
        XCTAssertTrue(screen.contains("2 Media /sam"))
    }

    func testCommandLineHistoryAndUnknownCommandGoesToCLI() throws {
        let (core, _) = try Fixture.core(commandRunner: { invocation in
            invocation.output(Array("ran \(invocation.words.joined(separator: " "))\n".utf8))
            return 0
        })
        core.press(.character(":"))
        core.type("show --help")
        core.press(.enter)
        XCTAssertEqual(core.effects.last, .runCommand(id: 1, words: ["show", "--help"]))
        XCTAssertTrue(core.waitUntil { $0.commands.first?.status == 0 })
        guard case .command(let id, _)? = core.state.overlay else { return XCTFail("no command overlay") }
        XCTAssertEqual(core.state.commands.first { $0.id == id }?.title, "mlwb show --help")
        XCTAssertEqual(core.state.commands.first?.allLines, ["ran show --help"])
        core.press(.escape)
        core.press(.character(":"), .up)
        XCTAssertEqual(core.state.commandLine?.text, "show --help")
        core.press(.escape)
        XCTAssertNil(core.state.commandLine)
    }

    func testDreamCommandSetsParametersAndRuns() throws {
        let (core, _) = try Fixture.core()
        core.press(.character(":"))
        core.type("dream \(Fixture.assets)/images/sample.png --steps 2 --step-size=1.5 --layer c")
        core.press(.enter)
        XCTAssertEqual(core.state.models.values["deepdream"]?["steps"], .int(2))
        XCTAssertEqual(core.state.models.values["deepdream"]?["step-size"], .double(1.5))
        XCTAssertEqual(core.state.models.values["deepdream"]?["layer"], .string("c"))
        let job = try XCTUnwrap(core.state.job)
        XCTAssertEqual(job.request.inputPath, Fixture.assets + "/images/sample.png")
        XCTAssertEqual(job.request.parameters.int("steps"), 2)
        core.waitUntil { $0.job?.phase == .finished }
        XCTAssertEqual(core.state.job?.phase, .finished)
        // `dream params` lists the parameters.
        core.press(.character(":")); core.type("dream params"); core.press(.enter)
        guard case .output(_, let lines, _)? = core.state.overlay else { return XCTFail("no overlay") }
        XCTAssertTrue(lines.contains { $0.contains("--steps 2") && $0.contains("0…50") })
        core.press(.escape)
        // A bad value is refused with the reason.
        core.press(.character(":")); core.type("dream --steps 500"); core.press(.enter)
        XCTAssertTrue(core.state.message?.text.contains("steps must be in 0…50") ?? false)
    }

    func testCheckpointsAndDatasetsCommands() throws {
        let dir = try TemporaryDirectory(prefix: "mlwb-tui")
        defer { dir.remove() }
        let transfers = RecordingTransfers()
        let (core, _) = try Fixture.core(store: try Fixture.store(in: dir, present: false), transfers: transfers)
        core.press(.character(":")); core.type("checkpoints"); core.press(.enter)
        guard case .output(_, let lines, _)? = core.state.overlay else { return XCTFail("no overlay") }
        XCTAssertTrue(lines.contains { $0.hasPrefix("fake_ckpt") && $0.contains("absent") && $0.contains("CC0") })
        core.press(.escape)
        core.press(.character(":")); core.type("checkpoints get fake_ckpt"); core.press(.enter)
        XCTAssertEqual(core.effects.last, .startTransfer(kind: .checkpoint, itemID: "fake_ckpt"))
        XCTAssertEqual(core.state.focus, .downloads)
        core.press(.character(":")); core.type("datasets"); core.press(.enter)
        guard case .output(_, let dl, _)? = core.state.overlay else { return XCTFail("no overlay") }
        XCTAssertTrue(dl.contains { $0.hasPrefix("maestro") && $0.contains("absent") })
        core.press(.escape)
        core.press(.character(":")); core.type("datasets verify musicnet"); core.press(.enter)
        XCTAssertEqual(core.effects.last, .verifyDataset("musicnet"))
        core.waitUntil { $0.downloads.datasets.first { $0.id == "musicnet" }?.state == .verified }
        core.press(.character(":")); core.type("datasets get maestro"); core.press(.enter)
        core.press(.character("y"))
        XCTAssertEqual(core.effects.last, .startTransfer(kind: .dataset, itemID: "maestro"))
        core.press(.character(":")); core.type("datasets get maps"); core.press(.enter)
        XCTAssertTrue(core.state.message?.text.contains("register at the MAPS site") ?? false)
    }

    // MARK: Quit

    func testQuitAsksWhenWorkIsRunning() throws {
        let (core, screen) = try Fixture.core(model: FakeDreamModel(frames: 1000, delay: 0.01))
        core.press(.character("q"))
        XCTAssertTrue(core.state.shouldQuit, "nothing running: q quits at once")
        let (busy, _) = try Fixture.core(model: FakeDreamModel(frames: 1000, delay: 0.01))
        busy.press(.character(":")); busy.type("dream \(Fixture.assets)/images/sample.png"); busy.press(.enter)
        busy.press(.character("q"))
        XCTAssertFalse(busy.state.shouldQuit)
        guard case .confirm(.quit(let reason))? = busy.state.overlay else { return XCTFail("no question") }
        XCTAssertTrue(reason.contains("Fake Dream is running"))
        busy.render(on: screen)
        busy.press(.character("n"))
        XCTAssertFalse(busy.state.shouldQuit)
        XCTAssertNil(busy.state.overlay)
        busy.press(.character("q"), .character("y"))
        XCTAssertTrue(busy.state.shouldQuit)
        XCTAssertTrue(busy.effects.contains(.cancelRun(runID: 1)))
    }

    // MARK: Missing checkpoint

    func testRunOffersDownloadWhenCheckpointMissingAndStartsWhenVerified() throws {
        let dir = try TemporaryDirectory(prefix: "mlwb-tui")
        defer { dir.remove() }
        let store = try Fixture.store(in: dir, present: false)
        var model = FakeDreamModel()
        model.checkpointIDs = ["fake_ckpt"]
        let transfers = RecordingTransfers()
        let (core, screen) = try Fixture.core(model: model, store: store, transfers: transfers)
        core.render(on: screen)
        XCTAssertTrue(screen.contains("checkpoint missing"))
        core.press(.character(":")); core.type("show \(Fixture.assets)/images/sample.png"); core.press(.enter)
        core.press(.character("1"), .character("r"))
        guard case .confirm(.downloadCheckpoints(let ids, let modelID, let message))? = core.state.overlay else {
            return XCTFail("no download question: \(String(describing: core.state.overlay))")
        }
        XCTAssertEqual(ids, ["fake_ckpt"])
        XCTAssertEqual(modelID, "deepdream")
        XCTAssertTrue(message.contains("1.0 kB") && message.contains("CC0"), message)
        core.render(on: screen)
        XCTAssertTrue(screen.contains("Download now and run when verified?"))
        // The media selection supplies the input image.
        core.dispatch(.directoryLoaded(path: Fixture.assets + "/images",
                                       entries: [MediaEntry(name: "sample.png", path: Fixture.assets + "/images/sample.png", kind: .image, bytes: 1, detail: "")],
                                       error: nil))
        core.press(.character("y"))
        XCTAssertEqual(core.state.job?.phase, .waitingForCheckpoint)
        XCTAssertTrue(core.waitUntil { _ in transfers.started == ["checkpoint:fake_ckpt"] })
        core.render(on: screen)
        XCTAssertTrue(screen.contains("downloading"))
        // The download finishes: the file appears in the store, the model becomes ready, the run starts.
        try store.importFile(dir.file("weights.bin"), id: "fake_ckpt")
        core.dispatch(.transfer(id: "checkpoint:fake_ckpt", event: .finished(path: "x"), at: 1))
        XCTAssertTrue(core.waitUntil { $0.job?.phase == .running || $0.job?.phase == .finished })
        XCTAssertTrue(core.effects.contains { if case .startRun = $0 { return true } else { return false } })
    }

    // MARK: Downloads

    func testTransferEventsPauseResumeCancelRetry() throws {
        let (core, screen) = try Fixture.core(columns: 140, rows: 40)
        core.press(.character(":")); core.type("checkpoints get fake_ckpt"); core.press(.enter)
        core.dispatch(.transfer(id: "checkpoint:fake_ckpt", event: .progress(bytes: 0, total: 1000), at: 10))
        core.dispatch(.transfer(id: "checkpoint:fake_ckpt", event: .progress(bytes: 500, total: 1000), at: 11))
        let t = try XCTUnwrap(core.state.downloads.transfer("checkpoint:fake_ckpt"))
        XCTAssertEqual(t.phase, .downloading)
        XCTAssertEqual(t.rate, 500, accuracy: 0.001)
        XCTAssertEqual(t.eta ?? -1, 1, accuracy: 0.001)
        core.render(on: screen)
        let row = try XCTUnwrap(screen.find("fake_ckpt")).row
        let line = screen.line(row)
        XCTAssertTrue(line.contains("50%"), line)
        XCTAssertTrue(line.contains("500 B/1.0 kB"), line)
        XCTAssertTrue(line.contains("500 B/s"), line)
        XCTAssertTrue(line.contains("ETA 1s"), line)
        XCTAssertTrue(line.contains("downloading"), line)
        XCTAssertTrue(line.contains("█"), line)
        // Pause, resume, cancel, retry.
        core.press(.character("3"), .character("p"))
        XCTAssertEqual(core.state.downloads.transfers[0].phase, .paused)
        XCTAssertEqual(core.effects.last, .stopTransfer(id: "checkpoint:fake_ckpt", keepPartial: true))
        core.press(.character(" "))
        XCTAssertEqual(core.state.downloads.transfers[0].phase, .queued)
        XCTAssertEqual(core.effects.last, .startTransfer(kind: .checkpoint, itemID: "fake_ckpt"))
        core.press(.character("x"))
        XCTAssertEqual(core.state.downloads.transfers[0].phase, .cancelled)
        XCTAssertEqual(core.effects.last, .stopTransfer(id: "checkpoint:fake_ckpt", keepPartial: false))
        core.press(.character("r"))
        XCTAssertEqual(core.effects.last, .startTransfer(kind: .checkpoint, itemID: "fake_ckpt"))
        core.dispatch(.transfer(id: "checkpoint:fake_ckpt", event: .failed("HTTP 404"), at: 12))
        core.render(on: screen)
        XCTAssertTrue(screen.contains("failed: HTTP 404"))
        // Dataset rows: get and verify.
        core.press(.down)
        XCTAssertEqual(core.state.downloads.currentDataset?.id, "maestro")
        // g asks first, with the size and the licence in the question; n leaves it alone.
        let effectsBefore = core.effects.count
        core.press(.character("g"))
        guard case .confirm(.downloadDataset(let id, let message))? = core.state.overlay else {
            return XCTFail("no question before a dataset download: \(String(describing: core.state.overlay))")
        }
        XCTAssertEqual(id, "maestro")
        XCTAssertTrue(message.contains("105 MB") && message.contains("Licence: CC-BY-NC-SA-4.0"), message)
        core.render(on: screen)
        XCTAssertTrue(screen.contains("CC-BY-NC-SA-4.0"), screen.text)
        core.press(.character("n"))
        XCTAssertNil(core.state.overlay)
        XCTAssertEqual(core.effects.count, effectsBefore)
        XCTAssertNil(core.state.downloads.transfer("dataset:maestro"))
        core.press(.enter)
        core.press(.character("y"))
        XCTAssertEqual(core.effects.last, .startTransfer(kind: .dataset, itemID: "maestro"))
        core.press(.end, .character("v"))
        XCTAssertEqual(core.effects.last, .verifyDataset("maps"))
    }

    // MARK: Pure helpers

    func testParentDirectory() {
        XCTAssertEqual(Reducer.parentDirectory(of: "."), "..")
        XCTAssertEqual(Reducer.parentDirectory(of: "assets/images"), "assets")
        XCTAssertEqual(Reducer.parentDirectory(of: "assets"), ".")
        XCTAssertEqual(Reducer.parentDirectory(of: "/a/b/"), "/a")
        XCTAssertEqual(Reducer.parentDirectory(of: "/a"), "/")
        XCTAssertEqual(Reducer.parentDirectory(of: ".."), "../..")
    }

    func testCommandWords() {
        XCTAssertEqual(CommandWords.split("show 'my file.png'  --x \"a b\" c\\ d"), ["show", "my file.png", "--x", "a b", "c d"])
        XCTAssertEqual(CommandWords.split("  "), [])
    }

    func testLineEditor() {
        var e = LineEditor("abc")
        XCTAssertEqual(e.handle(.left), .editing)
        _ = e.handle(.backspace)
        XCTAssertEqual(e.text, "ac")
        _ = e.handle(.home); _ = e.handle(.character("x"))
        XCTAssertEqual(e.text, "xac")
        _ = e.handle(.end); _ = e.handle(.delete)
        XCTAssertEqual(e.text, "xac")
        _ = e.handle(.control("u"))
        XCTAssertEqual(e.text, "")
        XCTAssertEqual(e.handle(.enter), .commit)
        XCTAssertEqual(e.handle(.escape), .cancel)
    }

    func testTextWidthAndProgressBars() {
        for fraction in [Double.nan, .infinity, -.infinity, 7] {
            XCTAssertEqual(PaneChrome.bar(fraction, width: 10).map(\.0).joined().count, 10, "\(fraction)")
        }
        XCTAssertEqual(TextWidth.truncate("abcdef", to: 4), "abc…")
        XCTAssertEqual(TextWidth.wrap("one two three", width: 7), ["one two", "three"])
    }
}
