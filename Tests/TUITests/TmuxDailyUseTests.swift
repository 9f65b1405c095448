import Foundation
import MIDI
import TestSupport
import XCTest

/// The workbench as a daily tool, in the real binary under tmux: results that are not pictures
/// show in Preview and save through the save-as prompt.
final class TmuxDailyUseTests: TmuxWorkbenchTestCase {
    // MARK: Results in Preview, saved

    func testTranscriptionShowsAPianoRollAndSavesMIDIUnderOutputs() throws {
        try importWeights("basic-pitch-icassp2022-nmp.onnx")
        let tmux = TmuxSession()
        defer { tmux.kill() }
        try tmux.start(columns: 160, rows: 48, environment: baseEnvironment)
        try tmux.waitFor(text: "1 Models")
        try tmux.command("show assets/audio/arpeggio.wav")
        try tmux.waitFor(text: "22050 Hz")
        try tmux.send("1", "/")
        try tmux.type("basic")
        try tmux.send("Enter", "r")
        let finished = try tmux.waitFor("the transcription to finish and show", timeout: 60) { $0.contains("finished") && $0.contains("notes") && $0.contains("piano roll") }
        XCTAssertFalse(finished.contains("waiting for the first frame"))
        XCTAssertTrue(finished.contains("piano roll"), finished)
        // Pitch labels in the gutter and time labels under the roll.
        XCTAssertTrue(finished.contains("│C4") || finished.contains("C4 "), finished)
        XCTAssertTrue(finished.contains("0s") && finished.contains("1s"), finished)
        XCTAssertTrue(try tmux.capture(escapes: true).contains("▀"), "no roll drawn")
        // s: a prompt with a free default name under MLWB_HOME/outputs; Enter saves it.
        try tmux.send("s")
        let prompt = try tmux.waitFor(text: "save as")
        let outputs = home.file("data") + "/outputs/"
        XCTAssertTrue(prompt.contains(outputs + "basic-pitch-arpeggio-run1.mid"), prompt)
        try tmux.send("Enter")
        try tmux.waitFor(text: "✓ saved")
        XCTAssertEqual(try MIDIFile.read(outputs + "basic-pitch-arpeggio-run1.mid").notes.count > 5, true)
        // A second save never clobbers: the next free name is offered; a typed existing name is refused.
        try tmux.send("s")
        try tmux.waitFor(text: "basic-pitch-arpeggio-run1-2.mid")
        try tmux.send("C-u")
        try tmux.type("basic-pitch-arpeggio-run1.mid")
        try tmux.send("Enter")
        try tmux.waitFor(text: "exists: choose another name")
        try tmux.send("C-u")
        try tmux.type("arpeggio-notes.csv")
        try tmux.send("Enter")
        try tmux.waitFor(text: "✓ saved")
        let csv = try String(contentsOfFile: outputs + "arpeggio-notes.csv", encoding: .utf8)
        XCTAssertTrue(csv.hasPrefix("onset_s,offset_s,midi_pitch,velocity\n"), csv)
        try tmux.quit()
    }

    // MARK: Repaint

    func testFilteringModelsLeavesThePreviewPictureIntact() throws {
        // ncurses scrolls terminal rows when lines of text move (the Models list shrinking under a
        // filter); the picture beside them moved too and rows went blank until Ctrl-L.
        let tmux = TmuxSession()
        defer { tmux.kill() }
        try tmux.start(columns: 160, rows: 48, environment: baseEnvironment)
        try tmux.waitFor(text: "1 Models")
        try tmux.command("show assets/images/sample.png")
        let before = try tmux.waitFor("the picture", escapes: false) { $0.contains("Preview · sample.png") && $0.contains("▀") }
        usleep(300_000)
        let picture = Self.previewColumns(try tmux.capture())
        XCTAssertGreaterThan(picture.filter { $0.contains("▀") || $0.contains("▄") }.count, 10, before)
        try tmux.send("1", "/")
        for key in ["p", "i", "t", "c", "h"] {
            try tmux.send(key)
            usleep(150_000)
        }
        let after = try tmux.waitFor("the filtered list", escapes: false) { $0.contains("1 Models /pitch") && !$0.contains("DeepDream (") }
        usleep(300_000)
        let settled = try tmux.capture()
        XCTAssertEqual(Self.previewColumns(settled), picture, "the picture moved or went blank:\n\(after)")
        try tmux.send("Escape", "q")
        try tmux.waitFor(text: "MLWB-EXIT=0")
    }

    // MARK: Commands as jobs

    func testCommandLineDownloadJoinsDownloadsWhileKeysKeepWorking() throws {
        // `:download URL` once ran in the foreground: the screen froze, the transfer never showed in
        // Downloads and the file landed in the working directory.
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        let payload = (0..<(160 * 1024)).map { UInt8(truncatingIfNeeded: $0 &* 17 &+ 3) }
        server.route("/media/clip.bin") { request in
            var response = LoopbackHTTPServer.Response.content(payload, for: request, etag: "\"c1\"")
            response.trickle = (bytes: 4096, delay: 0.08)  // about 3 s in all
            return response
        }
        let tmux = TmuxSession()
        defer { tmux.kill() }
        try tmux.start(columns: 140, rows: 40, environment: baseEnvironment)
        try tmux.waitFor(text: "1 Models")
        try tmux.command("download " + server.url("/media/clip.bin"))
        try tmux.waitFor("the transfer in Downloads", timeout: 10) { $0.contains("clip.bin") && $0.contains("downloading") }
        // Keys work while it runs: help opens and closes, focus moves.
        try tmux.send("?")
        try tmux.waitFor("help while downloading", timeout: 3) { $0.contains("Tab / Shift-Tab") }
        try tmux.send("Escape", "2")
        try tmux.waitFor("Media focused while downloading", timeout: 3) { screen in
            screen.contains("clip.bin") && !screen.contains("Tab / Shift-Tab")
        }
        let running = try tmux.capture()
        XCTAssertFalse(FileManager.default.fileExists(atPath: home.file("data") + "/downloads/clip.bin"),
                       "the file is under its final name before the transfer finished:\n\(running)")
        try tmux.waitFor("the transfer to finish", timeout: 30) { $0.contains("clip.bin") && ($0.contains("done") || $0.contains("failed")) }
        let landed = home.file("data") + "/downloads/clip.bin"
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: landed)), Data(payload))
        XCTAssertFalse(FileManager.default.fileExists(atPath: SharedData.packageRoot + "/clip.bin"), "landed in the working directory")
        try tmux.quit()
    }

    func testRemovingACheckpointShowsTheModelMissingAndRunOffersTheDownload() throws {
        try importWeights("swift-f0-0.3.0.onnx")
        let tmux = TmuxSession()
        defer { tmux.kill() }
        try tmux.start(columns: 160, rows: 48, environment: baseEnvironment)
        try tmux.waitFor(text: "1 Models")
        try tmux.send("/")
        try tmux.type("swift")
        try tmux.send("Enter")
        try tmux.waitFor("SwiftF0 ready", timeout: 5) { $0.contains("SwiftF0") && $0.contains("ready") }
        try tmux.command("checkpoints rm swift_f0")
        let finished = try tmux.waitFor("the command to finish", timeout: 15) { $0.contains("done — Esc closes") || $0.contains("exit status") }
        XCTAssertFalse(finished.contains("exit status"), finished)
        try tmux.send("Escape")
        let after = try tmux.waitFor("the model to show its checkpoint missing", timeout: 5) { $0.contains("checkpoint missing") || $0.contains("✗ missing") }
        XCTAssertFalse(after.contains("✓ ready"), after)
        XCTAssertFalse(FileManager.default.fileExists(atPath: home.file("data") + "/checkpoints/swift-f0-0.3.0.onnx"))
        // r offers the download instead of failing.
        try tmux.send("r")
        let question = try tmux.waitFor("the download offer", timeout: 5) { $0.contains("Download now and run when verified?") }
        XCTAssertFalse(question.contains("failed"), question)
        try tmux.send("n")
        try tmux.waitFor(text: "run cancelled")
        try tmux.quit()
    }

    // MARK: Log

    func testTheLogCopiesTheSelectedEntryToTheClipboard() throws {
        let tmux = TmuxSession()
        defer { tmux.kill() }
        try tmux.start(columns: 120, rows: 36, environment: baseEnvironment)
        try tmux.waitFor(text: "1 Models")
        // tmux takes OSC 52 into a paste buffer with set-clipboard on (as a terminal takes it into
        // its clipboard).
        _ = try tmux.tmux(["set-option", "-s", "set-clipboard", "on"])
        try tmux.command("frobnicate")
        try tmux.waitFor("the command to fail", timeout: 10) { $0.contains("exit status") || $0.contains("unknown") }
        try tmux.send("Escape", "L")
        // The log with the error and its time (the capture may catch the screen mid-repaint: wait for both).
        try tmux.waitFor("the log with the error's time", timeout: 5) {
            $0.contains("y copies") && $0.range(of: #"\d\d:\d\d:\d\d  ERROR"#, options: .regularExpression) != nil
        }
        try tmux.send("y")
        try tmux.waitFor(text: "copied to the clipboard")
        let buffer = try tmux.tmux(["show-buffer"]).stdout
        XCTAssertTrue(buffer.contains("frobnicate"), "the clipboard holds: \(buffer)")
        try tmux.send("Escape", "q")
        try tmux.waitFor(text: "MLWB-EXIT=0")
    }

    // MARK: Mouse

    func testClicksSelectRowsAndFieldsAndTheWheelScrolls() throws {
        let tmux = TmuxSession()
        defer { tmux.kill() }
        try tmux.start(columns: 140, rows: 40, environment: baseEnvironment)
        let first = try tmux.waitFor(text: "1 Models")
        XCTAssertTrue(try tmux.mouseReportingOn(), "the workbench asks for mouse reports")
        // Click the SwiftF0 row: it becomes the selected model.
        guard let row = Self.cell(of: "SwiftF0", in: first) else { return XCTFail(first) }
        try tmux.mouse(button: 0, row: row.row, column: row.column)
        try tmux.waitFor("SwiftF0 selected", timeout: 5) { Self.cell(of: "▸ SwiftF0", in: $0) != nil }
        // A field of its form: one click selects it, a second opens the editor.
        let selected = try tmux.capture()
        guard let field = Self.cell(of: "Lowest freq", in: selected) ?? Self.cell(of: "Parameters", in: selected).map({ (row: $0.row + 1, column: $0.column + 2) }) else {
            return XCTFail(selected)
        }
        try tmux.mouse(button: 0, row: field.row, column: field.column)
        try tmux.waitFor("the form open on that field", timeout: 5) { $0.contains("⏎ edit") }
        let form = try tmux.capture()
        XCTAssertEqual(Self.cell(of: "Lowest freq", in: form)?.row, field.row, "opening the form moved the field:\n\(form)")
        try tmux.mouse(button: 0, row: field.row, column: field.column)
        try tmux.waitFor("the field editor", timeout: 5) { $0.contains("⏎ sets the value") }
        try tmux.send("Escape", "Escape")
        // The wheel over Media moves its selection and focuses it.
        guard let media = Self.cell(of: "2 Media", in: try tmux.capture()) else { return XCTFail() }
        try tmux.mouse(button: 65, row: media.row + 3, column: media.column)
        // Media's key hints in the status bar say it has the focus.
        try tmux.waitFor("Media focused by the wheel", timeout: 5) { $0.contains("␣ mask") }
        try tmux.quit()
        XCTAssertFalse(try tmux.mouseReportingOn(), "mouse reporting is switched off on exit")
    }

    func testMouseOffLeavesTheTerminalsSelectionAlone() throws {
        let tmux = TmuxSession()
        defer { tmux.kill() }
        var environment = baseEnvironment
        environment["MLWB_MOUSE"] = "0"
        try tmux.start(columns: 120, rows: 36, environment: environment)
        try tmux.waitFor(text: "1 Models")
        XCTAssertFalse(try tmux.mouseReportingOn())
        try tmux.quit()
    }

    /// The (row, column) of the first occurrence of `text` in a capture (columns count characters).
    static func cell(of text: String, in screen: String) -> (row: Int, column: Int)? {
        for (r, line) in screen.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if let range = line.range(of: text) { return (r, line.distance(from: line.startIndex, to: range.lowerBound)) }
        }
        return nil
    }

    /// The Preview pane's rows (from its left border to the end of each line), top to bottom.
    static func previewColumns(_ screen: String) -> [String] {
        let lines = screen.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0) }
        guard let header = lines.first(where: { String($0).contains("┌─ 4 Preview") }),
              let start = String(header).range(of: "┌─ 4 Preview").map({ String(header)[..<$0.lowerBound].count }) else { return [] }
        let top = lines.firstIndex { String($0).contains("┌─ 4 Preview") }!
        var rows: [String] = []
        for line in lines[(top + 1)...] {
            guard line.count > start, line[start] == "│" else { break }
            rows.append(String(line[start...]))
        }
        return rows
    }
}
