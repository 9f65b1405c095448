import Foundation
@testable import Models
import TestSupport
import XCTest

/// mir_eval.chord.evaluate reproduced: label pairs written for the tricky cases (X and N, rules that skip
/// references, extended chords and omissions, inversions, an estimate shorter or longer than the
/// reference, an empty one) and three random pairs from a pool of awkward labels. The expected numbers
/// were computed with mir_eval 0.8.2 (`mir_eval.chord.evaluate` on these texts, /tmp/mirvenv) and are
/// frozen here to 6 decimals.
final class ChordEvaluationTests: XCTestCase {
    static let fixtures: [(name: String, reference: String, estimate: String, scores: [String: Double])] = [
        ("basic", "0 1 N\n1 3 C:maj\n3 5 G:7\n5 6 A:min\n6 8 F:maj7\n8 9 N\n",
         "0 1.2 N\n1.2 3 C:maj\n3 4 G:maj\n4 5.5 G:7\n5.5 6 A:min7\n6 7 F:maj7\n7 8 F:maj\n8 9 N\n",
         ["thirds": 0.922222, "thirds_inv": 0.922222, "triads": 0.922222, "triads_inv": 0.922222, "tetrads": 0.644444, "tetrads_inv": 0.644444, "root": 0.922222, "mirex": 0.922222, "majmin": 0.922222, "majmin_inv": 0.922222, "sevenths": 0.644444, "sevenths_inv": 0.644444, "underseg": 0.922222, "overseg": 0.700000, "seg": 0.700000]),
        ("inversions", "0 2 C:maj/3\n2 4 G:7/b7\n4 6 A:min/5\n6 8 E:maj/b7\n",
         "0 2 C:maj\n2 4 G:7/b7\n4 5 A:min/5\n5 6 C:maj6\n6 8 E:7\n",
         ["thirds": 0.875000, "thirds_inv": 0.375000, "triads": 0.875000, "triads_inv": 0.375000, "tetrads": 0.875000, "tetrads_inv": 0.375000, "root": 0.875000, "mirex": 1.000000, "majmin": 0.875000, "majmin_inv": 0.375000, "sevenths": 0.875000, "sevenths_inv": 0.375000, "underseg": 1.000000, "overseg": 0.875000, "seg": 0.875000]),
        ("unknown_x", "0 1 X\n1 3 C:maj\n3 4 X\n4 6 D:min\n",
         "0 2 C:maj\n2 4 X\n4 6 D:min7\n",
         ["thirds": 0.750000, "thirds_inv": 0.750000, "triads": 0.750000, "triads_inv": 0.750000, "tetrads": 0.250000, "tetrads_inv": 0.250000, "root": 0.750000, "mirex": 1.000000, "majmin": 0.750000, "majmin_inv": 0.750000, "sevenths": 0.250000, "sevenths_inv": 0.250000, "underseg": 0.666667, "overseg": 0.833333, "seg": 0.666667]),
        ("gamut", "0 1 C:sus4\n1 2 C:aug\n2 3 B:hdim7\n3 4 F#:dim\n4 5 C:maj\n5 6 A:min7\n6 7 C:5\n",
         "0 1 C:maj\n1 2 C:aug\n2 3 D:min\n3 4 D:7\n4 5 C:maj\n5 6 C:maj\n6 7 C:maj\n",
         ["thirds": 0.571429, "thirds_inv": 0.571429, "triads": 0.285714, "triads_inv": 0.285714, "tetrads": 0.285714, "tetrads_inv": 0.285714, "root": 0.571429, "mirex": 0.833333, "majmin": 0.500000, "majmin_inv": 0.500000, "sevenths": 0.500000, "sevenths_inv": 0.500000, "underseg": 0.714286, "overseg": 1.000000, "seg": 0.714286]),
        ("extended", "0 1 C:9\n1 2 C:maj(9)\n2 3 C:min11\n3 4 C:13\n4 5 Db:maj\n5 6 C:7(b9)\n",
         "0 1 C:7\n1 2 C:maj\n2 3 C:min7\n3 4 C:7\n4 5 C#:maj\n5 6 C:7\n",
         ["thirds": 1.000000, "thirds_inv": 1.000000, "triads": 1.000000, "triads_inv": 1.000000, "tetrads": 1.000000, "tetrads_inv": 1.000000, "root": 1.000000, "mirex": 1.000000, "majmin": 1.000000, "majmin_inv": 1.000000, "sevenths": 1.000000, "sevenths_inv": 1.000000, "underseg": 1.000000, "overseg": 1.000000, "seg": 1.000000]),
        ("est_short", "0 2 C:maj\n2 4 F:maj\n4 10 G:maj\n",
         "0.5 3 C:maj\n3 6 F:maj\n",
         ["thirds": 0.250000, "thirds_inv": 0.250000, "triads": 0.250000, "triads_inv": 0.250000, "tetrads": 0.250000, "tetrads_inv": 0.250000, "root": 0.250000, "mirex": 0.250000, "majmin": 0.250000, "majmin_inv": 0.250000, "sevenths": 0.250000, "sevenths_inv": 0.250000, "underseg": 0.800000, "overseg": 0.650000, "seg": 0.650000]),
        ("est_long", "1 3 C:maj\n3 5 A:min\n",
         "0 2 C:maj\n2 4 A:min\n4 8 E:min\n",
         ["thirds": 0.500000, "thirds_inv": 0.500000, "triads": 0.500000, "triads_inv": 0.500000, "tetrads": 0.500000, "tetrads_inv": 0.500000, "root": 0.500000, "mirex": 0.500000, "majmin": 0.500000, "majmin_inv": 0.500000, "sevenths": 0.500000, "sevenths_inv": 0.500000, "underseg": 0.750000, "overseg": 0.500000, "seg": 0.500000]),
        ("empty_est", "0 4 C:maj\n4 8 G:maj\n",
         "",
         ["thirds": 0.000000, "thirds_inv": 0.000000, "triads": 0.000000, "triads_inv": 0.000000, "tetrads": 0.000000, "tetrads_inv": 0.000000, "root": 0.000000, "mirex": 0.000000, "majmin": 0.000000, "majmin_inv": 0.000000, "sevenths": 0.000000, "sevenths_inv": 0.000000, "underseg": 0.500000, "overseg": 1.000000, "seg": 0.500000]),
        ("n_only", "0 2 N\n2 4 C:maj\n4 6 N\n",
         "0 6 N\n",
         ["thirds": 0.666667, "thirds_inv": 0.666667, "triads": 0.666667, "triads_inv": 0.666667, "tetrads": 0.666667, "tetrads_inv": 0.666667, "root": 0.666667, "mirex": 0.666667, "majmin": 0.666667, "majmin_inv": 0.666667, "sevenths": 0.666667, "sevenths_inv": 0.666667, "underseg": 0.333333, "overseg": 1.000000, "seg": 0.333333]),
        ("mirex", "0 1 C:maj\n1 2 C:maj7\n2 3 C:1\n3 4 C:5\n4 5 N\n5 6 C:min\n",
         "0 1 A:min7\n1 2 E:min\n2 3 C:maj\n3 4 C:maj\n4 5 X\n5 6 X\n",
         ["thirds": 0.333333, "thirds_inv": 0.333333, "triads": 0.000000, "triads_inv": 0.000000, "tetrads": 0.000000, "tetrads_inv": 0.000000, "root": 0.500000, "mirex": 1.000000, "majmin": 0.000000, "majmin_inv": 0.000000, "sevenths": 0.000000, "sevenths_inv": 0.000000, "underseg": 0.666667, "overseg": 1.000000, "seg": 0.666667]),
        ("omissions", "0 1 C:maj(*3)\n1 2 C:(1,5)\n2 3 C:min7(*b3)\n3 4 C:maj/9\n4 5 C:(3)\n",
         "0 1 C:5\n1 2 C:5\n2 3 C:7\n3 4 C:maj(9)/9\n4 5 C:maj\n",
         ["thirds": 1.000000, "thirds_inv": 1.000000, "triads": 0.600000, "triads_inv": 0.600000, "tetrads": 0.600000, "tetrads_inv": 0.600000, "root": 1.000000, "mirex": 1.000000, "majmin": 0.000000, "majmin_inv": 0.000000, "sevenths": 0.000000, "sevenths_inv": 0.000000, "underseg": 1.000000, "overseg": 1.000000, "seg": 1.000000]),
        ("random0", "0.000 0.574 C:7\n0.574 1.408 Db:maj\n1.408 2.571 C:7/b7\n2.571 2.595 G:13\n2.595 2.959 Cb:maj\n2.959 7.380 C:aug\n7.380 9.986 D:maj(*3)\n9.986 12.030 C:7\n12.030 12.438 C:hdim7\n12.438 18.564 G:sus2\n18.564 18.967 C:dim\n18.967 20.000 G:13\n",
         "0.000 2.446 A:maj6\n2.446 3.886 C:aug\n3.886 4.471 N\n4.471 6.712 C:maj\n6.712 8.874 Cb:maj\n8.874 9.189 E:5\n9.189 9.735 C:sus4\n9.735 10.432 C:7/b7\n10.432 10.521 C:dim\n10.521 11.240 C:7\n11.240 15.242 D:maj(*3)\n15.242 15.518 G:13\n15.518 16.479 C:maj\n16.479 18.637 C:min7\n18.637 19.000 E:9\n",
         ["thirds": 0.240350, "thirds_inv": 0.211800, "triads": 0.104600, "triads_inv": 0.082300, "tetrads": 0.104600, "tetrads_inv": 0.082300, "root": 0.244800, "mirex": 0.120271, "majmin": 0.193009, "majmin_inv": 0.119119, "sevenths": 0.193009, "sevenths_inv": 0.119119, "underseg": 0.792800, "overseg": 0.595050, "seg": 0.595050]),
        ("random1", "0.000 0.338 E:5\n0.338 0.661 C:maj\n0.661 3.196 C:min/b3\n3.196 4.015 A:(1,5)\n4.015 4.343 A:maj6\n4.343 6.786 D:maj(*3)\n6.786 6.915 X\n6.915 9.378 Db:maj\n9.378 13.947 X\n13.947 18.123 C:maj7\n18.123 19.929 D:maj(*3)\n19.929 20.000 C:maj\n",
         "0.000 0.492 E:maj(9)\n0.492 0.539 C:maj/5\n0.539 1.238 G:sus2\n1.238 1.785 C#:min7\n1.785 2.544 C:maj7\n2.544 3.453 A:maj6\n3.453 3.913 C:maj\n3.913 6.174 A:maj6\n6.174 6.348 N\n6.348 9.326 C:maj/3\n9.326 11.968 C:sus4\n11.968 14.785 Gb:7/3\n14.785 16.782 B:dim7\n16.782 17.915 G:13\n17.915 20.000 Db:maj\n",
         ["thirds": 0.070056, "thirds_inv": 0.066985, "triads": 0.024507, "triads_inv": 0.021435, "tetrads": 0.024507, "tetrads_inv": 0.021435, "root": 0.119658, "mirex": 0.037894, "majmin": 0.037894, "majmin_inv": 0.033145, "sevenths": 0.004912, "sevenths_inv": 0.000000, "underseg": 0.865050, "overseg": 0.643700, "seg": 0.643700]),
        ("random2", "0.000 0.800 C:min\n0.800 4.344 C:maj\n4.344 5.163 C#:min7\n5.163 6.286 C:maj/5\n6.286 6.304 Cb:maj\n6.304 6.814 C:dim\n6.814 8.720 C:maj7\n8.720 14.930 D:maj(*3)\n14.930 17.058 C:sus4\n17.058 18.820 B:dim7\n18.820 19.566 C:aug\n19.566 20.000 C#:min7\n",
         "0.000 0.744 C#:min7\n0.744 3.016 Cb:maj\n3.016 3.144 C:7\n3.144 3.424 C:7\n3.424 7.548 Gb:7/3\n7.548 9.306 C:dim\n9.306 13.149 E:5\n13.149 13.891 C:maj/3\n13.891 14.538 Bb:minmaj7\n14.538 15.944 X\n15.944 16.402 F:min11\n16.402 16.512 D:maj(*3)\n16.512 18.789 C:hdim7\n18.789 19.478 F:min11\n19.478 21.000 C:min7\n",
         ["thirds": 0.020400, "thirds_inv": 0.020400, "triads": 0.020400, "triads_inv": 0.020400, "tetrads": 0.000000, "tetrads_inv": 0.000000, "root": 0.110700, "mirex": 0.103118, "majmin": 0.047200, "majmin_inv": 0.047200, "sevenths": 0.000000, "sevenths_inv": 0.000000, "underseg": 0.765000, "overseg": 0.714100, "seg": 0.714100]),
    ]

    func testAgreesWithMirEvalOnEveryFixture() throws {
        for fixture in Self.fixtures {
            let reference = try LabeledIntervals.parse(fixture.reference, path: fixture.name)
            let estimate = try LabeledIntervals.parse(fixture.estimate, path: fixture.name)
            let result = try ChordEvaluation.evaluate(reference: reference, estimate: estimate)
            for (name, expected) in fixture.scores {
                let value: Double
                switch name {
                case "overseg": value = result.overSegmentation
                case "underseg": value = result.underSegmentation
                case "seg": value = result.segmentation
                default:
                    guard let metric = ChordEvaluation.Metric(rawValue: name) else { return XCTFail("unknown metric \(name)") }
                    value = result[metric]
                }
                XCTAssertEqual(value, expected, accuracy: 5e-6, "\(fixture.name) \(name)")
            }
            XCTAssertEqual(fixture.scores.count, ChordEvaluation.Metric.allCases.count + 3, fixture.name)
        }
    }

    /// The shared README's "+0.1 s" baseline: each reference shifted 0.1 s later (N in front) against itself.
    func testReproducesTheSharedReadmeShiftBaseline() throws {
        let table: [(String, Double, Double, Double)] = [
            ("chords_jazzguitar_swing_120", 0.937, 0.934, 0.934),
            ("chords_piano_pop_96", 0.942, 0.941, 0.941),
            ("chords_strings_66", 0.950, 0.940, 0.940),
        ]
        for (name, root, majmin, sevenths) in table {
            let reference = try LabeledIntervals.read(try SharedData.require("mir/chords/\(name).chords.lab"))
            let shifted = LabeledIntervals(intervals: [(0, 0.1)] + reference.intervals.map { ($0.start + 0.1, $0.end + 0.1) },
                                           labels: ["N"] + reference.labels)
            let result = try ChordEvaluation.evaluate(reference: reference, estimate: shifted)
            XCTAssertEqual(result[.root], root, accuracy: 0.0005, name)
            XCTAssertEqual(result[.majmin], majmin, accuracy: 0.0005, name)
            XCTAssertEqual(result[.sevenths], sevenths, accuracy: 0.0005, name)
            // And a perfect estimate scores 1 everywhere.
            let perfect = try ChordEvaluation.evaluate(reference: reference, estimate: reference)
            for metric in ChordEvaluation.Metric.allCases { XCTAssertEqual(perfect[metric], 1, accuracy: 1e-12, "\(name) \(metric)") }
            XCTAssertEqual(perfect.segmentation, 1, accuracy: 1e-12)
        }
    }

    func testLabelErrorsNameTheLabel() throws {
        let reference = try LabeledIntervals.parse("0 1 C:maj\n1 2 H:min\n")
        XCTAssertThrowsError(try ChordEvaluation.evaluate(reference: reference, estimate: reference)) { error in
            XCTAssertTrue("\(error)".contains("'H:min' is not a Harte chord label"), "\(error)")
        }
        XCTAssertThrowsError(try ChordEvaluation.evaluate(reference: LabeledIntervals(intervals: [], labels: []), estimate: reference)) { error in
            XCTAssertTrue("\(error)".contains("the reference has no intervals"), "\(error)")
        }
    }

    func testReferenceOutOfTimeOrderIsRefusedClearly() throws {
        // mir_eval refuses it too ("Time intervals do not align").
        let reference = try LabeledIntervals.parse("0 1 C:maj\n2 3 G:maj\n1 2 A:min\n")
        XCTAssertThrowsError(try ChordEvaluation.evaluate(reference: reference, estimate: reference)) { error in
            XCTAssertTrue("\(error)".contains("time order"), "\(error)")
        }
    }

    func testWeightedAccuracyEdges() {
        XCTAssertEqual(ChordEvaluation.weightedAccuracy([1, 0], weights: [0, 0]), 0)
        XCTAssertEqual(ChordEvaluation.weightedAccuracy([-1, -1], weights: [1, 2]), 0)
        XCTAssertEqual(ChordEvaluation.weightedAccuracy([1, -1, 0], weights: [1, 5, 3]), 0.25, accuracy: 1e-12)
    }
}
