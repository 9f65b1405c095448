// MARK: - Eight-lane transcendental functions

/// exp, logistic sigmoid and tanh on eight floats at once, for the recurrent kernels' gate
/// nonlinearities (a few ulp from libm; no per-lane calls).
enum VectorMath {
    typealias V = SIMD8<Float>

    /// e^x, clamped to e^±88 so that no lane overflows to infinity or underflows to a subnormal.
    @inline(__always)
    static func exp(_ x: V) -> V {
        let lo = V(repeating: -87.3), hi = V(repeating: 88.3)
        let clamped = x.replacing(with: lo, where: x .< lo).replacing(with: hi, where: x .> hi)
        // n = round(x / ln2) by the 1.5·2^23 trick: adding it leaves the rounded integer in the low
        // mantissa bits (so n is also available as an integer without a conversion instruction).
        let magic = V(repeating: 12_582_912)
        let shifted = clamped * V(repeating: 1.442_695_04) + magic
        let n = shifted - magic
        // x = n·ln2 + r with |r| ≤ ln2/2; ln2 split in two so that n·ln2 is exact in the high part.
        var r = clamped.addingProduct(n, V(repeating: -0.693_359_375))
        r = r.addingProduct(n, V(repeating: 2.121_944_4e-4))
        // e^r by its Taylor series to the 7th power, evaluated Horner-wise (relative error < 1e-8 on |r| ≤ 0.35).
        var p = V(repeating: 1.0 / 5040)
        p = V(repeating: 1.0 / 720).addingProduct(p, r)
        p = V(repeating: 1.0 / 120).addingProduct(p, r)
        p = V(repeating: 1.0 / 24).addingProduct(p, r)
        p = V(repeating: 1.0 / 6).addingProduct(p, r)
        p = V(repeating: 0.5).addingProduct(p, r)
        p = V(repeating: 1).addingProduct(p, r)
        p = V(repeating: 1).addingProduct(p, r)
        // 2^n assembled in the exponent field.
        let ni = unsafeBitCast(shifted, to: SIMD8<Int32>.self) &- unsafeBitCast(magic, to: SIMD8<Int32>.self)
        return p * unsafeBitCast((ni &+ 127) &<< 23, to: V.self)
    }

    /// 1 / (1 + e^-x).
    @inline(__always)
    static func sigmoid(_ x: V) -> V {
        V(repeating: 1) / (V(repeating: 1) + exp(-x))
    }

    /// tanh(x): an odd polynomial near zero (keeps the relative accuracy of small values), else
    /// 1 − 2/(e^{2|x|} + 1) with the sign restored.
    @inline(__always)
    static func tanh(_ x: V) -> V {
        let a = abs(x)
        let e = exp(a + a)
        let large = V(repeating: 1) - V(repeating: 2) / (e + V(repeating: 1))
        let z = x * x
        var p = V(repeating: -5.704_988_7e-3)
        p = V(repeating: 2.063_908_9e-2).addingProduct(p, z)
        p = V(repeating: -5.373_971_6e-2).addingProduct(p, z)
        p = V(repeating: 0.133_314_42).addingProduct(p, z)
        p = V(repeating: -0.333_332_82).addingProduct(p, z)
        let small = x.addingProduct(x * z, p)
        let signed = large.replacing(with: -large, where: x .< 0)
        return signed.replacing(with: small, where: a .< 0.625)
    }

    /// max(x, 0).
    @inline(__always)
    static func relu(_ x: V) -> V { x.replacing(with: V(), where: x .< 0) }

    /// Elementwise |x|.
    @inline(__always)
    static func abs(_ x: V) -> V { x.replacing(with: -x, where: x .< 0) }
}
