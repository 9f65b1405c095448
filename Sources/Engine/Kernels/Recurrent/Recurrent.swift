import CBLAS
import Dispatch

// MARK: - Recurrent layers

/// Runs LSTM, GRU and RNN stacks (inference): per layer and direction, the input projection of the whole
/// sequence is one GEMM, then each step adds R·h with a fused SIMD kernel (`RecurrentSteps`) that reads
/// every recurrent weight once and allocates nothing. Sequences are time-major, x [T, batch, features].
public enum Recurrent {
    /// The last layer's output y [T, batch, directions·hidden] and the final state, starting from
    /// `initial` (zeros when nil). Passing the returned state to the next call continues the sequence
    /// exactly as one longer call would.
    public static func forward(_ x: Tensor, _ network: RecurrentNetwork, initial: RecurrentState? = nil) -> (output: Tensor, state: RecurrentState) {
        let packed = forwardPacked(x, network, hidden: initial?.hidden, cell: initial?.cell)
        let layout = network.layout
        return (part(.output, of: packed, layout: layout),
                RecurrentState(hidden: part(.hidden, of: packed, layout: layout),
                               cell: layout.hasCellState ? part(.cell, of: packed, layout: layout) : nil))
    }

    /// The packed result a `.recurrent` graph node yields: [T + stateRows, batch, directions·hidden] with
    /// the output rows first, then the final h of each layer (directions side by side), then c.
    public static func forwardPacked(_ x: Tensor, _ network: RecurrentNetwork, hidden h0: Tensor?, cell c0: Tensor?) -> Tensor {
        precondition(x.rank == 3 && x.shape[2] == network.inputSize,
                     "recurrent input must be [T, batch, \(network.inputSize)], got \(x.shape)")
        let (steps, batch) = (x.shape[0], x.shape[1])
        let stateShape = network.stateShape(batch: batch)
        if let h0 { precondition(h0.shape == stateShape, "initial hidden state \(h0.shape), expected \(stateShape)") }
        if let c0 {
            precondition(network.cell.hasCellState, "\(network.cell) has no cell state")
            precondition(c0.shape == stateShape, "initial cell state \(c0.shape), expected \(stateShape)")
        }
        let width = network.outputSize
        let packed = Tensor(uninitializedShape: [steps + network.stateRows, batch, width])
        run(x: x.ptr, steps: steps, batch: batch, network: network, h0: h0?.ptr, c0: c0?.ptr, into: packed.ptr)
        withExtendedLifetime((x, h0, c0)) {}
        return packed
    }

    /// One part of a packed result, in torch/ONNX layout (`.output` [T, batch, D·H]; states [L·D, batch, H]).
    public static func part(_ part: RecurrentPart, of packed: Tensor, layout: RecurrentLayout) -> Tensor {
        let (rows, batch, width) = (packed.shape[0], packed.shape[1], packed.shape[2])
        let steps = rows - layout.stateRows
        precondition(packed.rank == 3 && steps >= 0 && width == layout.directions * layout.hiddenSize,
                     "packed recurrent result \(packed.shape) does not fit \(layout)")
        let h = layout.hiddenSize, d = layout.directions, l = layout.layers
        switch part {
        case .output:
            let y = Tensor(uninitializedShape: [steps, batch, width])
            y.ptr.update(from: packed.ptr, count: y.count)
            withExtendedLifetime(packed) {}
            return y
        case .hidden, .cell:
            precondition(part == .hidden || layout.hasCellState, "the packed result holds no cell state")
            let first = steps + (part == .cell ? l : 0)
            let s = Tensor(uninitializedShape: [l * d, batch, h])
            for layer in 0..<l {
                for dir in 0..<d {
                    for b in 0..<batch {
                        (s.ptr + ((layer * d + dir) * batch + b) * h)
                            .update(from: packed.ptr + ((first + layer) * batch + b) * width + dir * h, count: h)
                    }
                }
            }
            withExtendedLifetime(packed) {}
            return s
        }
    }

    // MARK: Driver

    /// Runs every layer; the last one writes its output rows into `out`, every layer its final state rows.
    static func run(x: UnsafePointer<Float>, steps: Int, batch: Int, network: RecurrentNetwork,
                    h0: UnsafePointer<Float>?, c0: UnsafePointer<Float>?, into out: UnsafeMutablePointer<Float>) {
        let d = network.direction.count, h = network.hiddenSize, width = network.outputSize
        let rows = steps * batch
        let layers = network.layerCount
        let stateBase = out + rows * width
        let cellBase = stateBase + layers * batch * width
        if rows == 0 {
            // No steps: the final state is the initial one.
            for layer in 0..<layers {
                for dir in 0..<d {
                    for b in 0..<batch {
                        let src = ((layer * d + dir) * batch + b) * h, dst = (layer * batch + b) * width + dir * h
                        if let h0 { (stateBase + dst).update(from: h0 + src, count: h) } else { (stateBase + dst).initialize(repeating: 0, count: h) }
                        if network.cell.hasCellState {
                            if let c0 { (cellBase + dst).update(from: c0 + src, count: h) } else { (cellBase + dst).initialize(repeating: 0, count: h) }
                        }
                    }
                }
            }
            return
        }
        // Two ping-pong buffers for the outputs of inner layers.
        let inner = layers > 1 ? Tensor(uninitializedShape: [min(layers - 1, 2), rows, width]) : nil
        let hp = network.layers[0][0].paddedHidden
        let projections = Tensor(uninitializedShape: [d, rows, network.cell.gateCount * hp])
        var input = x
        var inputWidth = network.inputSize
        for layer in 0..<layers {
            let output = layer == layers - 1 ? out : inner!.ptr + (layer % 2) * rows * width
            // Input projections of the whole sequence, one GEMM per direction (bias pre-filled, beta 1).
            for dir in 0..<d {
                let w = network.layers[layer][dir]
                let gates = w.cell.gateCount * hp
                let xp = projections.ptr + dir * rows * gates
                for r in 0..<rows { (xp + r * gates).update(from: w.biasPacked.ptr, count: gates) }
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(gates), Int32(inputWidth), 1,
                            input, Int32(inputWidth), w.inputPacked.ptr, Int32(inputWidth), 1, xp, Int32(gates))
            }
            // The recurrences (both directions at once when there are two and a second thread).
            let job = LayerJob(network: network, layer: layer, steps: steps, batch: batch,
                               projections: SharedPointer(projections.ptr), output: SharedPointer(output),
                               h0: h0.map { SharedPointer($0) }, c0: c0.map { SharedPointer($0) },
                               finalHidden: SharedPointer(stateBase), finalCell: SharedPointer(cellBase))
            if d == 2 && ComputeThreads.count > 1 {
                DispatchQueue.concurrentPerform(iterations: 2) { job.runDirection($0) }
            } else {
                for dir in 0..<d { job.runDirection(dir) }
            }
            input = UnsafePointer(output)
            inputWidth = width
        }
        withExtendedLifetime((inner, projections, network)) {}
    }

    /// What one layer's recurrence reads and writes; `runDirection` may run on any thread.
    struct LayerJob: Sendable {
        let network: RecurrentNetwork
        let layer: Int, steps: Int, batch: Int
        let projections: SharedPointer, output: SharedPointer
        let h0: SharedPointer?, c0: SharedPointer?
        let finalHidden: SharedPointer, finalCell: SharedPointer

        /// Steps through the sequence for direction `dir`, writing its half of every output row.
        func runDirection(_ dir: Int) {
            let w = network.layers[layer][dir]
            let d = network.direction.count, h = w.hiddenSize, hp = w.paddedHidden, g = w.cell.gateCount
            let width = d * h, rows = steps * batch
            let reversed = network.direction.isReversed(dir)
            let clip = network.clip ?? .infinity
            // State: h double-buffered, c in place; plus GRU scratch. Padded lanes stay zero.
            let scratch = Tensor.zeros([batch * hp * 5])
            var hCur = scratch.ptr, hNew = scratch.ptr + batch * hp
            let c = scratch.ptr + 2 * batch * hp
            let zScratch = scratch.ptr + 3 * batch * hp, rhScratch = scratch.ptr + 4 * batch * hp
            let slot = layer * d + dir
            for b in 0..<batch {
                if let h0 { (hCur + b * hp).update(from: h0.p + (slot * batch + b) * h, count: h) }
                if let c0 { (c + b * hp).update(from: c0.p + (slot * batch + b) * h, count: h) }
            }
            let xpBase = UnsafePointer(projections.p + dir * rows * g * hp)
            let r = UnsafePointer(w.recurrentPacked.ptr)
            let peep = w.peepholesPacked.map { UnsafePointer($0.ptr) }
            let resetBias = w.resetBiasPacked.map { UnsafePointer($0.ptr) }
            let resetWeights = w.resetRecurrentPacked.map { UnsafePointer($0.ptr) }
            for s in 0..<steps {
                let t = reversed ? steps - 1 - s : s
                for b in 0..<batch {
                    let xp = xpBase + (t * batch + b) * g * hp
                    let hPrev = UnsafePointer(hCur + b * hp), hNext = hNew + b * hp
                    switch w.cell {
                    case .lstm:
                        RecurrentSteps.lstm(xp: xp, r: r, peepholes: peep, hidden: h, padded: hp, clip: clip,
                                            hPrev: hPrev, hNext: hNext, c: c + b * hp)
                    case .gru(let linearBeforeReset):
                        if linearBeforeReset {
                            RecurrentSteps.gruLinearBeforeReset(xp: xp, r: r, resetBias: resetBias!, hidden: h, padded: hp,
                                                                clip: clip, hPrev: hPrev, hNext: hNext)
                        } else {
                            RecurrentSteps.gruResetBeforeLinear(xp: xp, r: r, rn: resetWeights!, hidden: h, padded: hp,
                                                                clip: clip, hPrev: hPrev, hNext: hNext, zScratch: zScratch,
                                                                rhScratch: rhScratch)
                        }
                    case .rnn(let activation):
                        RecurrentSteps.rnn(xp: xp, r: r, activation: activation, hidden: h, padded: hp, clip: clip,
                                           hPrev: hPrev, hNext: hNext)
                    }
                    (output.p + (t * batch + b) * width + dir * h).update(from: hNext, count: h)
                }
                swap(&hCur, &hNew)
            }
            for b in 0..<batch {
                let dst = (layer * batch + b) * width + dir * h
                (finalHidden.p + dst).update(from: hCur + b * hp, count: h)
                if w.cell.hasCellState { (finalCell.p + dst).update(from: c + b * hp, count: h) }
            }
            withExtendedLifetime((scratch, w)) {}
        }
    }
}
