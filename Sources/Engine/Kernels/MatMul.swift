import CBLAS

// MARK: - Batched matrix product

/// NumPy-style matrix product of rank ≥ 2 tensors with broadcast batch axes, through BLAS (inference-only).
public enum MatMul {
    /// [..., M, N] for a [..., M, K] and b [..., K, N], or nil if the shapes do not fit.
    public static func outputShape(_ a: [Int], _ b: [Int]) -> [Int]? {
        guard a.count >= 2, b.count >= 2, a[a.count - 1] == b[b.count - 2] else { return nil }
        guard let batch = Broadcast.shape(Array(a.dropLast(2)), Array(b.dropLast(2))) else { return nil }
        return batch + [a[a.count - 2], b[b.count - 1]]
    }

    /// a · b.
    public static func forward(_ a: Tensor, _ b: Tensor) -> Tensor {
        guard let shape = outputShape(a.shape, b.shape) else { preconditionFailure("matmul: \(a.shape) × \(b.shape)") }
        let (m, k, n) = (a.shape[a.rank - 2], a.shape[a.rank - 1], b.shape[b.rank - 1])
        let y = Tensor(uninitializedShape: shape)
        if y.count == 0 { return y }
        if k == 0 { return Tensor.zeros(shape) }
        let batchShape = Array(shape.dropLast(2))
        let batches = batchShape.reduce(1, *)
        func gemm(_ ap: UnsafePointer<Float>, _ bp: UnsafePointer<Float>, _ yp: UnsafeMutablePointer<Float>, rows: Int) {
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(rows), Int32(n), Int32(k), 1,
                        ap, Int32(k), bp, Int32(n), 0, yp, Int32(n))
        }
        if b.rank == 2 || b.count == k * n {
            // One shared right operand: every batch of a stacks into one tall GEMM.
            if a.count == batches * m * k {
                gemm(a.ptr, b.ptr, y.ptr, rows: batches * m)
                withExtendedLifetime((a, b)) {}
                return y
            }
        }
        let sa = Broadcast.strides(of: Array(a.shape.dropLast(2)), in: batchShape)
        let sb = Broadcast.strides(of: Array(b.shape.dropLast(2)), in: batchShape)
        var batch = 0
        let ap = a.ptr, bp = b.ptr, yp = y.ptr
        Broadcast.forEachRun(batchShape, sa, sb) { oa, ob, _, count, ia, ib in
            for i in 0..<count {
                gemm(ap + (oa + i * ia) * m * k, bp + (ob + i * ib) * k * n, yp + batch * m * n, rows: m)
                batch += 1
            }
        }
        withExtendedLifetime((a, b)) {}
        return y
    }
}
