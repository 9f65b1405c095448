import Foundation
import XCTest
import Engine
@testable import ONNX
import TestSupport

/// Runs the ONNX backend node tests (../shared/onnx-node-tests) for every operator the runtime supports.
///
/// A folder runs when its graph uses only supported operators and element types; every folder that runs
/// must pass (rtol 1e-3, atol 1e-7, as the ONNX suite). Skips are counted by reason and printed.
final class NodeConformanceTests: XCTestCase {
    /// Outcome of one folder.
    enum Outcome { case passed, failed(String), skipped(String) }

    /// Loads, runs and compares one test folder.
    static func runFolder(_ dir: String) -> Outcome {
        let model: ONNXModel
        do { model = try ONNXModel.load(path: dir + "/model.onnx") } catch let e as ONNXError {
            return skipOrFail(e)
        } catch { return .failed("load: \(error)") }
        let data = dir + "/test_data_set_0"
        var feeds: [String: ONNXTensor] = [:]
        for (i, v) in model.inputs.enumerated() {
            let path = "\(data)/input_\(i).pb"
            guard FileManager.default.fileExists(atPath: path) else { continue }
            do { feeds[v.name] = try ONNXTensor.load(path: path) } catch let e as ONNXError { return skipOrFail(e) } catch { return .failed("\(error)") }
        }
        let outputs: [String: ONNXTensor]
        do {
            let session = try ONNXSession(model)
            outputs = try session.runTyped(feeds)
        } catch let e as ONNXError { return skipOrFail(e) } catch { return .failed("run: \(error)") }
        for (i, o) in model.outputs.enumerated() {
            let expected: ONNXTensor
            do { expected = try ONNXTensor.load(path: "\(data)/output_\(i).pb") } catch let e as ONNXError { return skipOrFail(e) } catch { return .failed("\(error)") }
            guard let got = outputs[o.name] else { return .failed("output \(o.name) missing") }
            if let problem = compare(got, expected) { return .failed("\(o.name): \(problem)") }
        }
        return .passed
    }

    /// Operators with a form the runtime deliberately refuses: random training-mode Dropout cannot reproduce
    /// the generator's random mask (deterministic Dropout forms all run).
    static let allowedUnsupportedForms: Set<String> = ["Dropout"]

    /// Unsupported operators and element types skip; anything else is a failure.
    static func skipOrFail(_ e: ONNXError) -> Outcome {
        switch e {
        case .unsupportedOperator(let op, _): return .skipped("operator \(op)")
        case .unsupportedType(let t): return .skipped("type \(t.split(separator: " ").first ?? "")")
        case .unsupportedAttribute(let op, _, let detail) where allowedUnsupportedForms.contains(op):
            return .skipped("\(op): \(detail.split(separator: "(").first ?? "")")
        default: return .failed("\(e)")
        }
    }

    /// nil when `got` matches `expected` (shape, then values within tolerance; integers exactly).
    static func compare(_ got: ONNXTensor, _ expected: ONNXTensor) -> String? {
        guard got.shape == expected.shape else { return "shape \(got.shape), expected \(expected.shape)" }
        let a = got.doubles, e = expected.doubles
        for i in 0..<e.count {
            let x = a[i], y = e[i]
            if x.isNaN && y.isNaN { continue }
            if x == y { continue }
            let tol = expected.dataType.isFloatingPoint ? 1e-7 + 1e-3 * abs(y) : 0
            if !(abs(x - y) <= tol) { return "element \(i) is \(x), expected \(y)" }
        }
        return nil
    }

    /// Runs every `test_*` folder under `root`; prints and returns the tally.
    @discardableResult
    static func runAll(_ root: String, label: String) throws -> (ran: Int, passed: Int, failed: [String], skipped: [String: Int]) {
        let folders = try FileManager.default.contentsOfDirectory(atPath: root).filter { $0.hasPrefix("test_") }.sorted()
        var passed = 0, failed: [String] = [], skipped: [String: Int] = [:], ran = 0
        for f in folders {
            switch Self.runFolder(root + "/" + f) {
            case .passed: passed += 1; ran += 1
            case .failed(let why): failed.append("\(f): \(why)"); ran += 1
            case .skipped(let why): skipped[why, default: 0] += 1
            }
        }
        let reasons = skipped.sorted { $0.value > $1.value }.map { "\($0.key) ×\($0.value)" }.joined(separator: ", ")
        print("\(label): ran \(ran), passed \(passed), failed \(failed.count), skipped \(skipped.values.reduce(0, +)) (\(reasons))")
        for f in failed { print("  FAILED \(f)") }
        return (ran, passed, failed, skipped)
    }

    func testBackendNodeTests() throws {
        let result = try Self.runAll(try SharedData.require("onnx-node-tests"), label: "ONNX node tests")
        XCTAssertEqual(result.failed, [], "every node test using only supported operators must pass")
    }

    /// The ONNX project's LSTM/GRU/RNN node tests (generated from onnx 1.23.2's case definitions by
    /// `.ci/fetch-onnx-rnn-tests`; the shared subset has none): all of them run and pass.
    func testRecurrentNodeTests() throws {
        let root = ProcessInfo.processInfo.environment["MLWB_ONNX_RNN_TESTS"] ?? SharedData.packageRoot + "/.build/test-fixtures/node-tests-rnn"
        guard FileManager.default.fileExists(atPath: root + "/test_lstm_defaults/model.onnx") else {
            throw XCTSkip("the ONNX recurrent node tests are not in \(root): run `bash .ci/fetch-onnx-rnn-tests` (it generates them from the onnx 1.23.2 wheel on PyPI)")
        }
        let result = try Self.runAll(root, label: "ONNX recurrent node tests")
        XCTAssertEqual(result.failed, [])
        XCTAssertEqual(result.skipped, [:], "no recurrent node test may be skipped")
        XCTAssertEqual(result.passed, 18)
    }
}
