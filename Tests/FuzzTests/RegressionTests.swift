import Foundation
import TestSupport
import TUI
import XCTest

/// Every input the fuzz suite (or a user) found to crash, hang or escape, kept under
/// `Tests/FuzzTests/Fixtures/<format>/` and run through the same checks as the mutants.
final class RegressionTests: XCTestCase {
    private func replay(_ format: String, _ parse: ([UInt8]) throws -> Void) throws {
        let fixtures = try FuzzHarness.fixtures(format)
        guard !fixtures.isEmpty else { return }
        FuzzHarness.feed("regression-\(format)", fixtures.map(\.bytes)) { bytes, _ in try parse(bytes) }
    }

    func testKeptInputsOfEveryFormat() throws {
        let dir = try TemporaryDirectory(prefix: "mlwb-fuzz-regress")
        defer { dir.remove() }
        try replay("png") { try ImageFuzzTests.parse($0, scratch: dir.file("r.png")) }
        try replay("wav") { try AudioFuzzTests.parse($0, path: dir.file("r.wav")) }
        try replay("flac") { try AudioFuzzTests.parse($0, path: dir.file("r.flac")) }
        try replay("ogg") { try AudioFuzzTests.parse($0, path: dir.file("r.ogg")) }
        try replay("midi") { try MIDIFuzzTests.parseMIDI($0) }
        try replay("note-csv") { try MIDIFuzzTests.parseTable($0) }
        try replay("onnx") { try ONNXFuzzTests.parse($0) }
        XCTAssertEqual(ONNXRegressionInputs.all.map(\.bytes.count), [149, 217])
        FuzzHarness.feed("regression-onnx-kept-bytes", ONNXRegressionInputs.all.map(\.bytes)) { bytes, _ in try ONNXFuzzTests.parse(bytes) }
        try replay("weights") { try WeightFuzzTests.parse($0) }
        try replay("theme") { bytes in
            _ = try ThemeParser.parse(String(decoding: bytes, as: UTF8.self), name: "kept", source: "kept.theme")
        }
    }
}
