import CBLAS

// MARK: - One direction of one layer

/// One direction of one recurrent layer stepping through a sequence: its state (h double-buffered, c in
/// place), the input projections of the steps it is about to take and a scratch row of gate
/// pre-activations, all allocated once per call (never per step). Padded hidden lanes stay zero.
final class RecurrentSequenceRun: @unchecked Sendable {
    // @unchecked Sendable: a run is used by one thread at a time (the pipeline hands a layer to one
    // worker), and the buffers it points into belong to it alone.

    let weights: RecurrentWeights
    let steps: Int, batch: Int
    let hidden: Int, padded: Int, gates: Int
    /// Output row width (directions × hidden) and this direction's first column in it.
    let width: Int, column: Int
    /// Where this run's final state goes among the packed state rows.
    let layer: Int, direction: Int
    let reversed: Bool
    let clip: Float?
    private let storage: Tensor
    private let projections: Tensor
    private var hCur: UnsafeMutablePointer<Float>, hNew: UnsafeMutablePointer<Float>
    private let c: UnsafeMutablePointer<Float>, pre: UnsafeMutablePointer<Float>, rh: UnsafeMutablePointer<Float>

    /// Prepares layer `layer`, direction `direction` of `network` over `steps` × `batch`, starting from the
    /// initial state rows in h0/c0 ([layers·directions, batch, hidden]; zeros when nil); `projectionSteps`
    /// is the most steps `project` is asked for at once.
    init(network: RecurrentNetwork, layer: Int, direction: Int, steps: Int, batch: Int, projectionSteps: Int,
         h0: SharedPointer?, c0: SharedPointer?) {
        weights = network.layers[layer][direction]
        self.steps = steps; self.batch = batch
        hidden = weights.hiddenSize; padded = weights.paddedHidden; gates = weights.cell.gateCount
        width = network.outputSize; column = direction * hidden
        self.layer = layer; self.direction = direction
        reversed = network.direction.isReversed(direction)
        clip = network.clip
        let rowLength = gates * padded
        storage = Tensor.zeros([3 * batch * padded + rowLength + padded])
        projections = Tensor(uninitializedShape: [max(1, projectionSteps * batch), rowLength])
        hCur = storage.ptr; hNew = storage.ptr + batch * padded
        c = storage.ptr + 2 * batch * padded
        pre = storage.ptr + 3 * batch * padded
        rh = pre + rowLength
        let slot = layer * network.direction.count + direction
        for b in 0..<batch {
            if let h0 { (hCur + b * padded).update(from: h0.p + (slot * batch + b) * hidden, count: hidden) }
            if let c0, weights.cell.hasCellState { (c + b * padded).update(from: c0.p + (slot * batch + b) * hidden, count: hidden) }
        }
    }

    /// Input projections (W·x + biases) of time steps `range` of `input` ([T, batch, inputSize]), one GEMM.
    func project(_ input: UnsafePointer<Float>, rows range: Range<Int>) {
        let n = range.count * batch
        guard n > 0 else { return }
        precondition(n <= projections.shape[0], "projection buffer too small")
        let rowLength = gates * padded
        let xp = projections.ptr
        for r in 0..<n { (xp + r * rowLength).update(from: weights.biasPacked.ptr, count: rowLength) }
        let k = weights.inputSize
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(n), Int32(rowLength), Int32(k), 1,
                    input + range.lowerBound * batch * k, Int32(k), weights.inputPacked.ptr, Int32(k), 1, xp, Int32(rowLength))
    }

    /// Takes the steps `range` (in this direction's order: step s is time T−1−s when reversed), whose
    /// projections `project` left for the times starting at `first`; writes h into `output` [T, batch, width].
    func advance(steps range: Range<Int>, projectedFrom first: Int, output: UnsafeMutablePointer<Float>) {
        let h = hidden, hp = padded, rowLength = gates * padded
        let all = 0..<(hp / 8)
        let r = UnsafePointer(weights.recurrentPacked.ptr)
        let peep = weights.peepholesPacked.map { UnsafePointer($0.ptr) }
        let resetBias = weights.resetBiasPacked.map { UnsafePointer($0.ptr) }
        let resetWeights = weights.resetRecurrentPacked.map { UnsafePointer($0.ptr) }
        let pre = self.pre, c = self.c, rh = self.rh
        for s in range {
            let t = reversed ? steps - 1 - s : s
            for b in 0..<batch {
                let xp = UnsafePointer(projections.ptr + ((t - first) * batch + b) * rowLength)
                let hPrev = UnsafePointer(hCur + b * hp), hNext = hNew + b * hp
                switch weights.cell {
                case .lstm:
                    if let clip {
                        RecurrentSteps.product4(xp, xp + hp, xp + 2 * hp, xp + 3 * hp, r: r, hidden: h, padded: hp, h: hPrev, into: pre, blocks: all)
                        RecurrentSteps.clip(pre, count: rowLength, limit: clip)
                        RecurrentSteps.lstmUpdate(pre: pre, peepholes: peep, padded: hp, c: c + b * hp, hNext: hNext, blocks: all)
                    } else {
                        RecurrentSteps.lstmFused(xp: xp, r: r, peepholes: peep, hidden: h, padded: hp, h: hPrev, c: c + b * hp,
                                                 hNext: hNext, blocks: all)
                    }
                case .gru(linearBeforeReset: true):
                    RecurrentSteps.product3(xp, xp + hp, resetBias!, r: r, hidden: h, padded: hp, h: hPrev, into: pre, blocks: all)
                    if let clip {
                        RecurrentSteps.clip(pre, count: 2 * hp, limit: clip)
                        RecurrentSteps.gruCombine(pre: pre, xpN: xp + 2 * hp, preN: pre + 2 * hp, blocks: all)
                        RecurrentSteps.clip(pre + 2 * hp, count: hp, limit: clip)
                        RecurrentSteps.gruUpdate(pre: pre, xpN: nil, preN: pre + 2 * hp, padded: hp, hPrev: hPrev, hNext: hNext, blocks: all)
                    } else {
                        RecurrentSteps.gruUpdate(pre: pre, xpN: xp + 2 * hp, preN: pre + 2 * hp, padded: hp, hPrev: hPrev, hNext: hNext, blocks: all)
                    }
                case .gru(linearBeforeReset: false):
                    RecurrentSteps.product2(xp, xp + hp, r: r, hidden: h, padded: hp, h: hPrev, into: pre, blocks: all)
                    if let clip { RecurrentSteps.clip(pre, count: 2 * hp, limit: clip) }
                    RecurrentSteps.gruReset(pre: pre, hPrev: hPrev, rh: rh, blocks: all)
                    RecurrentSteps.product1(xp + 2 * hp, r: resetWeights!, hidden: h, padded: hp, h: rh, into: pre + 2 * hp, blocks: all)
                    if let clip { RecurrentSteps.clip(pre + 2 * hp, count: hp, limit: clip) }
                    RecurrentSteps.gruUpdate(pre: pre, xpN: nil, preN: pre + 2 * hp, padded: hp, hPrev: hPrev, hNext: hNext, blocks: all)
                case .rnn(let activation):
                    RecurrentSteps.product1(xp, r: r, hidden: h, padded: hp, h: hPrev, into: pre, blocks: all)
                    if let clip { RecurrentSteps.clip(pre, count: hp, limit: clip) }
                    RecurrentSteps.rnnUpdate(pre: pre, activation: activation, hNext: hNext, blocks: all)
                }
                (output + (t * batch + b) * width + column).update(from: hNext, count: h)
            }
            swap(&hCur, &hNew)
        }
    }

    /// Writes the current h (and c) into the packed state rows ([layer] × [batch, width]).
    func writeFinal(hidden finalHidden: UnsafeMutablePointer<Float>, cell finalCell: UnsafeMutablePointer<Float>) {
        for b in 0..<batch {
            let dst = (layer * batch + b) * width + column
            (finalHidden + dst).update(from: hCur + b * padded, count: hidden)
            if weights.cell.hasCellState { (finalCell + dst).update(from: c + b * padded, count: hidden) }
        }
    }
}
