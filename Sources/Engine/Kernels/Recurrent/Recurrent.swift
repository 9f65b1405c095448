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

    /// Steps per chunk when two layer groups run as a pipeline on two threads.
    static let pipelineChunk = 64
    /// Steps whose input projections are computed (and held) at once otherwise, so that a long sequence
    /// needs a few MB of projections rather than T × gates × hidden floats.
    static let projectionChunk = 256

    /// Runs every layer; the last one writes its output rows into `out`, every layer its final state rows.
    static func run(x: UnsafePointer<Float>, steps: Int, batch: Int, network: RecurrentNetwork,
                    h0: UnsafePointer<Float>?, c0: UnsafePointer<Float>?, into out: UnsafeMutablePointer<Float>) {
        let d = network.direction.count, width = network.outputSize
        let rows = steps * batch
        let layers = network.layerCount
        let finalHidden = SharedPointer(out + rows * width)
        let finalCell = SharedPointer(out + rows * width + layers * batch * width)
        let initial = (h0.map { SharedPointer($0) }, c0.map { SharedPointer($0) })
        func runner(_ layer: Int, _ dir: Int, _ projectionSteps: Int) -> RecurrentSequenceRun {
            RecurrentSequenceRun(network: network, layer: layer, direction: dir, steps: steps, batch: batch,
                                 projectionSteps: projectionSteps, h0: initial.0, c0: initial.1)
        }
        // Inner layers' outputs, ping-pong.
        let inner = layers > 1 ? Tensor(uninitializedShape: [min(layers - 1, 2), max(rows, 1), width]) : nil
        func output(_ layer: Int) -> UnsafeMutablePointer<Float> { layer == layers - 1 ? out : inner!.ptr + (layer % 2) * rows * width }

        if rows > 0 && d == 1 && layers >= 2 && steps >= 2 * pipelineChunk && ComputeThreads.count > 1 {
            runPipelined(x: x, steps: steps, batch: batch, network: network, runner: runner, output: output,
                         finalHidden: finalHidden, finalCell: finalCell)
            withExtendedLifetime((inner, network)) {}
            return
        }
        var input = x
        for layer in 0..<layers {
            let y = SharedPointer(output(layer))
            let runs = (0..<d).map { runner(layer, $0, min(steps, projectionChunk)) }
            let source = SharedPointer(input)
            let job: @Sendable (Int) -> Void = { dir in
                let run = runs[dir]
                // Chunks in this direction's order: logical steps s0..<s1 are times T−s1..<T−s0 when reversed.
                var s0 = 0
                while s0 < steps {
                    let s1 = min(steps, s0 + projectionChunk)
                    let times = run.reversed ? (steps - s1)..<(steps - s0) : s0..<s1
                    run.project(source.p, rows: times)
                    run.advance(steps: s0..<s1, projectedFrom: times.lowerBound, output: y.p)
                    s0 = s1
                }
                run.writeFinal(hidden: finalHidden.p, cell: finalCell.p)
            }
            // Both directions at once when there are two and a second thread (each GEMM then single-threaded).
            if d == 2 && ComputeThreads.count > 1 && rows > 0 {
                openblas_set_num_threads(1)
                DispatchQueue.concurrentPerform(iterations: 2, execute: job)
                openblas_set_num_threads(Int32(ComputeThreads.count))
            } else {
                for dir in 0..<d { job(dir) }
            }
            input = UnsafePointer(y.p)
        }
        withExtendedLifetime((inner, network)) {}
    }

    /// Two threads, each owning half of the layers (so each core keeps its layers' weights in its cache):
    /// the first group runs chunk after chunk and signals; the second follows one chunk behind. The
    /// second never blocks the first, so the pipeline also completes if both end up on one thread.
    static func runPipelined(x: UnsafePointer<Float>, steps: Int, batch: Int, network: RecurrentNetwork,
                             runner: (Int, Int, Int) -> RecurrentSequenceRun, output: (Int) -> UnsafeMutablePointer<Float>,
                             finalHidden: SharedPointer, finalCell: SharedPointer) {
        let layers = network.layerCount
        let split = layers / 2
        let runs = (0..<layers).map { runner($0, 0, pipelineChunk) }
        let outputs = (0..<layers).map { SharedPointer(output($0)) }
        let source = SharedPointer(x)
        let chunks = (steps + pipelineChunk - 1) / pipelineChunk
        let ready = DispatchSemaphore(value: 0)
        let groups = [0..<split, split..<layers]
        openblas_set_num_threads(1)
        DispatchQueue.concurrentPerform(iterations: 2) { group in
            for c in 0..<chunks {
                let range = (c * pipelineChunk)..<min(steps, (c + 1) * pipelineChunk)
                if group == 1 { ready.wait() }
                for layer in groups[group] {
                    let run = runs[layer]
                    run.project(layer == 0 ? source.p : outputs[layer - 1].p, rows: range)
                    run.advance(steps: range, projectedFrom: range.lowerBound, output: outputs[layer].p)
                }
                if group == 0 { ready.signal() }
            }
            for layer in groups[group] { runs[layer].writeFinal(hidden: finalHidden.p, cell: finalCell.p) }
        }
        openblas_set_num_threads(Int32(ComputeThreads.count))
    }
}
