import Foundation
import MIDI
@testable import Models
import TestSupport
import XCTest

final class NoteEvaluationTests: XCTestCase {
    /// The shared README's table: P, R, F1 (onset) and F1 (onset+offset, ratio 0.2) of Basic Pitch's output.
    static let readmeScores: [(name: String, ref: Int, est: Int, p: Double, r: Double, f1: Double, f1Offset: Double)] = [
        ("bach_bwv66_6", 154, 194, 0.758, 0.955, 0.845, 0.644),
        ("joplin_maple_leaf_rag", 294, 341, 0.724, 0.840, 0.778, 0.482),
        ("mozart_k155_ii", 173, 181, 0.829, 0.867, 0.847, 0.689),
    ]

    func testReproducesTheSharedReadmeTable() throws {
        for row in Self.readmeScores {
            let reference = try NoteTable.readNotes(try SharedData.require("audio/\(row.name).notes.csv"))
            let estimate = try NoteTable.readNotes(try SharedData.require("audio/\(row.name).basicpitch.csv"))
            let report = NoteEvaluationReport(reference: reference, estimate: estimate)
            XCTAssertEqual(report.onset.referenceCount, row.ref, row.name)
            XCTAssertEqual(report.onset.estimateCount, row.est, row.name)
            XCTAssertEqual(report.onset.precision, row.p, accuracy: 0.0005, row.name)
            XCTAssertEqual(report.onset.recall, row.r, accuracy: 0.0005, row.name)
            XCTAssertEqual(report.onset.f1, row.f1, accuracy: 0.0005, row.name)
            XCTAssertEqual(report.onsetOffset.f1, row.f1Offset, accuracy: 0.0005, row.name)
        }
    }

    func testMIDIGroundTruthScoresLikeTheCSV() throws {
        let csv = try NoteTable.readNotes(try SharedData.require("audio/bach_bwv66_6.notes.csv"))
        let estimate = try NoteTable.readNotes(try SharedData.require("audio/bach_bwv66_6.basicpitch.csv"))
        let mid = NoteEvent.mergingUnisons(try NoteTable.readNotes(try SharedData.require("audio/bach_bwv66_6.mid")))
        XCTAssertEqual(NoteEvaluation.evaluate(reference: mid, estimate: estimate).f1,
                       NoteEvaluation.evaluate(reference: csv, estimate: estimate).f1, accuracy: 0.01)
    }

    func testToleranceEdgesAndMaximumMatching() {
        func note(_ p: Int, _ s: Double, _ e: Double) -> NoteEvent { NoteEvent(pitch: p, start: s, end: e) }
        // Exactly 50 ms apart still matches (distances are rounded to 4 decimals, compared with <=).
        XCTAssertEqual(NoteEvaluation.evaluate(reference: [note(60, 1.0, 2.0)], estimate: [note(60, 1.05, 2.0)]).matching.count, 1)
        XCTAssertEqual(NoteEvaluation.evaluate(reference: [note(60, 1.0, 2.0)], estimate: [note(60, 1.0501, 2.0)]).matching.count, 0)
        XCTAssertEqual(NoteEvaluation.evaluate(reference: [note(60, 1.0, 2.0)], estimate: [note(61, 1.0, 2.0)]).matching.count, 0)
        // Offsets: tolerance is max(0.2 × duration, 50 ms).
        let withOffsets = NoteEvaluation.Settings(offsetRatio: 0.2)
        XCTAssertEqual(NoteEvaluation.evaluate(reference: [note(60, 1, 2)], estimate: [note(60, 1, 2.2)], settings: withOffsets).matching.count, 1)
        XCTAssertEqual(NoteEvaluation.evaluate(reference: [note(60, 1, 2)], estimate: [note(60, 1, 2.21)], settings: withOffsets).matching.count, 0)
        XCTAssertEqual(NoteEvaluation.evaluate(reference: [note(60, 1, 1.1)], estimate: [note(60, 1, 1.15)], settings: withOffsets).matching.count, 1)
        // A greedy first choice would match ref 0 with est 0 and leave ref 1 alone; the maximum matching pairs both.
        let refs = [note(60, 1.00, 2), note(60, 1.06, 2)]
        let ests = [note(60, 1.03, 2), note(60, 0.97, 2)]
        let result = NoteEvaluation.evaluate(reference: refs, estimate: ests)
        XCTAssertEqual(result.matching.count, 2)
        XCTAssertEqual(result.f1, 1)
        // Empty sides score 0.
        XCTAssertEqual(NoteEvaluation.evaluate(reference: [], estimate: ests).f1, 0)
    }
}
