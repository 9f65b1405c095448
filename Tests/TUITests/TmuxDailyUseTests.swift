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
        try tmux.send(":")
        try tmux.type("show assets/audio/arpeggio.wav")
        try tmux.send("Enter")
        try tmux.waitFor(text: "22050 Hz")
        try tmux.send("1", "/")
        try tmux.type("basic")
        try tmux.send("Enter", "r")
        let finished = try tmux.waitFor("the transcription to finish", timeout: 60) { $0.contains("finished") && $0.contains("notes") }
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
        try tmux.send("q")
        try tmux.waitFor(text: "MLWB-EXIT=0")
    }
}
