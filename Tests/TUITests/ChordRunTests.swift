import Audio
import Checkpoints
import Media
import Models
import TestSupport
import XCTest
@testable import TUI

/// A chord run in the workbench: the runner draws the chords under the waveform with a time axis, the
/// reducer lists the segments in the log and summarises them in Preview.
final class ChordRunTests: XCTestCase {
    func testRunnerPreviewsTheLaneAndFinishes() async throws {
        let directory = try TemporaryDirectory(prefix: "mlwb-tui-chords")
        defer { directory.remove() }
        let wav = directory.file("c.wav")
        let notes: [(pitch: Int, start: Double, end: Double, velocity: Int)] = [(36, 0, 2, 100), (55, 0, 2, 90), (60, 0, 2, 90), (64, 0, 2, 90)]
        try AudioFile.save(AudioClip.notes(notes, sampleRate: 22_050), to: wav)
        let store = CheckpointStore(root: directory.file("home"), catalog: try CheckpointCatalog(entries: []))
        let model = ChordRecognizerModel()
        let request = RunRequest(runID: 4, modelID: model.id, inputPath: wav, parameters: ModelParameters(defaults: model.parameters))
        let inbox = Inbox()
        await EffectRunner.consume(model: model, request: request, context: ModelContext(store: store, environment: [:]),
                                   gate: PauseGate(), inbox: inbox)
        let actions = inbox.drain()
        let finishedIndex = actions.firstIndex { if case .modelEvent(4, .finished(.chords), _) = $0 { return true } else { return false } }
        let viewIndex = actions.firstIndex { if case .resultView(4, _) = $0 { return true } else { return false } }
        let finished = try XCTUnwrap(finishedIndex, "no chords result")
        let viewAt = try XCTUnwrap(viewIndex, "no result view")
        XCTAssertGreaterThan(viewAt, finished, "the lane follows the result")
        guard case .resultView(_, let view) = actions[viewAt] else { return XCTFail() }
        XCTAssertEqual(view.label, "waveform + chords")
        XCTAssertGreaterThan(view.picture.width, 100)
        XCTAssertTrue(view.stretch)
        guard case .axes(let x, _)? = view.annotation else { return XCTFail("no time axis") }
        XCTAssertEqual(x.first?.label, "0s")
        XCTAssertEqual(x.last?.label, "2s")
    }

    func testFinishedChordsAreLoggedAndSummarised() {
        var state = AppState(size: TerminalSize(columns: 120, rows: 36))
        let request = RunRequest(runID: 1, modelID: "chords-nnls", inputPath: "x.wav", parameters: ModelParameters(defaults: []))
        _ = Reducer.startRun(&state, request, modelName: "NNLS chord recogniser")
        let segments = [ChordSegment(start: 0, end: 0.5, label: "N"), ChordSegment(start: 0.5, end: 2.25, label: "C:maj"),
                        ChordSegment(start: 2.25, end: 3, label: "G:7/3")]
        _ = Reducer.modelEvent(&state, runID: 1, event: .finished(.chords(segments)), at: 1)
        XCTAssertEqual(state.job?.phase, .finished)
        XCTAssertEqual(state.job?.result, "2 chords: C:maj G:7/3")
        let lines = state.log.map(\.text)
        XCTAssertTrue(lines.contains("  0.50–2.25 s  C:maj"), "\(lines)")
        XCTAssertTrue(lines.contains("  2.25–3.00 s  G:7/3"), "\(lines)")
        XCTAssertEqual(state.preview.info, ["2 chords: C:maj G:7/3"])
        XCTAssertEqual(ModelEntry(id: "c", name: "c", task: .audioToChords, summary: "", checkpoints: [], parameters: []).inputKind, .audio)
    }
}
