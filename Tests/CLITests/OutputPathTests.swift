import Foundation
import TestSupport
import XCTest

/// Every output option is checked before any work: before the input is read (the inputs here do not
/// exist, so reading one first would report that instead), before a model or checkpoint is loaded.
final class OutputPathTests: XCTestCase {
    private var home: TemporaryDirectory!

    override func setUpWithError() throws { home = try TemporaryDirectory(prefix: "mlwb-cli-output") }
    override func tearDown() { home.remove() }

    private func mlwb(_ arguments: [String]) throws -> ProcessRunner.Result {
        try ProcessRunner.mlwb(arguments, environment: ["MLWB_HOME": home.path], directory: home.path)
    }

    func testAnOutputTheDiskCannotTakeFailsBeforeAnyWork() throws {
        let missingDirectory = home.file("missing/out")
        let aFile = home.file("a-file")
        try Data("x".utf8).write(to: URL(fileURLWithPath: aFile))
        let audio = home.file("absent.wav"), picture = home.file("absent.png")
        // (arguments, what the message must say)
        let cases: [([String], String)] = [
            (["dream", picture, "-o", missingDirectory + ".png"], "directory \(home.file("missing")) does not exist"),
            (["dream", picture, "-o", home.path], "is a directory, not a file"),
            (["dream", picture, "-o", home.file("d.png"), "--frames", aFile + "/frames"], "\(aFile) is a file, not a folder"),
            (["mask", "arcs", "-o", missingDirectory + ".png"], "directory \(home.file("missing")) does not exist"),
            (["mask", "image", "--image", picture, "-o", home.path], "is a directory, not a file"),
            (["mask", "arcs", "--frames", "2", "--out", aFile], "\(aFile): cannot write: it is a file, not a folder"),
            (["canvas", picture, "--zoom", "1.1", "--out", aFile + "/frames"], "\(aFile) is a file, not a folder"),
            (["transcribe", audio, "-o", missingDirectory + ".mid"], "does not exist"),
            (["transcribe", audio, "-o", home.file("t.mid"), "--csv", home.path], "is a directory, not a file"),
            (["pitch", audio, "-o", missingDirectory + ".csv"], "does not exist"),
            (["chords", audio, "-o", missingDirectory + ".lab"], "does not exist"),
            (["chords", audio, "--csv", home.path], "is a directory, not a file"),
            (["beats", audio, "--click", missingDirectory + ".wav"], "does not exist"),
            (["tempo", audio, "-o", home.path], "is a directory, not a file"),
            (["models", "run", "chords-nnls", audio, "-o", missingDirectory + ".lab"], "does not exist"),
            (["models", "run", "classify-mobilenet-v2", picture, "-o", home.path], "is a directory, not a file"),
            (["download", "file://" + aFile, "-o", missingDirectory], "does not exist"),
        ]
        for (arguments, expected) in cases {
            let r = try mlwb(arguments)
            XCTAssertEqual(r.status, 1, "\(arguments): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains(expected), "\(arguments): \(r.stderr)")
            XCTAssertFalse(r.stderr.contains("no such file"), "the missing input was not read first: \(arguments): \(r.stderr)")
            XCTAssertFalse(r.stderr.contains("checkpoint"), "no model was loaded: \(arguments): \(r.stderr)")
            XCTAssertFalse(r.stderr.contains(": failed"), "no transfer was started: \(arguments): \(r.stderr)")
        }
        XCTAssertEqual(home.contents(), ["a-file"], "nothing was written")
    }

    func testAnEmptyOutputPathIsAUsageError() throws {
        for arguments in [["dream", "--start", "noise", "-o", ""], ["mask", "arcs", "-o", ""], ["chords", "x.wav", "--csv", ""],
                          ["canvas", "x.png", "--zoom", "1.1", "--out", ""], ["download", "file:///etc/hostname", "-o", ""]] {
            let r = try mlwb(arguments)
            XCTAssertEqual(r.status, 2, "\(arguments): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains("needs a path, got an empty one"), "\(arguments): \(r.stderr)")
        }
    }

    func testGoodOutputsAreStillWrittenAtomically() throws {
        // A folder output is created with its parents; a file output lands under its name, with no temporary left.
        let r = try mlwb(["mask", "arcs", "--size", "16x16", "-o", "arcs.png", "--frames", "2", "--out", "new/frames"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(home.contents(), ["arcs.png", "new"])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: home.file("new/frames")).sorted(),
                       ["frame-0000.png", "frame-0001.png"])
        let saved = try mlwb(["download", "file://" + home.file("arcs.png"), "-o", home.file("new")])
        XCTAssertEqual(saved.status, 0, saved.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: home.file("new")).sorted(), ["arcs.png", "frames"],
                       "-o naming a folder saves into it")
    }
}
