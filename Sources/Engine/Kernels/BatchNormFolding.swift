// MARK: - Batch-norm folding

/// Folds an inference-mode batch norm that follows a convolution into the convolution's weight and bias.
public enum BatchNormFolding {
    /// Returns (weight', bias') with conv(x, weight') + bias' == bn(conv(x, weight) + bias).
    ///
    /// bn(z) = gamma·(z − mean)/√(var + eps) + beta, per output channel; `weight` is [Cout, …].
    public static func fold(weight: Tensor, bias: Tensor?, gamma: Tensor, beta: Tensor, mean: Tensor,
                            variance: Tensor, epsilon: Float = 1e-5) -> (weight: Tensor, bias: Tensor) {
        let co = weight.shape[0]
        precondition(gamma.count == co && beta.count == co && mean.count == co && variance.count == co,
                     "batch norm parameters must have \(co) scalars")
        precondition(bias == nil || bias!.count == co, "bias must have \(co) scalars")
        let per = weight.count / max(co, 1)
        let w = Tensor(uninitializedShape: weight.shape)
        let b = Tensor(uninitializedShape: [co])
        for o in 0..<co {
            // Double precision keeps the folded parameters as close as possible to the unfolded ones.
            let scale = Double(gamma.ptr[o]) / (Double(variance.ptr[o]) + Double(epsilon)).squareRoot()
            for i in 0..<per { w.ptr[o * per + i] = Float(Double(weight.ptr[o * per + i]) * scale) }
            let b0 = Double(bias?.ptr[o] ?? 0)
            b.ptr[o] = Float((b0 - Double(mean.ptr[o])) * scale + Double(beta.ptr[o]))
        }
        withExtendedLifetime((weight, bias, gamma, beta, mean, variance)) {}
        return (w, b)
    }
}
