import Foundation
import TestSupport
import XCTest

/// Runs mutants of real seeds through a parser in this process: each must end in a result or a
/// thrown error within `perInputSeconds` (a trap kills the test process, which fails the run).
///
/// Set `MLWB_FUZZ_CAPTURE=DIR` to have every input written to `DIR/<format>.current` before it is
/// parsed, so the input of a trap is left on disk; `MLWB_FUZZ_COUNT=N` runs N mutants per format
/// instead of the default and `MLWB_FUZZ_SEED=S` varies every seed (for longer local runs; CI uses
/// the defaults, so its mutants are the same on every run).
enum FuzzHarness {
    /// Mutants per format in CI.
    static let defaultCount = 200
    /// The most one input may take (generous: a 2-core machine shared with other builds).
    static let perInputSeconds = 5.0

    /// Mutants per format for this run.
    static var count: Int {
        ProcessInfo.processInfo.environment["MLWB_FUZZ_COUNT"].flatMap(Int.init).map { max(1, $0) } ?? defaultCount
    }

    /// `base` varied by `MLWB_FUZZ_SEED` (unchanged without it).
    static func seed(_ base: UInt64) -> UInt64 {
        base ^ (ProcessInfo.processInfo.environment["MLWB_FUZZ_SEED"].flatMap(UInt64.init) ?? 0)
    }

    /// What a run saw, for the log line.
    struct Tally {
        var accepted = 0
        var refused = 0
        var slowest = 0.0
    }

    /// Feeds `count` mutants of `seeds` (plus the seeds themselves) to `body`, seeded by `seed`.
    @discardableResult
    static func run(_ format: String, seeds: [[UInt8]], seed: UInt64, text: Bool = false, count: Int = FuzzHarness.count,
                    file: StaticString = #filePath, line: UInt = #line,
                    _ body: (_ input: [UInt8], _ index: Int) throws -> Void) -> Tally {
        let inputs = seeds + Mutator.mutants(of: seeds, count: count, seed: Self.seed(seed), text: text)
        return feed(format, inputs, file: file, line: line, body)
    }

    /// Feeds `inputs` as they are (regression fixtures, seeds) to `body` with the same checks.
    @discardableResult
    static func feed(_ format: String, _ inputs: [[UInt8]], file: StaticString = #filePath, line: UInt = #line,
                     _ body: (_ input: [UInt8], _ index: Int) throws -> Void) -> Tally {
        let capture = ProcessInfo.processInfo.environment["MLWB_FUZZ_CAPTURE"].map { $0 + "/\(format).current" }
        var tally = Tally()
        let started = DispatchTime.now().uptimeNanoseconds
        for (index, input) in inputs.enumerated() {
            if let capture { try? FuzzHarness.write(input, to: capture) }
            let start = DispatchTime.now().uptimeNanoseconds
            do {
                try body(input, index)
                tally.accepted += 1
            } catch is XCTSkip {
                tally.refused += 1
            } catch {
                tally.refused += 1
            }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            tally.slowest = max(tally.slowest, seconds)
            XCTAssertLessThan(seconds, perInputSeconds, "\(format) input \(index) (\(input.count) bytes) took \(seconds) s",
                              file: file, line: line)
        }
        let total = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        print("fuzz \(format): \(inputs.count) inputs, \(tally.accepted) accepted, \(tally.refused) refused, "
              + "slowest \(Int(tally.slowest * 1000)) ms, total \(Int(total * 1000)) ms")
        return tally
    }

    /// Writes `bytes` to `path` (replacing it), or throws.
    static func write(_ bytes: [UInt8], to path: String) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    /// The bytes of a file in the project (seeds from `assets/`, Tests fixtures).
    static func projectFile(_ relative: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: SharedData.packageRoot + "/" + relative)))
    }

    /// The regression inputs kept under `Tests/FuzzTests/Fixtures/<format>/` (sorted by name).
    static func fixtures(_ format: String) throws -> [(name: String, bytes: [UInt8])] {
        let folder = SharedData.packageRoot + "/Tests/FuzzTests/Fixtures/" + format
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
        return try names.map { ($0, Array(try Data(contentsOf: URL(fileURLWithPath: folder + "/" + $0)))) }
    }
}
