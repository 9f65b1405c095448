import Audio
import Foundation
import Media
@testable import Models
import TestSupport
import XCTest

/// `mlwb chords`, `mlwb eval-chords` and `mlwb models run chords-nnls` through the built binary.
final class ChordsCommandTests: XCTestCase {
    var directory: TemporaryDirectory!
    override func setUpWithError() throws { directory = try TemporaryDirectory(prefix: "mlwb-chords-cli") }
    override func tearDown() { directory.remove() }

    /// A 6 s WAV: A minor, then F major over F.
    func progression() throws -> String {
        let notes: [(pitch: Int, start: Double, end: Double, velocity: Int)] = [
            (33, 0, 2.9, 100), (57, 0, 2.9, 90), (60, 0, 2.9, 90), (64, 0, 2.9, 90),
            (29, 3, 5.9, 100), (57, 3, 5.9, 90), (60, 3, 5.9, 90), (65, 3, 5.9, 90),
        ]
        let path = directory.file("progression.wav")
        try AudioFile.save(AudioClip.notes(notes, sampleRate: 22_050, duration: 6), to: path)
        return path
    }

    func testWritesALabFileMirEvalReads() throws {
        let input = try progression(), lab = directory.file("out.lab"), csv = directory.file("out.csv")
        let r = try ProcessRunner.mlwb(["chords", input, "-o", lab, "--csv", csv])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("→ \(lab), \(csv)"), r.stdout)
        let intervals = try LabeledIntervals.read(lab)
        XCTAssertTrue(intervals.labels.contains("A:min"), "\(intervals.labels)")
        XCTAssertTrue(intervals.labels.contains("F:maj"), "\(intervals.labels)")
        XCTAssertEqual(intervals.intervals.first?.start, 0)
        XCTAssertEqual(intervals.intervals.last?.end ?? 0, 6, accuracy: 1e-6)
        for label in intervals.labels { XCTAssertNoThrow(try HarteChord(label)) }
        let lines = try String(contentsOfFile: csv, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines.first, "start_s,end_s,label")
        XCTAssertEqual(lines.count, intervals.count + 1)
        XCTAssertEqual(directory.contents(), ["out.csv", "out.lab", "progression.wav"], "no temporary files left behind")

        // Without -o the .lab lines go to stdout; scoring the result against itself is perfect.
        let printed = try ProcessRunner.mlwb(["chords", input, "--vocabulary", "majmin", "--no-inversions"])
        XCTAssertEqual(printed.status, 0, printed.stderr)
        XCTAssertTrue(printed.stdout.contains("\tA:min\n"), printed.stdout)
        let eval = try ProcessRunner.mlwb(["eval-chords", lab, lab])
        XCTAssertEqual(eval.status, 0, eval.stderr)
        XCTAssertTrue(eval.stdout.contains("majmin        1.0000"), eval.stdout)
        XCTAssertTrue(eval.stdout.contains("sevenths_inv  1.0000"), eval.stdout)
    }

    func testShowDrawsTheLaneAndItsLabels() throws {
        let r = try ProcessRunner.mlwb(["chords", try progression(), "--show", "--size", "60x12", "--colors", "none"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let lines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertTrue(lines.contains { $0.contains("A:min") && $0.contains("F:maj") }, r.stdout)
        XCTAssertGreaterThan(lines.count, 8)
    }

    func testUsageMistakesAndBadFiles() throws {
        let vocabulary = try ProcessRunner.mlwb(["chords", "x.wav", "--vocabulary", "sevnths"])
        XCTAssertEqual(vocabulary.status, 2)
        XCTAssertTrue(vocabulary.stderr.contains("--vocabulary must be one of majmin, sevenths, full, got 'sevnths'"), vocabulary.stderr)
        let range = try ProcessRunner.mlwb(["chords", "x.wav", "--self-transition", "1.2"])
        XCTAssertEqual(range.status, 2)
        XCTAssertTrue(range.stderr.contains("--self-transition must be in 0.5…0.9999, got 1.2"), range.stderr)
        let missing = try ProcessRunner.mlwb(["chords", directory.file("none.wav")])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("none.wav"), missing.stderr)
        let beats = try ProcessRunner.mlwb(["chords", try progression(), "--beats", directory.file("none.txt")])
        XCTAssertEqual(beats.status, 1)
        XCTAssertTrue(beats.stderr.contains("none.txt: cannot be read"), beats.stderr)
    }

    func testBeatsFileMakesChordsChangeOnBeats() throws {
        let beatsPath = directory.file("beats.txt")
        try "0.75\t2\n1.5\t3\n2.25\t4\n3.0\t1\n3.75\t2\n4.5\t3\n5.25\t4\n".write(toFile: beatsPath, atomically: true, encoding: .utf8)
        let lab = directory.file("beats.lab")
        let r = try ProcessRunner.mlwb(["chords", try progression(), "-o", lab, "--beats", beatsPath])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("7 beats"), r.stdout)
        let beats: Set<Double> = [0.75, 1.5, 2.25, 3.0, 3.75, 4.5, 5.25]
        for interval in try LabeledIntervals.read(lab).intervals.dropFirst() {
            XCTAssertTrue(beats.contains(interval.start), "boundary \(interval.start)")
        }
    }

    func testEvalChordsPrintsMirEvalScores() throws {
        let ref = directory.file("ref.lab"), est = directory.file("est.lab")
        // The "basic" fixture of ChordEvaluationTests (mir_eval 0.8.2: majmin 0.922222, sevenths 0.644444, seg 0.7).
        try "0 1 N\n1 3 C:maj\n3 5 G:7\n5 6 A:min\n6 8 F:maj7\n8 9 N\n".write(toFile: ref, atomically: true, encoding: .utf8)
        try "0 1.2 N\n1.2 3 C:maj\n3 4 G:maj\n4 5.5 G:7\n5.5 6 A:min7\n6 7 F:maj7\n7 8 F:maj\n8 9 N\n".write(toFile: est, atomically: true, encoding: .utf8)
        let all = try ProcessRunner.mlwb(["eval-chords", ref, est])
        XCTAssertEqual(all.status, 0, all.stderr)
        XCTAssertTrue(all.stdout.hasPrefix("reference: 6 segments (0.000–9.000 s)   estimate: 8 segments\n"), all.stdout)
        for expected in ["root          0.9222", "majmin        0.9222", "sevenths      0.6444", "tetrads       0.6444", "mirex         0.9222",
                         "seg           0.7000"] {
            XCTAssertTrue(all.stdout.contains(expected), "\(expected) in \(all.stdout)")
        }
        let one = try ProcessRunner.mlwb(["eval-chords", ref, est, "--metric", "sevenths"])
        XCTAssertEqual(one.stdout, "0.6444\n")
        let typo = try ProcessRunner.mlwb(["eval-chords", ref, est, "--metric", "majmn"])
        XCTAssertEqual(typo.status, 2)
        XCTAssertTrue(typo.stderr.contains("did you mean majmin?"), typo.stderr)
        try "0 1 C:maj\n1 2 Q:min\n".write(toFile: est, atomically: true, encoding: .utf8)
        let bad = try ProcessRunner.mlwb(["eval-chords", ref, est])
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.stderr.contains("\(est): 'Q:min' is not a Harte chord label"), bad.stderr)
    }

    func testModelsRunWritesLabOrCSV() throws {
        let input = try progression(), lab = directory.file("run.lab"), csv = directory.file("run.csv")
        let environment = ["MLWB_HOME": directory.path, "MLWB_ASSETS": SharedData.packageRoot + "/assets"]
        let r = try ProcessRunner.mlwb(["models", "run", "chords-nnls", input, "-o", lab, "-p", "vocabulary=majmin"], environment: environment)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("A:min"), r.stdout)
        XCTAssertTrue(r.stdout.contains("chord segments → \(lab)"), r.stdout)
        XCTAssertTrue(try LabeledIntervals.read(lab).labels.contains("F:maj"))
        let c = try ProcessRunner.mlwb(["models", "run", "chords-nnls", input, "-o", csv], environment: environment)
        XCTAssertEqual(c.status, 0, c.stderr)
        XCTAssertTrue(try String(contentsOfFile: csv, encoding: .utf8).hasPrefix("start_s,end_s,label\n"))
        let list = try ProcessRunner.mlwb(["models", "list"], environment: environment)
        XCTAssertTrue(list.stdout.contains("chords-nnls") && list.stdout.contains("audio-to-chords"), list.stdout)
    }
}
