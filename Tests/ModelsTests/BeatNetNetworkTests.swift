import Checkpoints
import Engine
import Foundation
@testable import Models
import TestSupport
import XCTest

/// BeatNet's network on the shared synthetic input against PyTorch's outputs (../shared/references).
final class BeatNetNetworkTests: XCTestCase {
    /// The synthetic input [250, 272] and model `n`'s reference probabilities, transposed to [250, 3].
    static func reference(_ n: Int) throws -> (network: BeatNetNetwork, input: Tensor, expected: Tensor) {
        let weights = try SharedData.require("weights/beatnet-model\(n)-weights.pt")
        let input = try NumpyArray.read(path: try SharedData.require("references/beatnet-synthetic-input.npy"))
        let output = try NumpyArray.read(path: try SharedData.require("references/beatnet-model\(n)-synthetic-output.npy"))
        XCTAssertEqual(input.shape, [1, 250, 272])
        XCTAssertEqual(output.shape, [3, 250])
        let frames = output.shape[1]
        let o = output.floats
        var expected = [Float](repeating: 0, count: frames * 3)
        for c in 0..<3 { for t in 0..<frames { expected[t * 3 + c] = o[c * frames + t] } }
        return (try BeatNetNetwork.load(path: weights), Tensor(shape: [250, 272], scalars: input.floats),
                Tensor(shape: [frames, 3], scalars: expected))
    }

    static func maxDifference(_ a: Tensor, _ b: Tensor) -> Float {
        precondition(a.shape == b.shape, "\(a.shape) vs \(b.shape)")
        var worst: Float = 0
        let x = a.scalars, y = b.scalars
        for i in 0..<x.count { worst = max(worst, abs(x[i] - y[i])) }
        return worst
    }

    /// Offline: one call from a zero state equals PyTorch's fresh module within 1e-4, for all three models.
    func testOfflineMatchesPyTorch() throws {
        for n in 1...3 {
            let (network, input, expected) = try Self.reference(n)
            let got = try network.probabilities(input)
            let diff = Self.maxDifference(got, expected)
            print("BeatNet model \(n): offline max |Δ| vs PyTorch = \(diff)")
            XCTAssertLessThan(diff, 1e-4, "model \(n)")
            // Rows are probability distributions.
            for t in 0..<got.shape[0] { XCTAssertEqual(got[t, 0] + got[t, 1] + got[t, 2], 1, accuracy: 1e-5) }
        }
    }

    /// Online: chunked calls carrying the LSTM state equal one long call (and so PyTorch's outputs).
    func testOnlineChunksEqualOneCall() throws {
        for n in 1...3 {
            let (network, input, expected) = try Self.reference(n)
            var state = network.initialState
            var rows: [Float] = []
            var start = 0
            for length in [1, 1, 7, 50, 0, 91, 100] {
                let chunk = Tensor(shape: [length, 272], scalars: Array(input.scalars[(start * 272)..<((start + length) * 272)]))
                rows += try network.probabilities(chunk, state: &state).scalars
                start += length
            }
            XCTAssertEqual(start, 250)
            let chunked = Tensor(shape: [250, 3], scalars: rows)
            let whole = try network.probabilities(input)
            let diff = Self.maxDifference(chunked, whole)
            print("BeatNet model \(n): online (7 chunks) vs one call max |Δ| = \(diff), vs PyTorch = \(Self.maxDifference(chunked, expected))")
            XCTAssertLessThan(diff, 1e-5, "model \(n)")
            XCTAssertLessThan(Self.maxDifference(chunked, expected), 1e-4, "model \(n)")
        }
    }

    /// Like BeatNet's module, a second call on the carried state continues the sequence instead of restarting.
    func testCarriedStateChangesASecondCall() throws {
        let (network, input, _) = try Self.reference(1)
        var state = network.initialState
        let first = try network.probabilities(input, state: &state)
        let second = try network.probabilities(input, state: &state)
        XCTAssertGreaterThan(Self.maxDifference(first, second), 1e-3)
        XCTAssertEqual(try network.probabilities(input).scalars, first.scalars, "offline calls always start from zero")
    }

    func testWrongShapesAndWeightsAreRefused() throws {
        let (network, _, _) = try Self.reference(1)
        XCTAssertThrowsError(try network.probabilities(Tensor.zeros([4, 271])))
        XCTAssertEqual(try network.probabilities(Tensor.zeros([0, 272])).shape, [0, 3])
        var bad = network.initialState
        bad.cell = nil
        XCTAssertThrowsError(try network.probabilities(Tensor.zeros([2, 272]), state: &bad))
        XCTAssertThrowsError(try BeatNetNetwork(weights: ["conv1.weight": .zeros([2, 1, 10])])) { error in
            XCTAssertTrue("\(error)".contains("conv1.bias"), "\(error)")
        }
    }
}
