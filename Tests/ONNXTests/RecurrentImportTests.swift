import Engine
import Foundation
@testable import ONNX
import XCTest

/// ONNX LSTM/GRU/RNN forms the ONNX node tests do not cover: GRU linear_before_reset=1, layout 1 with
/// initial states, initial_c alone, clip, RNN activations, and clear refusals.
final class RecurrentImportTests: XCTestCase {
    // MARK: Building single-node models

    typealias Build = (inout ProtoWriter) -> Void
    static func int(_ name: String, _ v: Int64) -> Build { { a in a.string(1, name); a.int(20, 2); a.int(3, v) } }
    static func float(_ name: String, _ v: Float) -> Build { { a in a.string(1, name); a.int(20, 1); a.float(2, v) } }
    static func string(_ name: String, _ v: String) -> Build { { a in a.string(1, name); a.int(20, 3); a.string(4, v) } }
    static func strings(_ name: String, _ v: [String]) -> Build { { a in a.string(1, name); a.int(20, 8); for s in v { a.string(9, s) } } }

    /// A model of one `op` node; `constants` become initializers, `inputs` graph inputs (name, shape).
    static func model(_ op: String, nodeInputs: [String], outputs: [(String, [Int64])], constants: [String: Tensor],
                      inputs: [(String, [Int64])], attributes: [Build]) throws -> ONNXModel {
        let bytes = ProtoWriter.model(
            nodes: [ProtoWriter.node(op, nodeInputs, outputs.map(\.0), name: "rnn", attributes: attributes)],
            initializers: constants.sorted { $0.key < $1.key }.map { ProtoWriter.tensor($0.key, dims: $0.value.shape.map(Int64.init), values: $0.value.scalars) },
            inputs: inputs.map { ProtoWriter.valueInfo($0.0, $0.1) },
            outputs: outputs.map { ProtoWriter.valueInfo($0.0, $0.1) })
        return try ONNXModel.load(bytes: bytes)
    }

    static func sigmoid(_ x: Double) -> Double { 1 / (1 + Foundation.exp(-x)) }

    // MARK: GRU, linear before reset

    /// PyTorch's GRU form (ONNX linear_before_reset=1) against the ONNX equations written out in Double.
    func testGRULinearBeforeResetMatchesTheONNXEquations() throws {
        let (t, b, i, h) = (4, 2, 3, 5)
        let w = Tensor.uniform([1, 3 * h, i], in: -0.7...0.7, seed: 1), r = Tensor.uniform([1, 3 * h, h], in: -0.7...0.7, seed: 2)
        let bias = Tensor.uniform([1, 6 * h], in: -0.5...0.5, seed: 3)
        let x = Tensor.uniform([t, b, i], in: -1...1, seed: 4), h0 = Tensor.uniform([1, b, h], in: -1...1, seed: 5)
        let m = try Self.model("GRU", nodeInputs: ["X", "W", "R", "B", "", "H0"], outputs: [("Y", [Int64(t), 1, Int64(b), Int64(h)]), ("Y_h", [1, Int64(b), Int64(h)])],
                               constants: ["W": w, "R": r, "B": bias], inputs: [("X", [Int64(t), Int64(b), Int64(i)]), ("H0", [1, Int64(b), Int64(h)])],
                               attributes: [Self.int("hidden_size", Int64(h)), Self.int("linear_before_reset", 1)])
        let out = try ONNXSession(m).run(["X": x, "H0": h0])
        // ONNX gate blocks z, r, h; Wb then Rb.
        var state = (0..<b).map { bb in (0..<h).map { Double(h0[0, bb, $0]) } }
        var worst = 0.0
        for step in 0..<t {
            for bb in 0..<b {
                func dot(_ m: Tensor, _ row: Int, _ v: [Double]) -> Double { (0..<v.count).reduce(0) { $0 + Double(m[0, row, $1]) * v[$1] } }
                let xv = (0..<i).map { Double(x[step, bb, $0]) }
                var next = [Double](repeating: 0, count: h)
                for j in 0..<h {
                    let z = Self.sigmoid(dot(w, j, xv) + dot(r, j, state[bb]) + Double(bias[0, j] + bias[0, 3 * h + j]))
                    let rr = Self.sigmoid(dot(w, h + j, xv) + dot(r, h + j, state[bb]) + Double(bias[0, h + j] + bias[0, 4 * h + j]))
                    let n = Foundation.tanh(dot(w, 2 * h + j, xv) + Double(bias[0, 2 * h + j]) + rr * (dot(r, 2 * h + j, state[bb]) + Double(bias[0, 5 * h + j])))
                    next[j] = (1 - z) * n + z * state[bb][j]
                }
                state[bb] = next
                for j in 0..<h { worst = max(worst, abs(Double(out["Y"]![step, 0, bb, j]) - next[j])) }
            }
        }
        for bb in 0..<b { for j in 0..<h { worst = max(worst, abs(Double(out["Y_h"]![0, bb, j]) - state[bb][j])) } }
        XCTAssertLessThan(worst, 1e-5)
    }

    // MARK: Layouts and states

    /// layout=1 (batch first) with both initial states equals layout 0 on the transposed data; all three outputs.
    func testLSTMBatchFirstLayoutWithInitialStates() throws {
        let (t, b, i, h) = (5, 3, 4, 6)
        let w = Tensor.uniform([2, 4 * h, i], in: -0.6...0.6, seed: 11), r = Tensor.uniform([2, 4 * h, h], in: -0.6...0.6, seed: 12)
        let bias = Tensor.uniform([2, 8 * h], in: -0.4...0.4, seed: 13)
        let x = Tensor.uniform([t, b, i], in: -1...1, seed: 14)
        let h0 = Tensor.uniform([2, b, h], in: -1...1, seed: 15), c0 = Tensor.uniform([2, b, h], in: -1...1, seed: 16)
        func run(layout: Int) throws -> [String: Tensor] {
            let (ti, bi) = (Int64(t), Int64(b))
            let xs: [Int64] = layout == 0 ? [ti, bi, Int64(i)] : [bi, ti, Int64(i)]
            let ss: [Int64] = layout == 0 ? [2, bi, Int64(h)] : [bi, 2, Int64(h)]
            let ys: [Int64] = layout == 0 ? [ti, 2, bi, Int64(h)] : [bi, ti, 2, Int64(h)]
            let m = try Self.model("LSTM", nodeInputs: ["X", "W", "R", "B", "", "H0", "C0"], outputs: [("Y", ys), ("Y_h", ss), ("Y_c", ss)],
                                   constants: ["W": w, "R": r, "B": bias], inputs: [("X", xs), ("H0", ss), ("C0", ss)],
                                   attributes: [Self.int("hidden_size", Int64(h)), Self.string("direction", "bidirectional"), Self.int("layout", Int64(layout))])
            let perm = [1, 0, 2]
            let feed = layout == 0 ? ["X": x, "H0": h0, "C0": c0]
                : ["X": Transpose.forward(x, perm: perm), "H0": Transpose.forward(h0, perm: perm), "C0": Transpose.forward(c0, perm: perm)]
            return try ONNXSession(m).run(feed)
        }
        let a = try run(layout: 0), b1 = try run(layout: 1)
        XCTAssertEqual(Transpose.forward(b1["Y"]!, perm: [1, 2, 0, 3]).scalars, a["Y"]!.scalars)
        XCTAssertEqual(Transpose.forward(b1["Y_h"]!, perm: [1, 0, 2]).scalars, a["Y_h"]!.scalars)
        XCTAssertEqual(Transpose.forward(b1["Y_c"]!, perm: [1, 0, 2]).scalars, a["Y_c"]!.scalars)
        // Against the engine directly (same weights in ONNX order).
        let slice = { (t: Tensor, d: Int, o: Int, n: Int, s: [Int]) in Tensor(shape: s, scalars: Array(t.scalars[(d * t.count / 2 + o)..<(d * t.count / 2 + o + n)])) }
        let net = RecurrentNetwork(layers: [(0..<2).map { d in
            RecurrentWeights(cell: .lstm, input: slice(w, d, 0, 4 * h * i, [4 * h, i]), recurrent: slice(r, d, 0, 4 * h * h, [4 * h, h]),
                             inputBias: slice(bias, d, 0, 4 * h, [4 * h]), recurrentBias: slice(bias, d, 4 * h, 4 * h, [4 * h]), gateOrder: .onnx)
        }], direction: .bidirectional)
        let direct = Recurrent.forward(x, net, initial: RecurrentState(hidden: h0, cell: c0))
        XCTAssertEqual(Transpose.forward(direct.output.reshaped([t, b, 2, h]), perm: [0, 2, 1, 3]).scalars, a["Y"]!.scalars)
        XCTAssertEqual(direct.state.cell!.scalars, a["Y_c"]!.scalars)
    }

    /// initial_c without initial_h starts h from zeros.
    func testInitialCellWithoutHidden() throws {
        let (t, b, i, h) = (3, 1, 2, 4)
        let w = Tensor.uniform([1, 4 * h, i], seed: 21), r = Tensor.uniform([1, 4 * h, h], seed: 22)
        let x = Tensor.uniform([t, b, i], seed: 23), c0 = Tensor.uniform([1, b, h], seed: 24)
        let shape: [Int64] = [1, Int64(b), Int64(h)]
        let alone = try Self.model("LSTM", nodeInputs: ["X", "W", "R", "", "", "", "C0"], outputs: [("Y_h", shape)], constants: ["W": w, "R": r],
                                   inputs: [("X", [Int64(t), Int64(b), Int64(i)]), ("C0", shape)], attributes: [Self.int("hidden_size", Int64(h))])
        let both = try Self.model("LSTM", nodeInputs: ["X", "W", "R", "", "", "H0", "C0"], outputs: [("Y_h", shape)], constants: ["W": w, "R": r],
                                  inputs: [("X", [Int64(t), Int64(b), Int64(i)]), ("H0", shape), ("C0", shape)], attributes: [Self.int("hidden_size", Int64(h))])
        XCTAssertEqual(try ONNXSession(alone).run(["X": x, "C0": c0])["Y_h"]!.scalars,
                       try ONNXSession(both).run(["X": x, "H0": .zeros([1, b, h]), "C0": c0])["Y_h"]!.scalars)
    }

    // MARK: Attributes

    func testClipAndRNNActivation() throws {
        let (t, b, i, h) = (6, 2, 3, 5)
        let w = Tensor.uniform([1, h, i], in: -2...2, seed: 31), r = Tensor.uniform([1, h, h], in: -2...2, seed: 32)
        let x = Tensor.uniform([t, b, i], in: -1...1, seed: 33)
        let m = try Self.model("RNN", nodeInputs: ["X", "W", "R"], outputs: [("Y", [Int64(t), 1, Int64(b), Int64(h)])], constants: ["W": w, "R": r],
                               inputs: [("X", [Int64(t), Int64(b), Int64(i)])],
                               attributes: [Self.int("hidden_size", Int64(h)), Self.strings("activations", ["Relu"]), Self.float("clip", 0.5)])
        let y = try ONNXSession(m).run(["X": x])["Y"]!
        let net = RecurrentNetwork(layers: [[RecurrentWeights(cell: .rnn(.relu), input: w.reshaped([h, i]), recurrent: r.reshaped([h, h]), gateOrder: .onnx)]], clip: 0.5)
        XCTAssertEqual(y.scalars, Recurrent.forward(x, net).output.scalars)
        XCTAssertLessThanOrEqual(y.scalars.max()!, 0.5, "relu of clipped pre-activations stays ≤ clip")
    }

    /// Forms the runtime does not implement fail with a message naming them (never a wrong answer).
    func testUnsupportedFormsAreRefusedClearly() throws {
        let (t, b, i, h) = (3, 2, 2, 3)
        let w = Tensor.uniform([1, 4 * h, i], seed: 41), r = Tensor.uniform([1, 4 * h, h], seed: 42)
        let xs: [Int64] = [Int64(t), Int64(b), Int64(i)]
        func refusal(_ nodeInputs: [String], constants: [String: Tensor] = [:], inputs: [(String, [Int64])] = [], attributes: [Build] = []) throws -> String {
            let m = try Self.model("LSTM", nodeInputs: nodeInputs, outputs: [("Y_h", [1, Int64(b), Int64(h)])],
                                   constants: constants.merging(["W": w, "R": r]) { a, _ in a }, inputs: [("X", xs)] + inputs,
                                   attributes: [Self.int("hidden_size", Int64(h))] + attributes)
            do {
                _ = try ONNXSession(m).run(["X": .zeros([t, b, i])])
                return "accepted"
            } catch let e as ONNXError {
                guard case .unsupportedAttribute = e else { return "\(e)" }
                return e.description
            }
        }
        let lengths = try refusal(["X", "W", "R", "", "L"], constants: ["L": Tensor(shape: [2], scalars: [3, 2])])
        XCTAssertTrue(lengths.contains("sequence_lens") && lengths.contains("pad"), lengths)
        let activations = try refusal(["X", "W", "R"], attributes: [Self.strings("activations", ["Sigmoid", "Relu", "Tanh"])])
        XCTAssertTrue(activations.contains("activations"), activations)
        let coupled = try refusal(["X", "W", "R"], attributes: [Self.int("input_forget", 1)])
        XCTAssertTrue(coupled.contains("input_forget"), coupled)
        // sequence_lens equal to the sequence length is just the default.
        XCTAssertEqual(try refusal(["X", "W", "R", "", "L"], constants: ["L": Tensor(shape: [2], scalars: [3, 3])]), "accepted")
        // The default activations spelled out are fine.
        XCTAssertEqual(try refusal(["X", "W", "R"], attributes: [Self.strings("activations", ["Sigmoid", "Tanh", "Tanh"])]), "accepted")
    }
}
