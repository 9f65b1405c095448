// MARK: - One direction of one layer

/// The weights of one direction of one recurrent layer, stored in PyTorch's gate order and also packed
/// for the step kernel (hidden units padded to a multiple of 8, the gates of 8 units side by side).
public struct RecurrentWeights: Sendable {
    /// The cell these weights drive.
    public let cell: RecurrentCell
    /// Features per input step.
    public let inputSize: Int
    /// Hidden units.
    public let hiddenSize: Int

    /// Input-projection rows (gate g, unit j at row g·Hp + j; padded rows zero), [G·Hp, inputSize].
    let inputPacked: Tensor
    /// Bias added to the input projection, [G·Hp]: every bias that sits outside a gate's reset product.
    let biasPacked: Tensor
    /// Recurrent weights, [Hp/8 blocks][H columns][G gates][8 units] (for a reset-before-linear GRU only
    /// the r and z gates; the n gate is in `resetRecurrentPacked`).
    let recurrentPacked: Tensor
    /// GRU without linear-before-reset: the n gate's recurrent weights, [Hp/8][H][1][8].
    let resetRecurrentPacked: Tensor?
    /// GRU with linear-before-reset: the n gate's recurrent bias b_hn, [Hp].
    let resetBiasPacked: Tensor?
    /// LSTM peepholes i, f, o, [3·Hp].
    let peepholesPacked: Tensor?

    /// Hidden units padded to a multiple of 8.
    var paddedHidden: Int { (hiddenSize + 7) / 8 * 8 }

    /// Packs torch- or ONNX-ordered weights: `input` [G·H, I], `recurrent` [G·H, H], biases [G·H]
    /// (either may be nil: zeros), LSTM `peepholes` [3·H] (ONNX only; i, o, f in ONNX order).
    public init(cell: RecurrentCell, input: Tensor, recurrent: Tensor, inputBias: Tensor? = nil,
                recurrentBias: Tensor? = nil, peepholes: Tensor? = nil, gateOrder: RecurrentGateOrder = .pytorch) {
        let g = cell.gateCount
        precondition(input.rank == 2 && recurrent.rank == 2, "recurrent weights must be matrices, got \(input.shape) and \(recurrent.shape)")
        let h = recurrent.shape[1]
        precondition(h > 0 && input.shape[0] == g * h && recurrent.shape[0] == g * h,
                     "\(cell) weights \(input.shape) / \(recurrent.shape) do not hold \(g) gates of \(h) units")
        for b in [inputBias, recurrentBias] { if let b { precondition(b.count == g * h, "\(cell) bias of \(b.count) for \(g)×\(h)") } }
        if let peepholes { precondition(cell == .lstm && peepholes.count == 3 * h, "peepholes need an LSTM and 3×\(h) values") }
        self.cell = cell
        inputSize = input.shape[1]
        hiddenSize = h
        let hp = (h + 7) / 8 * 8, inF = input.shape[1]
        let blocks = gateOrder.sourceBlocks(for: cell)
        // Row `j` of gate `gate` (engine order) in a source tensor with `units` rows per gate.
        func row(_ t: Tensor, _ gate: Int, _ j: Int, width: Int) -> UnsafePointer<Float> {
            UnsafePointer(t.ptr + (blocks[gate] * h + j) * width)
        }
        func bias(_ t: Tensor?, _ gate: Int, _ j: Int) -> Float { t.map { $0.ptr[blocks[gate] * h + j] } ?? 0 }

        // Input projection rows and the bias folded into it.
        var inPacked = Tensor.zeros([g * hp, inF])
        var biasP = Tensor.zeros([g * hp])
        let resetBeforeLinear = cell == .gru(linearBeforeReset: false)
        let linearBeforeReset = cell == .gru(linearBeforeReset: true)
        inPacked.withUnsafeMutableBufferPointer { dst in
            for gate in 0..<g { for j in 0..<h { (dst.baseAddress! + (gate * hp + j) * inF).update(from: row(input, gate, j, width: inF), count: inF) } }
        }
        biasP.withUnsafeMutableBufferPointer { dst in
            for gate in 0..<g {
                for j in 0..<h {
                    // b_hn stays inside the reset product when the reset follows the linear map.
                    let recurrentPart = (linearBeforeReset && gate == 2) ? 0 : bias(recurrentBias, gate, j)
                    dst[gate * hp + j] = bias(inputBias, gate, j) + recurrentPart
                }
            }
        }
        inputPacked = inPacked
        biasPacked = biasP

        // Recurrent weights by unit block: [block][k][gate][8].
        func pack(gates: [Int]) -> Tensor {
            let gc = gates.count
            var t = Tensor.zeros([hp / 8, h, gc, 8])
            t.withUnsafeMutableBufferPointer { dst in
                for blk in 0..<(hp / 8) {
                    for k in 0..<h {
                        for (slot, gate) in gates.enumerated() {
                            for lane in 0..<8 where blk * 8 + lane < h {
                                dst[((blk * h + k) * gc + slot) * 8 + lane] = row(recurrent, gate, blk * 8 + lane, width: h)[k]
                            }
                        }
                    }
                }
            }
            return t
        }
        if resetBeforeLinear {
            recurrentPacked = pack(gates: [0, 1])
            resetRecurrentPacked = pack(gates: [2])
        } else {
            recurrentPacked = pack(gates: Array(0..<g))
            resetRecurrentPacked = nil
        }
        if linearBeforeReset {
            var rb = Tensor.zeros([hp])
            rb.withUnsafeMutableBufferPointer { dst in for j in 0..<h { dst[j] = bias(recurrentBias, 2, j) } }
            resetBiasPacked = rb
        } else {
            resetBiasPacked = nil
        }
        if let peepholes {
            let src = gateOrder.peepholeSourceBlocks
            var p = Tensor.zeros([3 * hp])
            p.withUnsafeMutableBufferPointer { dst in
                for slot in 0..<3 { for j in 0..<h { dst[slot * hp + j] = peepholes.ptr[src[slot] * h + j] } }
            }
            peepholesPacked = p
        } else {
            peepholesPacked = nil
        }
        withExtendedLifetime((input, recurrent, inputBias, recurrentBias, peepholes)) {}
    }
}
