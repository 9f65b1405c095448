import Foundation
import TestSupport
import XCTest

/// The real `mlwb` binary on mutants, as a user would run it: it must exit with 0, 1 or 2
/// (success, failure, usage), never die of a signal, whatever the file holds.
final class BinaryFuzzTests: XCTestCase {
    /// Mutants per format through the binary (each is a process start: kept few).
    static let count = 30

    private func runShow(_ format: String, ext: String, seeds: [[UInt8]], seed: UInt64, dir: TemporaryDirectory) {
        let path = dir.file("mutant.\(ext)")
        FuzzHarness.run("mlwb-show-\(format)", seeds: seeds, seed: seed, count: Self.count) { bytes, index in
            try FuzzHarness.write(bytes, to: path)
            let result = try ProcessRunner.mlwb(["show", "--size", "32x10", "--colors", "256", path])
            XCTAssertTrue([0, 1, 2].contains(result.status), "mlwb show on \(format) mutant \(index) exited \(result.status): \(result.stderr.suffix(400))")
            if result.status != 0 { XCTAssertFalse(result.stderr.isEmpty, "a failure without a message") }
        }
    }

    func testShowOnMutatedMedia() throws {
        let dir = try TemporaryDirectory(prefix: "mlwb-fuzz-bin")
        defer { dir.remove() }
        runShow("png", ext: "png", seeds: try ImageFuzzTests.seeds(), seed: 0xB1, dir: dir)
        runShow("jpeg-webp-gif", ext: "jpg", seeds: try ImageFuzzTests.otherSeeds(), seed: 0xB5, dir: dir)
        let wav = Array(try FuzzHarness.projectFile("assets/audio/arpeggio.wav").prefix(4096))
        runShow("wav", ext: "wav", seeds: [wav], seed: 0xB2, dir: dir)
        runShow("midi", ext: "mid", seeds: try MIDIFuzzTests.midiSeeds(), seed: 0xB3, dir: dir)
    }

    func testEvalNotesOnMutatedTables() throws {
        let dir = try TemporaryDirectory(prefix: "mlwb-fuzz-bin")
        defer { dir.remove() }
        let reference = dir.file("ref.csv")
        try "onset_s,offset_s,midi_pitch,velocity\n0.0,0.5,60,90\n0.5,1.0,64,80\n".write(toFile: reference, atomically: true, encoding: .utf8)
        let seed = Array("onset_s,offset_s,midi_pitch,velocity\n0.01,0.49,60,90\n0.5,1.5,65,80\n".utf8)
        let path = dir.file("est.csv")
        FuzzHarness.run("mlwb-eval-notes", seeds: [seed], seed: 0xB4, text: true, count: Self.count) { bytes, index in
            try FuzzHarness.write(bytes, to: path)
            let result = try ProcessRunner.mlwb(["eval-notes", reference, path])
            XCTAssertTrue([0, 1, 2].contains(result.status), "mlwb eval-notes on mutant \(index) exited \(result.status): \(result.stderr.suffix(400))")
        }
    }
}
