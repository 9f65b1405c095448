// MARK: - Tensor

/// A dense, contiguous, row-major Float32 tensor (images are NCHW) with value semantics.
public struct Tensor: Sendable {
    /// Extent of every axis, outermost first.
    public private(set) var shape: [Int]
    /// The shared buffer (copy-on-write).
    @usableFromInline var storage: TensorStorage

    /// Number of scalars (product of `shape`).
    public var count: Int { storage.count }
    /// Number of axes.
    public var rank: Int { shape.count }

    /// Wraps existing storage; `shape` must describe exactly `storage.count` scalars.
    init(shape: [Int], storage: TensorStorage) {
        precondition(Tensor.elementCount(shape) == storage.count, "shape \(shape) does not match \(storage.count) scalars")
        self.shape = shape
        self.storage = storage
    }

    /// A tensor whose scalars are not initialised; kernels that write every element use this.
    init(uninitializedShape shape: [Int]) {
        self.init(shape: shape, storage: TensorStorage(uninitializedCount: Tensor.elementCount(shape)))
    }

    /// A tensor of `shape` filled with `value`.
    public init(shape: [Int], repeating value: Float) {
        self.init(shape: shape, storage: TensorStorage(count: Tensor.elementCount(shape), repeating: value))
    }

    /// A tensor of `shape` from row-major `scalars` (their count must match).
    public init(shape: [Int], scalars: [Float]) {
        precondition(Tensor.elementCount(shape) == scalars.count, "\(scalars.count) scalars for shape \(shape)")
        self.init(uninitializedShape: shape)
        scalars.withUnsafeBufferPointer { src in
            if let b = src.baseAddress { storage.base.update(from: b, count: src.count) }
        }
    }

    /// A tensor of `shape` filled with zeros.
    public static func zeros(_ shape: [Int]) -> Tensor { Tensor(shape: shape, repeating: 0) }

    /// A tensor of `shape` filled with ones.
    public static func ones(_ shape: [Int]) -> Tensor { Tensor(shape: shape, repeating: 1) }

    /// A rank-0 tensor holding `value`.
    public static func scalar(_ value: Float) -> Tensor { Tensor(shape: [], repeating: value) }

    /// Product of the extents of `shape` (1 for a scalar).
    public static func elementCount(_ shape: [Int]) -> Int {
        var n = 1
        for d in shape { precondition(d >= 0, "negative extent in \(shape)"); n *= d }
        return n
    }

    // MARK: Views and access

    /// The same scalars under another shape (no copy); one extent may be -1 and is inferred.
    public func reshaped(_ newShape: [Int]) -> Tensor {
        var s = newShape
        if let i = s.firstIndex(of: -1) {
            let known = s.enumerated().filter { $0.offset != i }.reduce(1) { $0 * $1.element }
            precondition(known > 0 && count % known == 0, "cannot reshape \(shape) to \(newShape)")
            s[i] = count / known
        }
        return Tensor(shape: s, storage: storage)
    }

    /// All scalars in row-major order.
    public var scalars: [Float] {
        Array(UnsafeBufferPointer(start: storage.base, count: count))
    }

    /// Row-major offset of a multi-index.
    @inlinable func offset(_ index: [Int]) -> Int {
        precondition(index.count == shape.count, "index \(index) for shape \(shape)")
        var o = 0
        for (i, d) in zip(index, shape) {
            precondition(i >= 0 && i < d, "index \(index) out of bounds for \(shape)")
            o = o * d + i
        }
        return o
    }

    /// The scalar at a multi-index (bounds-checked; for tests and small code, not hot loops).
    public subscript(_ index: Int...) -> Float {
        get { storage.base[offset(index)] }
        set { let o = offset(index); makeUnique(); storage.base[o] = newValue }
    }

    /// The scalar at a row-major flat offset (bounds-checked).
    public subscript(flat i: Int) -> Float {
        get { precondition(i >= 0 && i < count); return storage.base[i] }
        set { precondition(i >= 0 && i < count); makeUnique(); storage.base[i] = newValue }
    }

    /// Reads the scalars through a buffer pointer (valid only inside `body`).
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try withExtendedLifetime(storage) { try body(UnsafeBufferPointer(start: storage.base, count: count)) }
    }

    /// Writes the scalars through a buffer pointer, copying first if the storage is shared.
    public mutating func withUnsafeMutableBufferPointer<R>(_ body: (UnsafeMutableBufferPointer<Float>) throws -> R) rethrows -> R {
        makeUnique()
        return try withExtendedLifetime(storage) { try body(UnsafeMutableBufferPointer(start: storage.base, count: count)) }
    }

    /// Copies the storage if another tensor shares it.
    @usableFromInline mutating func makeUnique() {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
    }

    /// Whether this tensor is the only owner of its storage (so in-place updates are invisible to others).
    mutating func isUniquelyOwned() -> Bool { isKnownUniquelyReferenced(&storage) }

    /// Raw read pointer for kernels; the caller keeps `self` alive while using it.
    var ptr: UnsafeMutablePointer<Float> { storage.base }
}

// MARK: - Descriptions

extension Tensor: CustomStringConvertible {
    /// Shape and the first few scalars.
    public var description: String {
        let head = (0..<min(count, 8)).map { String(storage.base[$0]) }.joined(separator: ", ")
        return "Tensor\(shape)[\(head)\(count > 8 ? ", …" : "")]"
    }
}
