import Engine

// MARK: - LSTM, GRU, RNN

extension OperatorRegistry {
    /// ONNX LSTM, GRU and RNN nodes (one layer, any direction, layout 0 or 1) as an engine `.recurrent`
    /// node: weights in ONNX gate order (LSTM i,o,f,c; GRU z,r,h) are reordered at load time, both biases
    /// are added, initial states may be computed at run time, and Y, Y_h, Y_c are parts of its packed result.
    static func recurrent(_ kind: String) -> Handler {
        { ctx in
            let x = try ctx.input(0)
            guard x.type == .float else { throw ONNXError.unsupportedType("\(x.type) (\(kind) input '\(ctx.node.inputs[0])')") }
            guard x.rank == 3 else { throw ctx.invalid("X must be rank 3, got \(x.shape)") }
            let layout = try ctx.int("layout", 0)
            guard layout == 0 || layout == 1 else { throw ctx.invalid("layout \(layout) (0 or 1)") }
            let (steps, batch, inputSize) = layout == 0 ? (x.shape[0], x.shape[1], x.shape[2]) : (x.shape[1], x.shape[0], x.shape[2])
            let directionName = try ctx.string("direction", "forward")
            guard let direction = RecurrentDirection(rawValue: directionName) else {
                throw ctx.invalid("direction '\(directionName)' (forward, reverse or bidirectional)")
            }
            let d = direction.count
            let cell = try recurrentCell(ctx, kind, directions: d)
            let g = cell.gateCount
            guard let w = try ctx.constantInput(1, "W"), let r = try ctx.constantInput(2, "R") else { throw ctx.invalid("W and R are required") }
            guard r.shape.count == 3, r.shape[0] == d, r.shape[1] % g == 0 else { throw ctx.invalid("R has shape \(r.shape), expected [\(d), \(g)·hidden, hidden]") }
            let h = r.shape[2]
            if let declared = try ctx.optionalInt("hidden_size"), declared != h { throw ctx.invalid("hidden_size \(declared) but R is \(r.shape)") }
            guard h > 0, r.shape[1] == g * h, w.shape == [d, g * h, inputSize] else {
                throw ctx.invalid("W \(w.shape) and R \(r.shape) do not fit \(d) direction(s) of \(g) gates × \(h) units over \(inputSize) inputs")
            }
            let b = try ctx.constantInput(3, "B")
            if let b, b.shape != [d, 2 * g * h] { throw ctx.invalid("B has shape \(b.shape), expected [\(d), \(2 * g * h)]") }
            if let lengths = try ctx.constantInts(4, "sequence_lens") {
                guard lengths.count == batch else { throw ctx.invalid("sequence_lens has \(lengths.count) values for batch \(batch)") }
                if lengths.contains(where: { $0 != steps }) {
                    throw ctx.unsupported("sequence_lens \(lengths) with sequences shorter than the \(steps) steps of X; pad every sequence to the full length or run them one at a time")
                }
            }
            let p = kind == "LSTM" ? try ctx.constantInput(7, "P") : nil
            if let p, p.shape != [d, 3 * h] { throw ctx.invalid("P has shape \(p.shape), expected [\(d), \(3 * h)]") }
            if kind == "LSTM", try ctx.int("input_forget", 0) != 0 {
                throw ctx.unsupported("input_forget=1 (coupled input and forget gates)")
            }
            let clip: Float? = ctx.node.attributes["clip"] == nil ? nil : try ctx.float("clip", 0)
            if let clip, !(clip > 0) { throw ctx.invalid("clip \(clip) must be positive") }

            // Weights per direction, engine gate order.
            func slice(_ t: ONNXTensor, _ dir: Int, _ offset: Int, _ count: Int, _ shape: [Int]) -> Tensor {
                Tensor(shape: shape, scalars: Array(t.engineTensor.scalars[(dir * t.count / d + offset)..<(dir * t.count / d + offset + count)]))
            }
            let weights = (0..<d).map { dir in
                RecurrentWeights(cell: cell, input: slice(w, dir, 0, g * h * inputSize, [g * h, inputSize]),
                                 recurrent: slice(r, dir, 0, g * h * h, [g * h, h]),
                                 inputBias: b.map { slice($0, dir, 0, g * h, [g * h]) },
                                 recurrentBias: b.map { slice($0, dir, g * h, g * h, [g * h]) },
                                 peepholes: p.map { slice($0, dir, 0, 3 * h, [3 * h]) }, gateOrder: .onnx)
            }
            let network = RecurrentNetwork(layers: [weights], direction: direction, clip: clip)

            // Operands, time-major: X [T, B, I], states [D, B, H].
            let L = ctx.lowering
            let stateShape = [d, batch, h]
            func state(_ i: Int, _ name: String) throws -> LoweredValue? {
                guard let v = try ctx.optionalInput(i) else { return nil }
                let expected = layout == 0 ? stateShape : [batch, d, h]
                guard v.shape == expected else { throw ctx.invalid("\(name) has shape \(v.shape), expected \(expected)") }
                guard v.type == .float else { throw ONNXError.unsupportedType("\(v.type) (\(kind) \(name))") }
                return layout == 0 ? v : try L.transpose(v, [1, 0, 2])
            }
            let xt = layout == 0 ? x : try L.transpose(x, [1, 0, 2])
            var h0 = try state(5, "initial_h")
            let c0 = kind == "LSTM" ? try state(6, "initial_c") : nil
            if c0 != nil && h0 == nil { h0 = L.constant(.zeros(stateShape)) }
            let operands = [xt] + [h0, c0].compactMap { $0 }
            let packed = try L.emit(.recurrent(network), operands, shape: [steps + network.stateRows, batch, d * h], type: .float)

            // Outputs in ONNX layout: Y [T, D, B, H] (layout 1: [B, T, D, H]); Y_h, Y_c [D, B, H] (layout 1: [B, D, H]).
            let parts = network.layout
            var y = try L.emit(.recurrentPart(.output, parts), [packed], shape: [steps, batch, d * h], type: .float)
            y = try L.reshape(y, [steps, batch, d, h])
            y = try L.transpose(y, layout == 0 ? [0, 2, 1, 3] : [1, 0, 2, 3])
            func finalState(_ part: RecurrentPart) throws -> LoweredValue {
                let s = try L.emit(.recurrentPart(part, parts), [packed], shape: stateShape, type: .float)
                return layout == 0 ? s : try L.transpose(s, [1, 0, 2])
            }
            var outputs = [y, try finalState(.hidden)]
            if kind == "LSTM" { outputs.append(try finalState(.cell)) }
            return outputs
        }
    }

    /// The cell of an ONNX recurrent node, refusing activations other than the defaults (LSTM, GRU) or a
    /// single tanh/relu/sigmoid for both directions (RNN).
    static func recurrentCell(_ ctx: NodeContext, _ kind: String, directions: Int) throws -> RecurrentCell {
        var activations: [String]? = nil
        if let a = ctx.node.attributes["activations"] {
            guard case .strings(let names) = a else { throw ctx.invalid("attribute activations is not a list of strings") }
            activations = names.map { $0.lowercased() }
        }
        let perDirection: [String]
        switch kind {
        case "LSTM": perDirection = ["sigmoid", "tanh", "tanh"]
        case "GRU": perDirection = ["sigmoid", "tanh"]
        default: perDirection = [activations?.first ?? "tanh"]
        }
        if let activations, activations != Array([[String]](repeating: perDirection, count: directions).joined()) {
            throw ctx.unsupported("activations \(activations); only the defaults are supported (\(kind == "RNN" ? "Tanh, Relu or Sigmoid, the same for every direction" : perDirection.joined(separator: ", ")))")
        }
        if activations != nil, ctx.node.attributes["activation_alpha"] != nil || ctx.node.attributes["activation_beta"] != nil {
            throw ctx.unsupported("activation_alpha/activation_beta")
        }
        switch kind {
        case "LSTM": return .lstm
        case "GRU": return .gru(linearBeforeReset: try ctx.int("linear_before_reset", 0) != 0)
        default:
            guard let a = RecurrentActivation(rawValue: perDirection[0]) else {
                throw ctx.unsupported("RNN activation \(perDirection[0]) (Tanh, Relu or Sigmoid)")
            }
            return .rnn(a)
        }
    }
}
