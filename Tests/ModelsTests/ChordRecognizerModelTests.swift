import Audio
import Foundation
@testable import Models
import TestSupport
import XCTest

/// The recogniser as a registry model: parameters, the event stream and its result.
final class ChordRecognizerModelTests: XCTestCase {
    func events(_ model: ChordRecognizerModel, _ input: ModelInput, _ parameters: ModelParameters) async throws -> [ModelEvent] {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let context = ModelContext(store: try ModelTestSupport.store(in: directory), environment: [:])
        var out: [ModelEvent] = []
        for await event in model.run(input, parameters: parameters, context: context) { out.append(event) }
        return out
    }

    func testIsRegisteredWithTypedParameters() throws {
        let model = try ModelRegistry.standard.model("chords-nnls")
        XCTAssertEqual(model.task, .audioToChords)
        XCTAssertEqual(model.checkpointIDs, [])
        XCTAssertEqual(model.parameters.map(\.name),
                       ["vocabulary", "inversions", "self-transition", "no-chord-db", "spectral-shape", "whitening", "tuning", "beats"])
        var p = ModelParameters(defaults: model.parameters)
        let specs = ChordRecognizerModel.parameterSpecs
        p.set("vocabulary", try specs[0].parse("sevenths"))
        p.set("inversions", try specs[1].parse("no"))
        p.set("self-transition", try specs[2].parse("0.9"))
        let settings = ChordRecognizerModel.settings(p)
        XCTAssertEqual(settings.vocabulary, .sevenths)
        XCTAssertFalse(settings.inversions)
        XCTAssertEqual(settings.decoder.selfTransition, 0.9)
        XCTAssertThrowsError(try specs[0].parse("jazz"))
        XCTAssertThrowsError(try specs[2].parse("1.5"))
        XCTAssertEqual(ChordRecognizer.Settings(), ChordRecognizerModel.settings(ModelParameters(defaults: specs)))
    }

    func testRunFinishesWithChordSegments() async throws {
        let notes: [(pitch: Int, start: Double, end: Double, velocity: Int)] = [(33, 0, 2, 100), (57, 0, 2, 90), (60, 0, 2, 90), (64, 0, 2, 90)]
        let model = ChordRecognizerModel()
        let events = try await events(model, .audio(AudioClip.notes(notes, sampleRate: 22_050)), ModelParameters(defaults: model.parameters))
        guard case .finished(.chords(let segments))? = events.last else { return XCTFail("\(events)") }
        XCTAssertTrue(segments.contains { $0.label == "A:min" }, "\(segments)")
        XCTAssertTrue(events.contains { if case .log(let text) = $0 { return text.contains("segment") && text.contains("cents") } else { return false } })
    }

    func testWrongInputAndBadBeatsFileFailClearly() async throws {
        let model = ChordRecognizerModel()
        let image = try await events(model, .none, ModelParameters(defaults: model.parameters))
        guard case .failed(let message)? = image.last else { return XCTFail("\(image)") }
        XCTAssertTrue(message.contains("needs audio"), message)
        var p = ModelParameters(defaults: model.parameters)
        p.set("beats", .string("/nonexistent/beats.txt"))
        let missing = try await events(model, .audio(AudioClip(silenceOf: 100, sampleRate: 8000)), p)
        guard case .failed(let text)? = missing.last else { return XCTFail("\(missing)") }
        XCTAssertTrue(text.contains("/nonexistent/beats.txt"), text)
    }
}
