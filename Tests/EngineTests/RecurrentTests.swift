import Foundation
import XCTest
@testable import Engine

/// The LSTM, GRU and RNN kernels against a plain Double implementation of PyTorch's equations.
final class RecurrentTests: XCTestCase {
    // MARK: Reference implementation

    /// Raw torch-ordered weights of one direction.
    struct RawWeights {
        var w: Tensor, r: Tensor, bi: Tensor?, br: Tensor?, p: Tensor?
    }

    static func sigmoid(_ x: Double) -> Double { 1 / (1 + Foundation.exp(-x)) }

    /// One direction over x [T, B, I] (time-major) from h0/c0 [B, H]; returns y [T][B][H] and final h, c.
    static func reference(_ cell: RecurrentCell, _ wt: RawWeights, x: Tensor, reversed: Bool, h0: [[Double]], c0: [[Double]],
                          clip: Double = .infinity) -> (y: [[[Double]]], h: [[Double]], c: [[Double]]) {
        let (steps, batch, inF) = (x.shape[0], x.shape[1], x.shape[2])
        let hid = wt.r.shape[1], g = cell.gateCount
        func W(_ row: Int, _ k: Int) -> Double { Double(wt.w[row, k]) }
        func R(_ row: Int, _ k: Int) -> Double { Double(wt.r[row, k]) }
        func bi(_ row: Int) -> Double { wt.bi.map { Double($0[flat: row]) } ?? 0 }
        func br(_ row: Int) -> Double { wt.br.map { Double($0[flat: row]) } ?? 0 }
        func cl(_ v: Double) -> Double { min(max(v, -clip), clip) }
        var h = h0, c = c0
        var y = [[[Double]]](repeating: [[Double]](repeating: [Double](repeating: 0, count: hid), count: batch), count: steps)
        for s in 0..<steps {
            let t = reversed ? steps - 1 - s : s
            for b in 0..<batch {
                var xw = [Double](repeating: 0, count: g * hid), hr = xw
                for row in 0..<(g * hid) {
                    var a = bi(row), q = br(row)
                    for k in 0..<inF { a += W(row, k) * Double(x[t, b, k]) }
                    for k in 0..<hid { q += R(row, k) * h[b][k] }
                    xw[row] = a; hr[row] = q
                }
                var hn = [Double](repeating: 0, count: hid)
                switch cell {
                case .lstm:
                    for j in 0..<hid {
                        let pi = wt.p.map { Double($0[flat: j]) } ?? 0, pf = wt.p.map { Double($0[flat: hid + j]) } ?? 0
                        let po = wt.p.map { Double($0[flat: 2 * hid + j]) } ?? 0
                        let i = sigmoid(cl(xw[j] + hr[j] + pi * c[b][j])), f = sigmoid(cl(xw[hid + j] + hr[hid + j] + pf * c[b][j]))
                        let gg = Foundation.tanh(cl(xw[2 * hid + j] + hr[2 * hid + j]))
                        c[b][j] = f * c[b][j] + i * gg
                        let o = sigmoid(cl(xw[3 * hid + j] + hr[3 * hid + j] + po * c[b][j]))
                        hn[j] = o * Foundation.tanh(c[b][j])
                    }
                case .gru(let lbr):
                    var r = [Double](repeating: 0, count: hid), z = r
                    for j in 0..<hid { r[j] = sigmoid(cl(xw[j] + hr[j])); z[j] = sigmoid(cl(xw[hid + j] + hr[hid + j])) }
                    for j in 0..<hid {
                        var n: Double
                        if lbr {
                            n = xw[2 * hid + j] + r[j] * hr[2 * hid + j]
                        } else {
                            n = xw[2 * hid + j] + br(2 * hid + j)
                            for k in 0..<hid { n += R(2 * hid + j, k) * r[k] * h[b][k] }
                        }
                        n = Foundation.tanh(cl(n))
                        hn[j] = (1 - z[j]) * n + z[j] * h[b][j]
                    }
                case .rnn(let act):
                    for j in 0..<hid {
                        let v = cl(xw[j] + hr[j])
                        switch act {
                        case .tanh: hn[j] = Foundation.tanh(v)
                        case .relu: hn[j] = max(v, 0)
                        case .sigmoid: hn[j] = sigmoid(v)
                        }
                    }
                }
                h[b] = hn
                y[t][b] = hn
            }
        }
        return (y, h, c)
    }

    static func raw(_ cell: RecurrentCell, input: Int, hidden: Int, seed: UInt64, biases: Bool = true, peepholes: Bool = false) -> RawWeights {
        let g = cell.gateCount
        return RawWeights(w: .uniform([g * hidden, input], in: -0.6...0.6, seed: seed),
                          r: .uniform([g * hidden, hidden], in: -0.6...0.6, seed: seed + 1),
                          bi: biases ? .uniform([g * hidden], in: -0.5...0.5, seed: seed + 2) : nil,
                          br: biases ? .uniform([g * hidden], in: -0.5...0.5, seed: seed + 3) : nil,
                          p: peepholes ? .uniform([3 * hidden], in: -0.5...0.5, seed: seed + 4) : nil)
    }

    static func weights(_ cell: RecurrentCell, _ r: RawWeights) -> RecurrentWeights {
        RecurrentWeights(cell: cell, input: r.w, recurrent: r.r, inputBias: r.bi, recurrentBias: r.br, peepholes: r.p)
    }

    /// Compares the engine's stack (any layers/directions) with the reference, layer by layer.
    func check(_ cell: RecurrentCell, direction: RecurrentDirection, layers: Int, steps: Int, batch: Int, input: Int,
               hidden: Int, initial: Bool, peepholes: Bool = false, clip: Float? = nil, seed: UInt64 = 1,
               file: StaticString = #filePath, line: UInt = #line) {
        let d = direction.count
        var raws: [[RawWeights]] = []
        for l in 0..<layers {
            raws.append((0..<d).map { k in Self.raw(cell, input: l == 0 ? input : d * hidden, hidden: hidden, seed: seed + UInt64(10 * l + 5 * k), peepholes: peepholes) })
        }
        let net = RecurrentNetwork(layers: raws.map { $0.map { Self.weights(cell, $0) } }, direction: direction, clip: clip)
        let x = Tensor.uniform([steps, batch, input], in: -1...1, seed: seed + 100)
        let state: RecurrentState? = initial ? RecurrentState(hidden: .uniform(net.stateShape(batch: batch), in: -0.8...0.8, seed: seed + 200),
                                                              cell: cell.hasCellState ? .uniform(net.stateShape(batch: batch), in: -0.8...0.8, seed: seed + 300) : nil) : nil
        let (y, final) = Recurrent.forward(x, net, initial: state)
        XCTAssertEqual(y.shape, [steps, batch, d * hidden], file: file, line: line)
        XCTAssertEqual(final.hidden.shape, [layers * d, batch, hidden], file: file, line: line)
        var layerInput = x
        var worst = 0.0
        for l in 0..<layers {
            var out = Tensor.zeros([steps, batch, d * hidden])
            for k in 0..<d {
                let slot = l * d + k
                let h0 = (0..<batch).map { b in (0..<hidden).map { j in state.map { Double($0.hidden[slot, b, j]) } ?? 0 } }
                let c0 = (0..<batch).map { b in (0..<hidden).map { j in state?.cell.map { Double($0[slot, b, j]) } ?? 0 } }
                let ref = Self.reference(cell, raws[l][k], x: layerInput, reversed: direction.isReversed(k), h0: h0, c0: c0,
                                         clip: clip.map(Double.init) ?? .infinity)
                for t in 0..<steps { for b in 0..<batch { for j in 0..<hidden { out[t, b, k * hidden + j] = Float(ref.y[t][b][j]) } } }
                for b in 0..<batch {
                    for j in 0..<hidden {
                        worst = max(worst, abs(Double(final.hidden[slot, b, j]) - ref.h[b][j]))
                        if let fc = final.cell { worst = max(worst, abs(Double(fc[slot, b, j]) - ref.c[b][j])) }
                    }
                }
            }
            layerInput = out
        }
        for i in 0..<y.count { worst = max(worst, abs(Double(y[flat: i]) - Double(layerInput[flat: i]))) }
        XCTAssertLessThan(worst, 2e-5, "\(cell) \(direction) L\(layers) T\(steps) B\(batch) H\(hidden): max |Δ| \(worst)", file: file, line: line)
    }

    // MARK: Cells against the reference

    func testLSTMShapesAndDirections() {
        check(.lstm, direction: .forward, layers: 1, steps: 7, batch: 1, input: 5, hidden: 3, initial: false)
        check(.lstm, direction: .forward, layers: 2, steps: 9, batch: 2, input: 6, hidden: 13, initial: true)
        check(.lstm, direction: .reverse, layers: 1, steps: 5, batch: 3, input: 4, hidden: 8, initial: true)
        check(.lstm, direction: .bidirectional, layers: 3, steps: 6, batch: 2, input: 3, hidden: 17, initial: true)
        check(.lstm, direction: .forward, layers: 1, steps: 4, batch: 1, input: 150, hidden: 150, initial: true)
        // Longer than one projection chunk (256 steps), both directions.
        check(.lstm, direction: .bidirectional, layers: 2, steps: 600, batch: 1, input: 3, hidden: 5, initial: true)
        check(.gru(linearBeforeReset: false), direction: .reverse, layers: 1, steps: 300, batch: 2, input: 2, hidden: 3, initial: true)
    }

    func testLSTMPeepholesAndClip() {
        check(.lstm, direction: .forward, layers: 1, steps: 6, batch: 2, input: 4, hidden: 5, initial: true, peepholes: true)
        check(.lstm, direction: .bidirectional, layers: 1, steps: 6, batch: 1, input: 4, hidden: 9, initial: true, clip: 0.3)
    }

    func testGRUBothResetForms() {
        for lbr in [true, false] {
            check(.gru(linearBeforeReset: lbr), direction: .forward, layers: 2, steps: 8, batch: 2, input: 5, hidden: 11, initial: true)
            check(.gru(linearBeforeReset: lbr), direction: .bidirectional, layers: 1, steps: 5, batch: 3, input: 3, hidden: 8, initial: false)
            check(.gru(linearBeforeReset: lbr), direction: .reverse, layers: 1, steps: 4, batch: 1, input: 2, hidden: 1, initial: true)
        }
    }

    func testRNNActivations() {
        for act in [RecurrentActivation.tanh, .relu, .sigmoid] {
            check(.rnn(act), direction: .bidirectional, layers: 2, steps: 6, batch: 2, input: 4, hidden: 10, initial: true)
        }
    }

    /// Long unidirectional stacks run as a two-thread pipeline of layer groups (when two threads are
    /// configured); the result must not depend on it.
    func testPipelinedLayerGroupsMatchTheReference() {
        let saved = ComputeThreads.count
        defer { ComputeThreads.set(saved) }
        ComputeThreads.set(2)
        check(.lstm, direction: .forward, layers: 2, steps: 150, batch: 1, input: 6, hidden: 9, initial: true)
        check(.lstm, direction: .forward, layers: 3, steps: 97, batch: 2, input: 5, hidden: 8, initial: true)
        check(.gru(linearBeforeReset: true), direction: .forward, layers: 4, steps: 70, batch: 1, input: 3, hidden: 7, initial: false)
        // One thread takes the sequential path; both give the same numbers.
        let layers = (0..<2).map { l in [Self.weights(.lstm, Self.raw(.lstm, input: 8, hidden: 8, seed: 90 + UInt64(l)))] }
        let net = RecurrentNetwork(layers: layers)
        let x = Tensor.uniform([300, 1, 8], in: -1...1, seed: 91)   // also more than one projection chunk
        let pipelined = Recurrent.forward(x, net)
        ComputeThreads.set(1)
        let sequential = Recurrent.forward(x, net)
        assertClose(pipelined.output.scalars, sequential.output.scalars, "pipelined vs sequential outputs")
        assertClose(pipelined.state.cell!.scalars, sequential.state.cell!.scalars, "pipelined vs sequential final c")
    }

    /// Equal up to float rounding: BLAS kernels sum in a different order for different row counts (seen on AVX2
    /// machines), so chunked and whole runs agree to ~1e-7, not bit for bit; a missing state would be off by ~0.1.
    func assertClose(_ a: [Float], _ b: [Float], _ message: String, tolerance: Float = 2e-6,
                     file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.count, b.count, "\(message): lengths", file: file, line: line)
        let worst = zip(a, b).map { abs($0 - $1) }.max() ?? 0
        XCTAssertLessThanOrEqual(worst, tolerance, "\(message): worst difference \(worst)", file: file, line: line)
    }

    // MARK: State, gate orders, graph

    /// Carrying the final state into the next call equals one call over the whole sequence (BeatNet's online mode).
    func testChunkedCallsEqualOneCall() {
        let cellKinds: [RecurrentCell] = [.lstm, .gru(linearBeforeReset: true), .rnn(.tanh)]
        for cell in cellKinds {
            let layers = (0..<2).map { l in [Self.weights(cell, Self.raw(cell, input: l == 0 ? 7 : 12, hidden: 12, seed: 40 + UInt64(l)))] }
            let net = RecurrentNetwork(layers: layers)
            let x = Tensor.uniform([20, 1, 7], in: -1...1, seed: 9)
            let (whole, wholeState) = Recurrent.forward(x, net)
            var state: RecurrentState? = nil
            var chunks: [Float] = []
            var start = 0
            for length in [1, 5, 0, 3, 11] {
                let piece = StridedSlice.forward(x, SliceParameters(starts: [start, 0, 0], steps: [1, 1, 1], counts: [length, 1, 7]))
                let (y, s) = Recurrent.forward(piece, net, initial: state)
                chunks += y.scalars
                state = s
                start += length
            }
            assertClose(chunks, whole.scalars, "\(cell): chunked outputs differ from one call")
            assertClose(state?.hidden.scalars ?? [], wholeState.hidden.scalars, "\(cell): final h")
            assertClose(state?.cell?.scalars ?? [], wholeState.cell?.scalars ?? [], "\(cell): final c")
        }
    }

    /// ONNX-ordered blocks (LSTM i,o,f,c; GRU z,r,h; peepholes i,o,f) give the same network as torch order.
    func testONNXGateOrderMatchesTorchOrder() {
        func reorder(_ t: Tensor, blocks: [Int], rows: Int) -> Tensor {
            // Engine block k comes from source block blocks[k]; build the source tensor from torch order.
            var src = t
            let width = t.count / (blocks.count * rows)
            for (k, from) in blocks.enumerated() {
                for i in 0..<(rows * width) { src[flat: from * rows * width + i] = t[flat: k * rows * width + i] }
            }
            return src
        }
        let x = Tensor.uniform([5, 2, 3], in: -1...1, seed: 3)
        for cell in [RecurrentCell.lstm, .gru(linearBeforeReset: false)] {
            let r = Self.raw(cell, input: 3, hidden: 4, seed: 70, peepholes: cell == .lstm)
            let torch = RecurrentNetwork(layers: [[Self.weights(cell, r)]])
            let order = RecurrentGateOrder.onnx.sourceBlocks(for: cell)
            let onnx = RecurrentWeights(cell: cell, input: reorder(r.w, blocks: order, rows: 4), recurrent: reorder(r.r, blocks: order, rows: 4),
                                        inputBias: reorder(r.bi!, blocks: order, rows: 4), recurrentBias: reorder(r.br!, blocks: order, rows: 4),
                                        peepholes: r.p.map { reorder($0, blocks: RecurrentGateOrder.onnx.peepholeSourceBlocks, rows: 4) },
                                        gateOrder: .onnx)
            XCTAssertEqual(Recurrent.forward(x, RecurrentNetwork(layers: [[onnx]])).output.scalars, Recurrent.forward(x, torch).output.scalars, "\(cell)")
        }
    }

    func testZeroStepsReturnTheInitialState() {
        let net = RecurrentNetwork(layers: [[Self.weights(.lstm, Self.raw(.lstm, input: 2, hidden: 3, seed: 5))]])
        let initial = RecurrentState(hidden: .uniform([1, 2, 3], seed: 1), cell: .uniform([1, 2, 3], seed: 2))
        let (y, s) = Recurrent.forward(Tensor.zeros([0, 2, 2]), net, initial: initial)
        XCTAssertEqual(y.shape, [0, 2, 6 / 2])
        XCTAssertEqual(s.hidden.scalars, initial.hidden.scalars)
        XCTAssertEqual(s.cell?.scalars, initial.cell?.scalars)
    }

    /// The graph op: output and final states by name, initial states fed as inputs.
    func testGraphOpCarriesState() throws {
        let cell = RecurrentCell.lstm
        let net = RecurrentNetwork(layers: [[Self.weights(cell, Self.raw(cell, input: 4, hidden: 6, seed: 8))],
                                            [Self.weights(cell, Self.raw(cell, input: 6, hidden: 6, seed: 9))]])
        let b = GraphBuilder()
        let x = b.input("x"), h0 = b.input("h0"), c0 = b.input("c0")
        let v = b.recurrent(x, net, initialHidden: h0, initialCell: c0, name: "lstm")
        b.output(v.output, name: "y"); b.output(v.hidden, name: "h"); b.output(v.cell!, name: "c")
        let exec = Executor(b.build())
        let xs = Tensor.uniform([10, 1, 4], in: -1...1, seed: 4)
        let zero = Tensor.zeros([2, 1, 6])
        let first = try exec.forward(["x": StridedSlice.forward(xs, SliceParameters(starts: [0, 0, 0], steps: [1, 1, 1], counts: [4, 1, 4])),
                                      "h0": zero, "c0": zero])
        let second = try exec.forward(["x": StridedSlice.forward(xs, SliceParameters(starts: [4, 0, 0], steps: [1, 1, 1], counts: [6, 1, 4])),
                                       "h0": first["h"]!, "c0": first["c"]!])
        let whole = Recurrent.forward(xs, net)
        XCTAssertEqual(first["y"]!.scalars + second["y"]!.scalars, whole.output.scalars)
        XCTAssertEqual(second["h"]!.scalars, whole.state.hidden.scalars)
        XCTAssertEqual(second["c"]!.scalars, whole.state.cell!.scalars)
        XCTAssertEqual(exec.graph.value(named: "lstm.hidden"), v.hidden)
    }
}
