@testable import Models
import TestSupport
import XCTest

/// `.lab` reading and writing, and mir_eval's adjust and merge of labelled intervals.
final class LabeledIntervalsTests: XCTestCase {
    func testReadsLabFilesAsMirEvalDoes() throws {
        let text = "# a comment\n0.0\t1.5\tC:maj\n\n1.5 3.25  G:7/3\n3.25\t4\tN\n"
        let lab = try LabeledIntervals.parse(text)
        XCTAssertEqual(lab.labels, ["C:maj", "G:7/3", "N"])
        XCTAssertEqual(lab.intervals.map(\.start), [0, 1.5, 3.25])
        XCTAssertEqual(lab.durations, [1.5, 1.75, 0.75])
    }

    func testBadLinesSayWhereAndWhat() {
        XCTAssertThrowsError(try LabeledIntervals.parse("0 1 C:maj\n1 2\n", path: "x.lab")) { error in
            XCTAssertEqual("\(error)", "x.lab:2: expected 'start end label', got '1 2'")
        }
        XCTAssertThrowsError(try LabeledIntervals.parse("zero 1 C:maj\n", path: "x.lab")) { error in
            XCTAssertTrue("\(error)".hasPrefix("x.lab:1: times must be numbers in seconds"), "\(error)")
        }
        XCTAssertThrowsError(try LabeledIntervals.parse("2 1 C:maj\n", path: "x.lab")) { error in
            XCTAssertTrue("\(error)".contains("0 ≤ start ≤ end"), "\(error)")
        }
        XCTAssertThrowsError(try LabeledIntervals.read("/nonexistent/x.lab")) { error in
            XCTAssertTrue("\(error)".contains("cannot be read"), "\(error)")
        }
    }

    func testLabTextRoundTrips() throws {
        let lab = LabeledIntervals(intervals: [(0, 0.5), (0.5, 2.333333333)], labels: ["N", "E:min7"])
        XCTAssertEqual(lab.labText, "0.000000\t0.500000\tN\n0.500000\t2.333333\tE:min7\n")
        XCTAssertEqual(try LabeledIntervals.parse(lab.labText).labels, lab.labels)
    }

    func testAdjustClipsAndPadsLikeMirEval() {
        let lab = LabeledIntervals(intervals: [(0.5, 3), (3, 6)], labels: ["C:maj", "F:maj"])
        let adjusted = lab.adjusted(tMin: 0, tMax: 10, fill: "N")
        XCTAssertEqual(adjusted.labels, ["N", "C:maj", "F:maj", "N"])
        XCTAssertEqual(adjusted.intervals.map(\.start), [0, 0.5, 3, 6])
        XCTAssertEqual(adjusted.intervals.map(\.end), [0.5, 3, 6, 10])
        let cropped = lab.adjusted(tMin: 1, tMax: 4, fill: "N")
        XCTAssertEqual(cropped.labels, ["C:maj", "F:maj"])
        XCTAssertEqual(cropped.intervals.map(\.start), [1, 3])
        XCTAssertEqual(cropped.intervals.map(\.end), [3, 4])
        XCTAssertEqual(LabeledIntervals(intervals: [], labels: []).adjusted(tMin: 0, tMax: 2, fill: "N").labels, ["N"])
    }

    func testMergeCutsAtEveryBoundary() throws {
        let x = LabeledIntervals(intervals: [(0, 2), (2, 4)], labels: ["A", "B"])
        let y = LabeledIntervals(intervals: [(0, 1), (1, 3), (3, 4)], labels: ["a", "b", "c"])
        let merged = try LabeledIntervals.merge(x, y)
        XCTAssertEqual(merged.intervals.map(\.start), [0, 1, 2, 3])
        XCTAssertEqual(merged.x, ["A", "A", "B", "B"])
        XCTAssertEqual(merged.y, ["a", "b", "b", "c"])
        XCTAssertThrowsError(try LabeledIntervals.merge(x, LabeledIntervals(intervals: [(0, 3)], labels: ["a"])))
    }
}
