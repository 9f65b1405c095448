import Audio
import Checkpoints
import Foundation
import MIDI
@testable import Models
import TestSupport
import XCTest

/// The Basic Pitch network through mlwb's own ONNX runtime, against Basic Pitch's raw outputs and notes.
final class BasicPitchModelTests: XCTestCase {
    static let excerpts = ["bach_bwv66_6", "joplin_maple_leaf_rag", "mozart_k155_ii"]

    /// A context whose store (MLWB_HOME = `home`) holds the shared Basic Pitch model, or a skip.
    static func context(_ home: TemporaryDirectory) throws -> ModelContext {
        let onnx = try SharedData.require("weights/basic-pitch-icassp2022-nmp.onnx")
        let store = try ModelTestSupport.store(in: home)
        try store.importFile(onnx)
        return ModelContext(store: store, environment: ["MLWB_HOME": home.path])
    }

    func testWindowingGeometry() {
        XCTAssertEqual(BasicPitchWindowing.windowCount(sampleCount: 619_384), 18)
        XCTAssertEqual(BasicPitchWindowing.frameCount(sampleCount: 619_384), 2415)
        XCTAssertEqual(BasicPitchWindowing.windowCount(sampleCount: 1), 1)
        let audio = (0..<80_000).map { Float($0) }
        let w = BasicPitchWindowing.windows(audio)
        XCTAssertEqual(w.count, 3 * 43_844)
        XCTAssertEqual(w[3_839], 0)
        XCTAssertEqual(w[3_840], 0)          // audio[0]
        XCTAssertEqual(w[3_841], 1)
        XCTAssertEqual(w[43_844], 36_164 - 3_840)   // second window starts 36,164 padded samples later
        XCTAssertEqual(w.last, 0)
    }

    /// The model part: mlwb's posteriorgrams for the Bach WAV equal Basic Pitch's (npz) within float tolerance.
    func testPosteriorgramsMatchBasicPitchRawOutputs() throws {
        let home = try TemporaryDirectory(prefix: "mlwb-bp")
        defer { home.remove() }
        let transcriber = try BasicPitch.transcriber(context: try Self.context(home))
        let clip = try AudioFile.load(try SharedData.require("audio/bach_bwv66_6.wav"))
        let ours = try transcriber.posteriorgrams(clip)
        let reference = try BasicPitchNoteCreationTests.bachPosteriorgrams()
        XCTAssertEqual(ours.frameCount, reference.frameCount)
        for (label, a, b) in [("note", ours.note, reference.note), ("onset", ours.onset, reference.onset), ("contour", ours.contour, reference.contour)] {
            XCTAssertEqual(a.count, b.count, label)
            var worst: Float = 0
            for i in 0..<min(a.count, b.count) { worst = max(worst, abs(a[i] - b[i])) }
            print("Basic Pitch \(label): max |mlwb − Basic Pitch| = \(worst)")
            XCTAssertLessThan(worst, 2e-3, label)
        }
    }

    /// Acceptance on ../shared/audio: onset-F1 ≥ 0.98 against Basic Pitch's own notes, and F1 against the
    /// ground truth within 0.01 of Basic Pitch's, for all three excerpts (through the registered model).
    func testAcceptanceOnSharedExcerpts() async throws {
        let home = try TemporaryDirectory(prefix: "mlwb-bp")
        defer { home.remove() }
        let context = try Self.context(home)
        let model = try ModelRegistry(models: [BasicPitch()]).model("basic-pitch")
        XCTAssertEqual(model.task, .audioToNotes)
        for name in Self.excerpts {
            let clip = try AudioFile.load(try SharedData.require("audio/\(name).wav"))
            var notes: [NoteEvent]?
            for await event in model.run(.audio(clip), parameters: ModelParameters(defaults: model.parameters), context: context) {
                switch event {
                case .finished(.notes(let n)): notes = n
                case .failed(let message): XCTFail("\(name): \(message)")
                default: break
                }
            }
            let ours = try XCTUnwrap(notes, name)
            let basicPitch = try NoteTable.readNotes(try SharedData.require("audio/\(name).basicpitch.csv"))
            let truth = try NoteTable.readNotes(try SharedData.require("audio/\(name).notes.csv"))
            let agreement = NoteEvaluation.evaluate(reference: basicPitch, estimate: ours)
            let oursVsTruth = NoteEvaluationReport(reference: truth, estimate: ours)
            let refVsTruth = NoteEvaluationReport(reference: truth, estimate: basicPitch)
            print(String(format: "%@: %d notes (Basic Pitch %d); onset-F1 vs Basic Pitch %.4f; F1 vs truth %.3f (ref %.3f), onset+offset %.3f (ref %.3f)",
                         name, ours.count, basicPitch.count, agreement.f1, oursVsTruth.onset.f1, refVsTruth.onset.f1,
                         oursVsTruth.onsetOffset.f1, refVsTruth.onsetOffset.f1))
            XCTAssertGreaterThanOrEqual(agreement.f1, 0.98, name)
            XCTAssertEqual(oursVsTruth.onset.f1, refVsTruth.onset.f1, accuracy: 0.01, name)
        }
    }

    func testMissingCheckpointSaysHowToGetIt() throws {
        let home = try TemporaryDirectory(prefix: "mlwb-bp")
        defer { home.remove() }
        let store = try ModelTestSupport.store(in: home)
        let context = ModelContext(store: store, environment: ["MLWB_HOME": home.path])
        XCTAssertThrowsError(try BasicPitch.transcriber(context: context)) { error in
            let text = String(describing: error)
            XCTAssertTrue(text.contains("mlwb checkpoints get basic_pitch_icassp2022"), text)
            XCTAssertTrue(text.contains("mlwb checkpoints import"), text)
        }
    }
}
