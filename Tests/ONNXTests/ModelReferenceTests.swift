import Foundation
import XCTest
import Engine
@testable import ONNX
import TestSupport

/// Loads and runs the two real models (Basic Pitch, SwiftF0) from ../shared/weights.
final class ModelReferenceTests: XCTestCase {
    /// Reads little-endian Float32 values from a raw file.
    static func floats(_ path: String) -> [Float]? {
        guard let d = FileManager.default.contents(atPath: path) else { return nil }
        return d.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
    }

    /// Mono 16-bit PCM samples of a WAV file as floats in [−1, 1).
    static func wavSamples(_ path: String) throws -> [Float] {
        let d = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        var i = 12
        while i + 8 <= d.count {
            let id = String(decoding: d[i..<(i + 4)], as: UTF8.self)
            let size = Int(d[i + 4]) | Int(d[i + 5]) << 8 | Int(d[i + 6]) << 16 | Int(d[i + 7]) << 24
            if id == "data" {
                let n = min(size, d.count - i - 8) / 2
                return (0..<n).map { k in Float(Int16(bitPattern: UInt16(d[i + 8 + 2 * k]) | UInt16(d[i + 9 + 2 * k]) << 8)) / 32768 }
            }
            i += 8 + size + (size & 1)
        }
        throw XCTSkip("no data chunk in \(path)")
    }

    /// Basic Pitch windows as `predict()` makes them: 3,840 leading zeros, hop 43,844 − 7,680.
    static func basicPitchWindows(_ audio: [Float], count: Int) -> Tensor {
        let padded = [Float](repeating: 0, count: 3840) + audio + [Float](repeating: 0, count: 43844 * (count + 1))
        let hop = 43844 - 7680
        var scalars: [Float] = []
        for w in 0..<count { scalars += padded[(w * hop)..<(w * hop + 43844)] }
        return Tensor(shape: [count, 43844, 1], scalars: scalars)
    }

    func testBasicPitchLoadsRunsAndMatchesReference() throws {
        let path = try SharedData.require("weights/basic-pitch-icassp2022-nmp.onnx")
        let model = try ONNXModel.load(path: path)
        XCTAssertEqual(model.opset, 15)
        XCTAssertEqual(model.inputs.count, 1)
        XCTAssertEqual(model.inputs[0].shape?.dropFirst().map(\.value), [43844, 1])
        XCTAssertEqual(model.outputs.count, 3)
        let session = try ONNXSession(model)
        let audio = try Self.wavSamples(try SharedData.require("audio/bach_bwv66_6.wav"))
        let windows = Self.basicPitchWindows(audio, count: 4)
        let out = try session.run([model.inputs[0].name: windows])
        XCTAssertEqual(out["StatefulPartitionedCall:0"]?.shape, [4, 172, 264])
        XCTAssertEqual(out["StatefulPartitionedCall:1"]?.shape, [4, 172, 88])
        XCTAssertEqual(out["StatefulPartitionedCall:2"]?.shape, [4, 172, 88])
        // Optional: raw onnxruntime outputs for the same windows (written by a script outside the repo).
        if let dir = ProcessInfo.processInfo.environment["MLWB_ONNX_REFERENCE"] {
            for k in 0..<3 {
                guard let ref = Self.floats("\(dir)/bp_out_\(k).bin") else { continue }
                let got = out["StatefulPartitionedCall:\(k)"]!.scalars
                XCTAssertEqual(got.count, ref.count)
                var worst: Float = 0
                for i in 0..<min(got.count, ref.count) { worst = max(worst, abs(got[i] - ref[i])) }
                print("Basic Pitch output \(k): max |mlwb − onnxruntime| = \(worst)")
                XCTAssertLessThan(worst, 1e-3)
            }
        }
    }

    func testSwiftF0LoadsAndRuns() throws {
        let path = try SharedData.require("weights/swift-f0-0.3.0.onnx")
        let model = try ONNXModel.load(path: path)
        XCTAssertEqual(model.opset, 18)
        XCTAssertEqual(Set(model.inputs.map(\.name)), ["audio", "fmin", "fmax"])
        let session = try ONNXSession(model)
        // A 2 s exponential sweep 220 → 440 Hz at 16 kHz.
        let sr = 16000.0
        var phase = 0.0
        var audio = (0..<32000).map { i -> Float in
            phase += 2 * Double.pi * 220 * pow(2, Double(i) / sr / 2) / sr
            return Float(0.5 * sin(phase))
        }
        // With a reference directory, use its input (the same sweep plus a little noise, which keeps the
        // log-mel features away from float32 round-off at near-silent bins).
        let reference = ProcessInfo.processInfo.environment["MLWB_ONNX_REFERENCE"]
        if let dir = reference, let given = Self.floats(dir + "/sf_in.bin") { audio = given }
        let out = try session.run(["audio": Tensor(shape: [1, audio.count], scalars: audio),
                                   "fmin": .scalar(46.875), "fmax": .scalar(2093.75)])
        let pitch = try XCTUnwrap(out["pitch"]), confidence = try XCTUnwrap(out["confidence"])
        XCTAssertEqual(pitch.shape, [1, 125])
        XCTAssertEqual(confidence.shape, [1, 125])
        if let dir = reference {
            for (name, t) in [("pitch", pitch), ("confidence", confidence)] {
                guard let ref = Self.floats("\(dir)/sf_out_\(name).bin") else { continue }
                let got = t.scalars
                if let dump = ProcessInfo.processInfo.environment["MLWB_ONNX_DUMP"] {
                    got.withUnsafeBufferPointer { try? Data(buffer: $0).write(to: URL(fileURLWithPath: "\(dump)/mlwb_sf_\(name).bin")) }
                }
                var worst: Float = 0
                for i in 0..<min(got.count, ref.count) { worst = max(worst, abs(got[i] - ref[i]) / max(abs(ref[i]), 1)) }
                print("SwiftF0 \(name): max relative |mlwb − onnxruntime| = \(worst)")
                XCTAssertLessThan(worst, 1e-3)
            }
        }
    }
}
