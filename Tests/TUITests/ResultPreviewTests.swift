import Audio
import Foundation
import Media
import MIDI
import Models
import Render
import TestSupport
import XCTest
@testable import TUI

/// Results that are not pictures in Preview (a piano roll, a contour over the spectrogram, class
/// bars, each with axes or labels) and `s`: a save-as prompt whose default name under
/// MLWB_HOME/outputs no file has, writing MIDI/CSV/PNG by the extension typed, never over a file.
final class ResultPreviewTests: XCTestCase {
    override func tearDown() { Fixture.cleanUp() }

    static let notes = [NoteEvent(pitch: 60, start: 0.1, end: 0.6, velocity: 90), NoteEvent(pitch: 64, start: 0.5, end: 1.0, velocity: 80),
                        NoteEvent(pitch: 72, start: 1.0, end: 2.5, velocity: 100)]

    // MARK: Views

    func testNotesBecomeAPianoRollWithTimeAndPitchAxes() throws {
        let clip = AudioClip(silenceOf: 22_050 * 3, sampleRate: 22_050)
        let view = try XCTUnwrap(ResultView.make(.notes(Self.notes), input: .audio(clip)))
        XCTAssertTrue(view.stretch)
        guard case .axes(let x, let y)? = view.annotation else { return XCTFail("no axes") }
        XCTAssertEqual(x.map { $0.label }, ["0s", "1s", "2s", "3s"])
        XCTAssertEqual(x.last?.position ?? 0, 1, accuracy: 1e-9)
        // Pitches 58…74 (padded by 2): C4 (60) and C5 (72), higher pitches nearer the top.
        XCTAssertEqual(y.map { $0.label }, ["C4", "C5"])
        XCTAssertGreaterThan(y[0].position, y[1].position)
        // The C5 note's row in the picture is lit where the label says it is.
        let row = Int(y[1].position * Double(view.picture.height))
        let column = Int(1.5 / 3 * Double(view.picture.width))
        XCTAssertGreaterThan(view.picture.pixel(column, row).x, 0.5, "no note at the C5 label")
    }

    func testPitchContourLiesOverTheSpectrogramOnTheLabelledAxis() throws {
        // A 440 Hz tone: the contour and the spectrogram's brightest row meet at A4, between C4 and C5.
        let rate = 16_000
        var samples = [Float](repeating: 0, count: rate * 2)
        for i in samples.indices { samples[i] = Float(0.5 * sin(2 * Double.pi * 440 * Double(i) / Double(rate))) }
        let clip = AudioClip(sampleRate: rate, mono: samples)
        let frames = stride(from: 0.0, to: 2.0, by: 0.01).map { PitchFrame(time: $0, frequency: 440, confidence: 0.95, voiced: true) }
        let view = try XCTUnwrap(ResultView.make(.pitch(frames), input: .audio(clip)))
        XCTAssertEqual(view.label, "contour over spectrogram")
        guard case .axes(_, let y)? = view.annotation else { return XCTFail("no axes") }
        XCTAssertTrue(y.contains { $0.label == "C5 523" }, "\(y.map { $0.label })")
        // The spectrogram is painted (not the plain background) and the contour row is amber.
        let points = frames.map { PitchContourPlot.Point(time: $0.time, frequency: $0.frequency, confidence: $0.confidence, voiced: true) }
        let (low, high) = PitchContourPlot.range(points, fmin: 40, fmax: 2000)
        let at = try XCTUnwrap(PitchContourPlot.position(of: 440, low: low, high: high))
        let row = Int((at * Double(view.picture.height - 1)).rounded())
        let contour = view.picture.pixel(view.picture.width / 2, row)
        XCTAssertGreaterThan(contour.x, 0.9)
        let background = view.picture.pixel(view.picture.width / 2, view.picture.height - 1)
        XCTAssertNotEqual(background, SIMD4<Float>(0.05, 0.05, 0.08, 1), "no spectrogram under the contour")
    }

    func testClassesBecomeBarsUnderTheInputPicture() throws {
        let image = Image(width: 8, height: 8, fill: [0.5, 0.2, 0.1])
        let scores = (0..<10).map { ClassScore(index: $0, label: "class \($0)", probability: Float(10 - $0) / 55) }
        let view = try XCTUnwrap(ResultView.make(.classes(scores), input: .image(image)))
        XCTAssertFalse(view.stretch)
        XCTAssertEqual(view.picture, image)
        guard case .bars(let bars)? = view.annotation else { return XCTFail("no bars") }
        XCTAssertEqual(bars.map { $0.label }, ["class 0", "class 1", "class 2", "class 3", "class 4"])
        XCTAssertEqual(bars[0].value, "18.2%")
    }

    func testPreviewDrawsBarsAndAxesAroundThePicture() throws {
        let (core, screen) = try Fixture.core()
        let request = RunRequest(runID: 9, modelID: "fake", inputPath: nil, parameters: ModelParameters(defaults: []))
        var state = core.state
        _ = Reducer.startRun(&state, request, modelName: "Classifier")
        _ = Reducer.modelEvent(&state, runID: 9, event: .finished(.classes([ClassScore(index: 1, label: "goldfish", probability: 0.75)])), at: 1)
        let image = Image(width: 16, height: 16, fill: [0.9, 0.5, 0.1])
        let bars = try XCTUnwrap(ResultView.make(.classes([ClassScore(index: 1, label: "goldfish", probability: 0.75),
                                                           ClassScore(index: 2, label: "koi", probability: 0.25)]), input: .image(image)))
        _ = Reducer.update(&state, .resultView(runID: 9, view: bars))
        PreviewPane.draw(state, on: screen, in: Layout(size: state.size).preview)
        let goldfish = try XCTUnwrap(screen.find("goldfish"), "no bar label")
        XCTAssertTrue(screen.line(goldfish.row).contains("75.0%"))
        XCTAssertTrue(screen.line(goldfish.row).contains("█"))
        XCTAssertEqual(screen.find("koi")?.row, goldfish.row + 1)
        // The picture keeps clear of the bars.
        XCTAssertLessThanOrEqual(Layout(size: state.size).pictureArea(for: state.preview.annotation).bottom, goldfish.row)

        let roll = try XCTUnwrap(ResultView.make(.notes(Self.notes), input: .none))
        _ = Reducer.update(&state, .resultView(runID: 9, view: roll))
        screen.clear()
        PreviewPane.draw(state, on: screen, in: Layout(size: state.size).preview)
        let area = Layout(size: state.size).pictureArea(for: state.preview.annotation)
        let c5 = try XCTUnwrap(screen.find("C5"))
        XCTAssertLessThan(c5.column, area.column, "pitch labels sit in the gutter left of the picture")
        XCTAssertEqual(screen.find("0s")?.row, area.bottom, "time labels sit under the picture")
        XCTAssertNotNil(screen.find("2s"))
        // The painter fills exactly the area left for the plot.
        var painter = PreviewPainter(mode: .truecolor)
        XCTAssertEqual(painter.paint(state, on: screen, now: 0), .painted)
        let raw = String(decoding: screen.takeRaw(), as: UTF8.self)
        XCTAssertTrue(raw.contains("\u{1B}[\(area.row + 1);\(area.column + 1)H"), "the plot does not start at the area's corner")
    }

    // MARK: Saving

    func testSaveOffersAFreeNameUnderOutputsAndNeverOverwrites() throws {
        let dir = try TemporaryDirectory(prefix: "mlwb-save")
        defer { dir.remove() }
        let outputs = dir.file("home/outputs")
        var state = AppState(size: TerminalSize(columns: 120, rows: 36))
        state.outputsDirectory = outputs
        let request = RunRequest(runID: 3, modelID: "basic-pitch", inputPath: "/music/My Song.wav", parameters: ModelParameters(defaults: []))
        _ = Reducer.startRun(&state, request, modelName: "Basic Pitch")
        _ = Reducer.modelEvent(&state, runID: 3, event: .finished(.notes(Self.notes)), at: 1)
        let view = try XCTUnwrap(ResultView.make(.notes(Self.notes), input: .none))
        _ = Reducer.update(&state, .resultView(runID: 3, view: view))
        let effects = Reducer.update(&state, .saveFrame)
        guard case .proposeSave(let item, let directory, let base)? = effects.first else { return XCTFail("\(effects)") }
        XCTAssertEqual(directory, outputs)
        XCTAssertEqual(base, "basic-pitch-My-Song-run3")
        XCTAssertEqual(item.defaultExtension, "mid")
        XCTAssertEqual(item.extensions, ["mid", "midi", "csv", "png"])

        // The default name is free, and the next one is too once it is taken.
        let first = try SaveLocation.freeName(in: directory, base: base, extension: "mid")
        XCTAssertEqual(first, outputs + "/basic-pitch-My-Song-run3.mid")
        try SaveLocation.write(item, to: first)
        XCTAssertEqual(try MIDIFile.read(first).notes.count, 3)
        XCTAssertEqual(try SaveLocation.freeName(in: directory, base: base, extension: "mid"), outputs + "/basic-pitch-My-Song-run3-2.mid")
        XCTAssertThrowsError(try SaveLocation.write(item, to: first)) { XCTAssertTrue("\($0)".contains("exists"), "\($0)") }

        // The prompt: typed names land under outputs, Enter saves, a failure reopens it with the reason.
        _ = Reducer.update(&state, .savePrompt(path: first, item: item))
        XCTAssertTrue(state.isEditingText)
        _ = Reducer.update(&state, .edit(.control("u")))
        for key in Key.typing("notes.csv") { _ = Reducer.update(&state, .edit(key)) }
        let save = Reducer.update(&state, .edit(.enter))
        XCTAssertEqual(save, [.save(item, path: "notes.csv", directory: outputs)])
        XCTAssertNil(state.savePrompt)
        let resolved = SaveLocation.resolve("notes.csv", in: outputs, environment: [:])
        try SaveLocation.write(item, to: resolved)
        XCTAssertTrue(try String(contentsOfFile: resolved, encoding: .utf8).hasPrefix("onset_s,offset_s,midi_pitch,velocity\n"))
        try SaveLocation.write(item, to: outputs + "/roll.png")
        XCTAssertEqual(try ImageFile.load(outputs + "/roll.png").width, view.picture.width)
        XCTAssertThrowsError(try SaveLocation.write(item, to: outputs + "/notes.lab")) { XCTAssertTrue("\($0)".contains(".mid"), "\($0)") }
        _ = Reducer.update(&state, .saveFailed(path: "notes.csv", item: item, error: "notes.csv exists: choose another name"))
        XCTAssertEqual(state.savePrompt?.problem, "notes.csv exists: choose another name")
        XCTAssertEqual(SaveLocation.resolve("~/x.mid", in: outputs, environment: ["HOME": "/home/u"]), "/home/u/x.mid")
        XCTAssertEqual(SaveLocation.resolve("/tmp/x.mid", in: outputs, environment: [:]), "/tmp/x.mid")
    }

    func testNothingToSaveSaysSo() {
        var state = AppState(size: TerminalSize(columns: 120, rows: 36))
        XCTAssertEqual(Reducer.update(&state, .saveFrame), [])
        XCTAssertTrue(state.message?.text.hasPrefix("nothing to save yet") ?? false)
    }
}
