// MARK: - Step kernels

/// One time step of one sequence in two tight passes: the recurrent product adds R·h_prev to the
/// step's input projection for eight hidden units at a time with all their gates accumulated together
/// (the weights are packed [unit block][column][gate][8], so each weight is read once per step), leaving
/// the gate pre-activations in a small scratch row; then the cell's pointwise update reads that row.
/// Nothing is allocated.
enum RecurrentSteps {
    typealias V = SIMD8<Float>

    @inline(__always) static func load(_ p: UnsafePointer<Float>) -> V { UnsafeRawPointer(p).loadUnaligned(as: V.self) }
    @inline(__always) static func load(_ p: UnsafeMutablePointer<Float>) -> V { UnsafeRawPointer(p).loadUnaligned(as: V.self) }
    @inline(__always) static func store(_ v: V, _ p: UnsafeMutablePointer<Float>) { UnsafeMutableRawPointer(p).storeBytes(of: v, as: V.self) }

    // MARK: Recurrent products

    /// pre[g·hp + j] = seed_g[j] + Σ_k R[g·H + j, k]·h[k] for the gates of `r` (1 to 4; `seeds[g]` is a
    /// row of `hp` floats), over the unit blocks `blocks`.
    static func product(gates: Int, seeds: [UnsafePointer<Float>], r: UnsafePointer<Float>, hidden h: Int, padded hp: Int,
                        h hPrev: UnsafePointer<Float>, into pre: UnsafeMutablePointer<Float>, blocks: Range<Int>) {
        switch gates {
        case 4: product4(seeds[0], seeds[1], seeds[2], seeds[3], r: r, hidden: h, padded: hp, h: hPrev, into: pre, blocks: blocks)
        case 3: product3(seeds[0], seeds[1], seeds[2], r: r, hidden: h, padded: hp, h: hPrev, into: pre, blocks: blocks)
        case 2: product2(seeds[0], seeds[1], r: r, hidden: h, padded: hp, h: hPrev, into: pre, blocks: blocks)
        default: product1(seeds[0], r: r, hidden: h, padded: hp, h: hPrev, into: pre, blocks: blocks)
        }
    }

    /// Four gates (LSTM); two columns per iteration so that eight accumulators are in flight.
    static func product4(_ s0: UnsafePointer<Float>, _ s1: UnsafePointer<Float>, _ s2: UnsafePointer<Float>, _ s3: UnsafePointer<Float>,
                         r: UnsafePointer<Float>, hidden h: Int, padded hp: Int, h x: UnsafePointer<Float>,
                         into pre: UnsafeMutablePointer<Float>, blocks: Range<Int>) {
        for blk in blocks {
            let o = blk &* 8
            var a0 = load(s0 + o), a1 = load(s1 + o), a2 = load(s2 + o), a3 = load(s3 + o)
            var b0 = V(), b1 = V(), b2 = V(), b3 = V()
            var w = r + blk &* h &* 32
            var k = 0
            while k &+ 2 <= h {
                let x0 = V(repeating: x[k]), x1 = V(repeating: x[k &+ 1])
                a0 = a0.addingProduct(load(w), x0); a1 = a1.addingProduct(load(w + 8), x0)
                a2 = a2.addingProduct(load(w + 16), x0); a3 = a3.addingProduct(load(w + 24), x0)
                b0 = b0.addingProduct(load(w + 32), x1); b1 = b1.addingProduct(load(w + 40), x1)
                b2 = b2.addingProduct(load(w + 48), x1); b3 = b3.addingProduct(load(w + 56), x1)
                w += 64; k &+= 2
            }
            if k < h {
                let x0 = V(repeating: x[k])
                a0 = a0.addingProduct(load(w), x0); a1 = a1.addingProduct(load(w + 8), x0)
                a2 = a2.addingProduct(load(w + 16), x0); a3 = a3.addingProduct(load(w + 24), x0)
            }
            store(a0 + b0, pre + o); store(a1 + b1, pre + hp + o)
            store(a2 + b2, pre + 2 &* hp + o); store(a3 + b3, pre + 3 &* hp + o)
        }
    }

    /// Three gates (GRU with linear-before-reset).
    static func product3(_ s0: UnsafePointer<Float>, _ s1: UnsafePointer<Float>, _ s2: UnsafePointer<Float>,
                         r: UnsafePointer<Float>, hidden h: Int, padded hp: Int, h x: UnsafePointer<Float>,
                         into pre: UnsafeMutablePointer<Float>, blocks: Range<Int>) {
        for blk in blocks {
            let o = blk &* 8
            var a0 = load(s0 + o), a1 = load(s1 + o), a2 = load(s2 + o)
            var b0 = V(), b1 = V(), b2 = V()
            var w = r + blk &* h &* 24
            var k = 0
            while k &+ 2 <= h {
                let x0 = V(repeating: x[k]), x1 = V(repeating: x[k &+ 1])
                a0 = a0.addingProduct(load(w), x0); a1 = a1.addingProduct(load(w + 8), x0); a2 = a2.addingProduct(load(w + 16), x0)
                b0 = b0.addingProduct(load(w + 24), x1); b1 = b1.addingProduct(load(w + 32), x1); b2 = b2.addingProduct(load(w + 40), x1)
                w += 48; k &+= 2
            }
            if k < h {
                let x0 = V(repeating: x[k])
                a0 = a0.addingProduct(load(w), x0); a1 = a1.addingProduct(load(w + 8), x0); a2 = a2.addingProduct(load(w + 16), x0)
            }
            store(a0 + b0, pre + o); store(a1 + b1, pre + hp + o); store(a2 + b2, pre + 2 &* hp + o)
        }
    }

    /// Two gates (the r and z gates of a reset-before-linear GRU).
    static func product2(_ s0: UnsafePointer<Float>, _ s1: UnsafePointer<Float>,
                         r: UnsafePointer<Float>, hidden h: Int, padded hp: Int, h x: UnsafePointer<Float>,
                         into pre: UnsafeMutablePointer<Float>, blocks: Range<Int>) {
        for blk in blocks {
            let o = blk &* 8
            var a0 = load(s0 + o), a1 = load(s1 + o)
            var b0 = V(), b1 = V()
            var w = r + blk &* h &* 16
            var k = 0
            while k &+ 2 <= h {
                let x0 = V(repeating: x[k]), x1 = V(repeating: x[k &+ 1])
                a0 = a0.addingProduct(load(w), x0); a1 = a1.addingProduct(load(w + 8), x0)
                b0 = b0.addingProduct(load(w + 16), x1); b1 = b1.addingProduct(load(w + 24), x1)
                w += 32; k &+= 2
            }
            if k < h {
                let x0 = V(repeating: x[k])
                a0 = a0.addingProduct(load(w), x0); a1 = a1.addingProduct(load(w + 8), x0)
            }
            store(a0 + b0, pre + o); store(a1 + b1, pre + hp + o)
        }
    }

    /// One gate (Elman RNN; the n gate of a reset-before-linear GRU).
    static func product1(_ s0: UnsafePointer<Float>, r: UnsafePointer<Float>, hidden h: Int, padded hp: Int,
                         h x: UnsafePointer<Float>, into pre: UnsafeMutablePointer<Float>, blocks: Range<Int>) {
        for blk in blocks {
            let o = blk &* 8
            var a0 = load(s0 + o), a1 = V(), a2 = V(), a3 = V()
            var w = r + blk &* h &* 8
            var k = 0
            while k &+ 4 <= h {
                a0 = a0.addingProduct(load(w), V(repeating: x[k])); a1 = a1.addingProduct(load(w + 8), V(repeating: x[k &+ 1]))
                a2 = a2.addingProduct(load(w + 16), V(repeating: x[k &+ 2])); a3 = a3.addingProduct(load(w + 24), V(repeating: x[k &+ 3]))
                w += 32; k &+= 4
            }
            while k < h { a0 = a0.addingProduct(load(w), V(repeating: x[k])); w += 8; k &+= 1 }
            store((a0 + a1) + (a2 + a3), pre + o)
        }
    }

    /// LSTM without clipping in one pass: each block's four accumulators go straight into the cell update
    /// (no round trip through the pre-activation row; the nonlinearities overlap the next block's loads).
    static func lstmFused(xp: UnsafePointer<Float>, r: UnsafePointer<Float>, peepholes: UnsafePointer<Float>?, hidden h: Int,
                          padded hp: Int, h x: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>,
                          hNext: UnsafeMutablePointer<Float>, blocks: Range<Int>) {
        for blk in blocks {
            let o = blk &* 8
            var a0 = load(xp + o), a1 = load(xp + hp + o), a2 = load(xp + 2 &* hp + o), a3 = load(xp + 3 &* hp + o)
            var b0 = V(), b1 = V(), b2 = V(), b3 = V()
            var w = r + blk &* h &* 32
            var k = 0
            while k &+ 2 <= h {
                let x0 = V(repeating: x[k]), x1 = V(repeating: x[k &+ 1])
                a0 = a0.addingProduct(load(w), x0); a1 = a1.addingProduct(load(w + 8), x0)
                a2 = a2.addingProduct(load(w + 16), x0); a3 = a3.addingProduct(load(w + 24), x0)
                b0 = b0.addingProduct(load(w + 32), x1); b1 = b1.addingProduct(load(w + 40), x1)
                b2 = b2.addingProduct(load(w + 48), x1); b3 = b3.addingProduct(load(w + 56), x1)
                w += 64; k &+= 2
            }
            if k < h {
                let x0 = V(repeating: x[k])
                a0 = a0.addingProduct(load(w), x0); a1 = a1.addingProduct(load(w + 8), x0)
                a2 = a2.addingProduct(load(w + 16), x0); a3 = a3.addingProduct(load(w + 24), x0)
            }
            var ai = a0 + b0, af = a1 + b1, ao = a3 + b3
            let cPrev = load(c + o)
            if let p = peepholes {
                ai = ai.addingProduct(load(p + o), cPrev)
                af = af.addingProduct(load(p + hp + o), cPrev)
            }
            let i = VectorMath.sigmoid(ai), f = VectorMath.sigmoid(af), g = VectorMath.tanh(a2 + b2)
            let cNew = (f * cPrev).addingProduct(i, g)
            if let p = peepholes { ao = ao.addingProduct(load(p + 2 &* hp + o), cNew) }
            store(cNew, c + o)
            store(VectorMath.sigmoid(ao) * VectorMath.tanh(cNew), hNext + o)
        }
    }

    /// Clamps `count` pre-activations to ±limit (ONNX `clip`).
    static func clip(_ p: UnsafeMutablePointer<Float>, count: Int, limit: Float) {
        for i in 0..<count { p[i] = min(max(p[i], -limit), limit) }
    }

    // MARK: Pointwise updates

    /// LSTM: i, f, o = σ(·), g = tanh(·) (peepholes add p⊙c first), c ← f⊙c + i⊙g, h_next = o⊙tanh(c).
    static func lstmUpdate(pre: UnsafePointer<Float>, peepholes: UnsafePointer<Float>?, padded hp: Int,
                           c: UnsafeMutablePointer<Float>, hNext: UnsafeMutablePointer<Float>, blocks: Range<Int>) {
        for blk in blocks {
            let o = blk &* 8
            let cPrev = load(c + o)
            var ai = load(pre + o), af = load(pre + hp + o), ao = load(pre + 3 &* hp + o)
            if let p = peepholes {
                ai = ai.addingProduct(load(p + o), cPrev)
                af = af.addingProduct(load(p + hp + o), cPrev)
            }
            let i = VectorMath.sigmoid(ai), f = VectorMath.sigmoid(af), g = VectorMath.tanh(load(pre + 2 &* hp + o))
            let cNew = (f * cPrev).addingProduct(i, g)
            if let p = peepholes { ao = ao.addingProduct(load(p + 2 &* hp + o), cNew) }
            store(cNew, c + o)
            store(VectorMath.sigmoid(ao) * VectorMath.tanh(cNew), hNext + o)
        }
    }

    /// GRU with the r and z pre-activations in `pre` and n's in `preN` (already including r's effect
    /// for a reset-before-linear GRU; for linear-before-reset `preN` is R_n·h + b_hn and `xpN` the
    /// input part): h_next = (1−z)⊙n + z⊙h_prev.
    static func gruUpdate(pre: UnsafePointer<Float>, xpN: UnsafePointer<Float>?, preN: UnsafePointer<Float>, padded hp: Int,
                          hPrev: UnsafePointer<Float>, hNext: UnsafeMutablePointer<Float>, blocks: Range<Int>) {
        for blk in blocks {
            let o = blk &* 8
            let z = VectorMath.sigmoid(load(pre + hp + o))
            let n: V
            if let xpN {
                n = VectorMath.tanh(load(xpN + o).addingProduct(VectorMath.sigmoid(load(pre + o)), load(preN + o)))
            } else {
                n = VectorMath.tanh(load(preN + o))
            }
            store(n.addingProduct(z, load(hPrev + o) - n), hNext + o)
        }
    }

    /// Linear-before-reset GRU with clipping: folds the n pre-activation into `preN` (xp_n + σ(r)⊙preN) so
    /// that it can be clipped before `gruUpdate` reads it.
    static func gruCombine(pre: UnsafePointer<Float>, xpN: UnsafePointer<Float>, preN: UnsafeMutablePointer<Float>, blocks: Range<Int>) {
        for blk in blocks {
            let o = blk &* 8
            store(load(xpN + o).addingProduct(VectorMath.sigmoid(load(pre + o)), load(preN + o)), preN + o)
        }
    }

    /// Reset-before-linear GRU, first half: rh = σ(r-pre)⊙h_prev (the n gate's product then reads rh).
    static func gruReset(pre: UnsafePointer<Float>, hPrev: UnsafePointer<Float>, rh: UnsafeMutablePointer<Float>, blocks: Range<Int>) {
        for blk in blocks {
            let o = blk &* 8
            store(VectorMath.sigmoid(load(pre + o)) * load(hPrev + o), rh + o)
        }
    }

    /// Elman RNN: h_next = act(pre).
    static func rnnUpdate(pre: UnsafePointer<Float>, activation: RecurrentActivation, hNext: UnsafeMutablePointer<Float>,
                          blocks: Range<Int>) {
        for blk in blocks {
            let o = blk &* 8
            let x = load(pre + o)
            switch activation {
            case .tanh: store(VectorMath.tanh(x), hNext + o)
            case .relu: store(VectorMath.relu(x), hNext + o)
            case .sigmoid: store(VectorMath.sigmoid(x), hNext + o)
            }
        }
    }
}
