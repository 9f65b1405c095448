import Foundation

// MARK: - Unary functions

/// A pointwise math function used by imported graphs (inference-only: no backward).
///
/// Integer-valued graph values travel as exact Float32 integers, so `truncate` and `nonZero`
/// implement casts to integer and boolean element types.
public enum Unary: Sendable, Hashable {
    /// −x.
    case neg
    /// |x|.
    case abs
    /// eˣ.
    case exp
    /// ln x.
    case log
    /// √x.
    case sqrt
    /// 1 / x.
    case reciprocal
    /// sin x.
    case sin
    /// cos x.
    case cos
    /// tan x.
    case tan
    /// asin x.
    case asin
    /// acos x.
    case acos
    /// atan x.
    case atan
    /// sinh x.
    case sinh
    /// cosh x.
    case cosh
    /// ⌊x⌋.
    case floor
    /// ⌈x⌉.
    case ceil
    /// Round half to even.
    case round
    /// Round toward zero (cast to an integer type).
    case truncate
    /// −1, 0 or 1.
    case sign
    /// 1 if x == 0 else 0 (logical not).
    case not
    /// 1 if x ≠ 0 else 0 (cast to bool).
    case nonZero
    /// Gauss error function.
    case erf
    /// ln(1 + eˣ).
    case softplus
    /// x / (1 + |x|).
    case softsign
    /// x for x > 0, else alpha·(eˣ − 1).
    case elu(alpha: Float)
    /// gamma·x for x > 0, else gamma·alpha·(eˣ − 1).
    case selu(alpha: Float, gamma: Float)
    /// max(0, min(1, alpha·x + beta)).
    case hardSigmoid(alpha: Float, beta: Float)
    /// x · max(0, min(1, x/6 + 1/2)).
    case hardSwish
    /// x·Φ(x) (exact GELU).
    case gelu
    /// GELU with the tanh approximation.
    case geluTanh
    /// Rounds to the nearest wrapped integer of `bits` bits (signed or not), as casts to narrow integer types do.
    case wrapInteger(bits: Int, signed: Bool)

    /// The function on one scalar.
    @inline(__always)
    func callAsFunction(_ x: Float) -> Float {
        switch self {
        case .neg: return -x
        case .abs: return Swift.abs(x)
        case .exp: return expf(x)
        case .log: return logf(x)
        case .sqrt: return x.squareRoot()
        case .reciprocal: return 1 / x
        case .sin: return sinf(x)
        case .cos: return cosf(x)
        case .tan: return tanf(x)
        case .asin: return asinf(x)
        case .acos: return acosf(x)
        case .atan: return atanf(x)
        case .sinh: return sinhf(x)
        case .cosh: return coshf(x)
        case .floor: return x.rounded(.down)
        case .ceil: return x.rounded(.up)
        case .round: return x.rounded(.toNearestOrEven)
        case .truncate: return x.isFinite ? x.rounded(.towardZero) : 0
        case .sign: return x > 0 ? 1 : (x < 0 ? -1 : 0)
        case .not: return x == 0 ? 1 : 0
        case .nonZero: return x != 0 ? 1 : 0
        case .erf: return erff(x)
        case .softplus: return x > 20 ? x : log1pf(expf(x))
        case .softsign: return x / (1 + Swift.abs(x))
        case .elu(let a): return x > 0 ? x : a * (expf(x) - 1)
        case .selu(let a, let g): return x > 0 ? g * x : g * a * (expf(x) - 1)
        case .hardSigmoid(let a, let b): return Swift.max(0, Swift.min(1, a * x + b))
        case .hardSwish: return x * Swift.max(0, Swift.min(1, x / 6 + 0.5))
        case .gelu: return 0.5 * x * (1 + erff(x / 2.0.squareRoot().float))
        case .geluTanh:
            let c: Float = (2 / Float.pi).squareRoot()
            return 0.5 * x * (1 + tanhf(c * (x + 0.044715 * x * x * x)))
        case .wrapInteger(let bits, let signed):
            guard x.isFinite else { return 0 }
            let v = Int64(Swift.max(Swift.min(Double(x).rounded(.towardZero), 9.2e18), -9.2e18))
            let m: Int64 = bits >= 64 ? -1 : (Int64(1) << Int64(bits)) - 1
            var w = v & m
            if signed && bits < 64 && w >= (Int64(1) << Int64(bits - 1)) { w -= Int64(1) << Int64(bits) }
            return Float(w)
        }
    }
}

private extension Double {
    var float: Float { Float(self) }
}

// MARK: - Kernel

/// Applies a `Unary` function to every scalar.
public enum Pointwise {
    /// y = f(x) elementwise.
    public static func forward(_ x: Tensor, _ f: Unary) -> Tensor {
        let y = Tensor(uninitializedShape: x.shape)
        let src = SharedPointer(x.ptr), dst = SharedPointer(y.ptr)
        parallelChunks(x.count, costPerItem: 8) { r in
            let s = src.p, d = dst.p
            switch f {   // the common cases get loops the compiler can vectorise
            case .neg: for i in r { d[i] = -s[i] }
            case .abs: for i in r { d[i] = Swift.abs(s[i]) }
            case .sqrt: for i in r { d[i] = s[i].squareRoot() }
            case .reciprocal: for i in r { d[i] = 1 / s[i] }
            default: for i in r { d[i] = f(s[i]) }
            }
        }
        withExtendedLifetime(x) {}
        return y
    }
}
