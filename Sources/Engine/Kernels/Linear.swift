import CBLAS

// MARK: - Fully connected layer

/// y = x·Wᵀ + b with torch-layout weight [out, in]; x is [N, in] (leading axes are flattened into N).
public enum Linear {
    /// Forward; the output keeps x's leading axes with the last one replaced by `out`.
    public static func forward(_ x: Tensor, weight: Tensor, bias: Tensor? = nil) -> Tensor {
        precondition(weight.rank == 2, "linear weight must be [out, in], got \(weight.shape)")
        let (out, inF) = (weight.shape[0], weight.shape[1])
        precondition(x.rank >= 1 && x.shape[x.rank - 1] == inF, "linear: input \(x.shape) does not end in \(inF)")
        if let bias { precondition(bias.count == out, "linear bias has \(bias.count) scalars for \(out) outputs") }
        let n = x.count / inF
        let y = Tensor(uninitializedShape: Array(x.shape.dropLast()) + [out])
        if let bias { for r in 0..<n { (y.ptr + r * out).update(from: bias.ptr, count: out) } }
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(n), Int32(out), Int32(inF), 1,
                    x.ptr, Int32(inF), weight.ptr, Int32(inF), bias == nil ? 0 : 1, y.ptr, Int32(out))
        withExtendedLifetime((x, weight, bias)) {}
        return y
    }

    /// dL/dx = dL/dy · W.
    public static func backwardInput(_ dy: Tensor, weight: Tensor, inputShape: [Int]) -> Tensor {
        let (out, inF) = (weight.shape[0], weight.shape[1])
        let n = Tensor.elementCount(inputShape) / inF
        precondition(dy.count == n * out, "linear backward: gradient \(dy.shape) for input \(inputShape)")
        let dx = Tensor(uninitializedShape: inputShape)
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(n), Int32(inF), Int32(out), 1,
                    dy.ptr, Int32(out), weight.ptr, Int32(inF), 0, dx.ptr, Int32(inF))
        withExtendedLifetime((dy, weight)) {}
        return dx
    }
}
