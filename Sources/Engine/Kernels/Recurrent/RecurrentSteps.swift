// MARK: - Fused step kernels

/// One time step of one sequence: the step's input projection plus R·h_prev, then the cell's gates,
/// eight hidden units at a time with all their gates accumulated together (the recurrent weights are
/// packed [unit block][column][gate][8]), so each weight is read once per step and nothing is allocated.
enum RecurrentSteps {
    typealias V = SIMD8<Float>

    @inline(__always) static func load(_ p: UnsafePointer<Float>) -> V { UnsafeRawPointer(p).loadUnaligned(as: V.self) }
    @inline(__always) static func load(_ p: UnsafeMutablePointer<Float>) -> V { UnsafeRawPointer(p).loadUnaligned(as: V.self) }
    @inline(__always) static func store(_ v: V, _ p: UnsafeMutablePointer<Float>) { UnsafeMutableRawPointer(p).storeBytes(of: v, as: V.self) }

    /// Clamps gate pre-activations to ±limit (ONNX `clip`; +∞ leaves them alone).
    @inline(__always) static func clamp(_ x: V, _ limit: V) -> V {
        x.replacing(with: limit, where: x .> limit).replacing(with: -limit, where: x .< -limit)
    }

    // MARK: LSTM

    /// c ← f⊙c + i⊙g, h_next ← o⊙tanh(c), gates from `xp` (4 blocks of `hp`) + R·h_prev (+ peepholes).
    @inline(__always)
    static func lstm(xp: UnsafePointer<Float>, r: UnsafePointer<Float>, peepholes: UnsafePointer<Float>?, hidden h: Int,
                     padded hp: Int, clip: Float, hPrev: UnsafePointer<Float>, hNext: UnsafeMutablePointer<Float>,
                     c: UnsafeMutablePointer<Float>) {
        let limit = V(repeating: clip)
        for blk in 0..<(hp / 8) {
            let o = blk * 8
            var ai = load(xp + o), af = load(xp + hp + o), ag = load(xp + 2 * hp + o), ao = load(xp + 3 * hp + o)
            var bi = V(), bf = V(), bg = V(), bo = V()
            var w = r + blk * h * 32
            var k = 0
            while k + 2 <= h {
                let x0 = V(repeating: hPrev[k]), x1 = V(repeating: hPrev[k + 1])
                ai = ai.addingProduct(load(w), x0); af = af.addingProduct(load(w + 8), x0)
                ag = ag.addingProduct(load(w + 16), x0); ao = ao.addingProduct(load(w + 24), x0)
                bi = bi.addingProduct(load(w + 32), x1); bf = bf.addingProduct(load(w + 40), x1)
                bg = bg.addingProduct(load(w + 48), x1); bo = bo.addingProduct(load(w + 56), x1)
                w += 64; k += 2
            }
            if k < h {
                let x0 = V(repeating: hPrev[k])
                ai = ai.addingProduct(load(w), x0); af = af.addingProduct(load(w + 8), x0)
                ag = ag.addingProduct(load(w + 16), x0); ao = ao.addingProduct(load(w + 24), x0)
            }
            ai += bi; af += bf; ag += bg; ao += bo
            let cPrev = load(c + o)
            if let p = peepholes {
                ai = ai.addingProduct(load(p + o), cPrev)
                af = af.addingProduct(load(p + hp + o), cPrev)
            }
            let i = VectorMath.sigmoid(clamp(ai, limit)), f = VectorMath.sigmoid(clamp(af, limit))
            let g = VectorMath.tanh(clamp(ag, limit))
            let cNew = (f * cPrev).addingProduct(i, g)
            if let p = peepholes { ao = ao.addingProduct(load(p + 2 * hp + o), cNew) }
            let og = VectorMath.sigmoid(clamp(ao, limit))
            store(cNew, c + o)
            store(og * VectorMath.tanh(cNew), hNext + o)
        }
    }

    // MARK: GRU

    /// PyTorch's GRU (linear before reset): n = tanh(xp_n + r⊙(R_n·h + b_hn)), h_next = (1−z)⊙n + z⊙h_prev.
    @inline(__always)
    static func gruLinearBeforeReset(xp: UnsafePointer<Float>, r: UnsafePointer<Float>, resetBias: UnsafePointer<Float>,
                                     hidden h: Int, padded hp: Int, clip: Float, hPrev: UnsafePointer<Float>,
                                     hNext: UnsafeMutablePointer<Float>) {
        let limit = V(repeating: clip)
        for blk in 0..<(hp / 8) {
            let o = blk * 8
            var ar = load(xp + o), az = load(xp + hp + o), an = load(resetBias + o)
            var br = V(), bz = V(), bn = V()
            var w = r + blk * h * 24
            var k = 0
            while k + 2 <= h {
                let x0 = V(repeating: hPrev[k]), x1 = V(repeating: hPrev[k + 1])
                ar = ar.addingProduct(load(w), x0); az = az.addingProduct(load(w + 8), x0); an = an.addingProduct(load(w + 16), x0)
                br = br.addingProduct(load(w + 24), x1); bz = bz.addingProduct(load(w + 32), x1); bn = bn.addingProduct(load(w + 40), x1)
                w += 48; k += 2
            }
            if k < h {
                let x0 = V(repeating: hPrev[k])
                ar = ar.addingProduct(load(w), x0); az = az.addingProduct(load(w + 8), x0); an = an.addingProduct(load(w + 16), x0)
            }
            ar += br; az += bz; an += bn
            let rg = VectorMath.sigmoid(clamp(ar, limit)), z = VectorMath.sigmoid(clamp(az, limit))
            let n = VectorMath.tanh(clamp(load(xp + 2 * hp + o).addingProduct(rg, an), limit))
            let hp0 = load(UnsafeMutablePointer(mutating: hPrev + o))
            store(n + z * (hp0 - n), hNext + o)
        }
    }

    /// The ONNX default GRU (reset before linear): n = tanh(xp_n + R_n·(r⊙h_prev)); two passes, the
    /// first leaving z in `zScratch` and r⊙h_prev in `rhScratch` (both `hp` floats).
    @inline(__always)
    static func gruResetBeforeLinear(xp: UnsafePointer<Float>, r: UnsafePointer<Float>, rn: UnsafePointer<Float>,
                                     hidden h: Int, padded hp: Int, clip: Float, hPrev: UnsafePointer<Float>,
                                     hNext: UnsafeMutablePointer<Float>, zScratch: UnsafeMutablePointer<Float>,
                                     rhScratch: UnsafeMutablePointer<Float>) {
        let limit = V(repeating: clip)
        for blk in 0..<(hp / 8) {
            let o = blk * 8
            var ar = load(xp + o), az = load(xp + hp + o)
            var w = r + blk * h * 16
            for k in 0..<h {
                let x0 = V(repeating: hPrev[k])
                ar = ar.addingProduct(load(w), x0); az = az.addingProduct(load(w + 8), x0)
                w += 16
            }
            let rg = VectorMath.sigmoid(clamp(ar, limit))
            store(VectorMath.sigmoid(clamp(az, limit)), zScratch + o)
            store(rg * load(UnsafeMutablePointer(mutating: hPrev + o)), rhScratch + o)
        }
        for blk in 0..<(hp / 8) {
            let o = blk * 8
            var an = load(xp + 2 * hp + o)
            var w = rn + blk * h * 8
            for k in 0..<h {
                an = an.addingProduct(load(w), V(repeating: rhScratch[k]))
                w += 8
            }
            let n = VectorMath.tanh(clamp(an, limit)), z = load(zScratch + o)
            let hp0 = load(UnsafeMutablePointer(mutating: hPrev + o))
            store(n + z * (hp0 - n), hNext + o)
        }
    }

    // MARK: Elman RNN

    /// h_next = act(xp + R·h_prev).
    @inline(__always)
    static func rnn(xp: UnsafePointer<Float>, r: UnsafePointer<Float>, activation: RecurrentActivation, hidden h: Int,
                    padded hp: Int, clip: Float, hPrev: UnsafePointer<Float>, hNext: UnsafeMutablePointer<Float>) {
        let limit = V(repeating: clip)
        for blk in 0..<(hp / 8) {
            let o = blk * 8
            var a = load(xp + o), b = V()
            var w = r + blk * h * 8
            var k = 0
            while k + 2 <= h {
                a = a.addingProduct(load(w), V(repeating: hPrev[k]))
                b = b.addingProduct(load(w + 8), V(repeating: hPrev[k + 1]))
                w += 16; k += 2
            }
            if k < h { a = a.addingProduct(load(w), V(repeating: hPrev[k])) }
            let x = clamp(a + b, limit)
            let y: V
            switch activation {
            case .tanh: y = VectorMath.tanh(x)
            case .relu: y = VectorMath.relu(x)
            case .sigmoid: y = VectorMath.sigmoid(x)
            }
            store(y, hNext + o)
        }
    }
}
