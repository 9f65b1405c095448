// MARK: - Storage

/// A heap buffer of Float32 scalars shared by tensors (reshape shares it; mutation copies first).
public final class TensorStorage: @unchecked Sendable {
    // @unchecked Sendable: the buffer is only written through `Tensor`'s mutating accessors, which
    // copy it first unless the writing tensor is its unique owner, or by kernels that allocated it
    // and have not yet shared it. Readers on other threads therefore never observe a write.

    /// Number of scalars.
    public let count: Int
    /// The first scalar.
    let base: UnsafeMutablePointer<Float>

    /// Allocates `count` uninitialised scalars (callers must write every element before reading).
    init(uninitializedCount count: Int) {
        _ = HeapTuning.applied
        self.count = count
        let raw = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1) * MemoryLayout<Float>.stride,
                                                   alignment: 64)
        self.base = raw.bindMemory(to: Float.self, capacity: max(count, 1))
    }

    /// Allocates `count` scalars set to `value`.
    convenience init(count: Int, repeating value: Float) {
        self.init(uninitializedCount: count)
        base.initialize(repeating: value, count: count)
    }

    /// A deep copy.
    func copy() -> TensorStorage {
        let s = TensorStorage(uninitializedCount: count)
        s.base.update(from: base, count: count)
        return s
    }

    deinit { UnsafeMutableRawPointer(base).deallocate() }
}
