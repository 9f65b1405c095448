/// Decodes raw little- or big-endian element bytes into a `WeightTensor`, following an
/// element offset and strides (a view into a larger storage), with every index bounds-checked.
enum ElementDecoder {
    /// The most elements one tensor may have (2^31).
    static let maxElements = 1 << 31

    // MARK: Validation

    /// The element count of `shape`, or an error for negative dimensions or overflow.
    static func checkedCount(_ shape: [Int], format: String) throws -> Int {
        var count = 1
        for dim in shape {
            guard dim >= 0 else { throw CheckpointError.malformed(format: format, detail: "negative dimension in shape \(shape)") }
            let (product, overflow) = count.multipliedReportingOverflow(by: dim)
            guard !overflow, product <= maxElements else {
                throw CheckpointError.tooLarge(detail: "tensor of shape \(shape) exceeds \(maxElements) elements")
            }
            count = product
        }
        return count
    }

    /// Row-major strides for `shape`.
    static func contiguousStrides(_ shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var running = 1
        for axis in stride(from: shape.count - 1, through: 0, by: -1) {
            strides[axis] = running
            running *= max(shape[axis], 1)
        }
        return strides
    }

    // MARK: Decoding

    /// Decodes the view (`offset`, `shape`, `strides`; elements, not bytes) of a storage of
    /// `storageCount` elements of `dtype` held in `bytes`.
    static func decode(_ bytes: UnsafeRawBufferPointer, storageCount: Int, dtype: WeightDType,
                       shape: [Int], strides: [Int]? = nil, offset: Int = 0,
                       bigEndian: Bool = false, format: String) throws -> WeightTensor {
        let count = try checkedCount(shape, format: format)
        let strides = strides ?? contiguousStrides(shape)
        guard strides.count == shape.count else {
            throw CheckpointError.malformed(format: format, detail: "shape \(shape) and strides \(strides) differ in rank")
        }
        let (storageBytes, overflow) = storageCount.multipliedReportingOverflow(by: dtype.byteSize)
        guard storageCount >= 0, !overflow, storageBytes <= bytes.count else {
            throw CheckpointError.malformed(format: format, detail: "storage of \(storageCount) \(dtype.rawValue) elements needs more than the \(bytes.count) bytes present")
        }
        guard offset >= 0 else { throw CheckpointError.malformed(format: format, detail: "negative storage offset \(offset)") }
        if count > 0 {
            var last = offset
            for (dim, step) in zip(shape, strides) {
                guard step >= 0 else { throw CheckpointError.unsupported(format: format, detail: "negative stride in \(strides)") }
                let (span, o1) = (dim - 1).multipliedReportingOverflow(by: step)
                let (sum, o2) = last.addingReportingOverflow(span)
                guard !o1, !o2 else { throw CheckpointError.malformed(format: format, detail: "strides \(strides) overflow") }
                last = sum
            }
            guard last < storageCount else {
                throw CheckpointError.malformed(format: format, detail: "view (offset \(offset), shape \(shape), strides \(strides)) reaches element \(last) of a storage of \(storageCount)")
            }
        }
        let indices = IndexWalk(shape: shape, strides: strides, offset: offset, count: count)
        let base = bytes.baseAddress
        switch dtype {
        case .float32:
            let floats: [Float] = indices.gather { i in
                let bits = base!.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self)
                return Float(bitPattern: bigEndian ? UInt32(bigEndian: bits) : UInt32(littleEndian: bits))
            }
            return WeightTensor(shape: shape, floats: floats, dtype: dtype)
        case .float64:
            let floats: [Float] = indices.gather { i in
                let bits = base!.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self)
                return Float(Double(bitPattern: bigEndian ? UInt64(bigEndian: bits) : UInt64(littleEndian: bits)))
            }
            return WeightTensor(shape: shape, floats: floats, dtype: dtype)
        case .float16:
            let floats: [Float] = indices.gather { i in
                let bits = base!.loadUnaligned(fromByteOffset: i * 2, as: UInt16.self)
                return HalfPrecision.float(fromHalf: bigEndian ? UInt16(bigEndian: bits) : UInt16(littleEndian: bits))
            }
            return WeightTensor(shape: shape, floats: floats, dtype: dtype)
        case .bfloat16:
            let floats: [Float] = indices.gather { i in
                let bits = base!.loadUnaligned(fromByteOffset: i * 2, as: UInt16.self)
                return HalfPrecision.float(fromBFloat16: bigEndian ? UInt16(bigEndian: bits) : UInt16(littleEndian: bits))
            }
            return WeightTensor(shape: shape, floats: floats, dtype: dtype)
        case .int64:
            let ints: [Int64] = indices.gather { i in
                let bits = base!.loadUnaligned(fromByteOffset: i * 8, as: Int64.self)
                return bigEndian ? Int64(bigEndian: bits) : Int64(littleEndian: bits)
            }
            return WeightTensor(shape: shape, integers: ints, dtype: dtype)
        case .int32:
            let ints: [Int64] = indices.gather { i in
                let bits = base!.loadUnaligned(fromByteOffset: i * 4, as: Int32.self)
                return Int64(bigEndian ? Int32(bigEndian: bits) : Int32(littleEndian: bits))
            }
            return WeightTensor(shape: shape, integers: ints, dtype: dtype)
        case .int16:
            let ints: [Int64] = indices.gather { i in
                let bits = base!.loadUnaligned(fromByteOffset: i * 2, as: Int16.self)
                return Int64(bigEndian ? Int16(bigEndian: bits) : Int16(littleEndian: bits))
            }
            return WeightTensor(shape: shape, integers: ints, dtype: dtype)
        case .int8:
            let ints: [Int64] = indices.gather { i in Int64(base!.load(fromByteOffset: i, as: Int8.self)) }
            return WeightTensor(shape: shape, integers: ints, dtype: dtype)
        case .uint8:
            let ints: [Int64] = indices.gather { i in Int64(base!.load(fromByteOffset: i, as: UInt8.self)) }
            return WeightTensor(shape: shape, integers: ints, dtype: dtype)
        case .bool:
            let ints: [Int64] = indices.gather { i in base!.load(fromByteOffset: i, as: UInt8.self) != 0 ? 1 : 0 }
            return WeightTensor(shape: shape, integers: ints, dtype: dtype)
        }
    }
}

// MARK: - Index walk

/// Enumerates the storage element indices of a strided view in row-major order.
struct IndexWalk {
    let shape: [Int]
    let strides: [Int]
    let offset: Int
    let count: Int

    /// Whether the view is one contiguous run of `count` elements.
    var isContiguous: Bool { strides == ElementDecoder.contiguousStrides(shape) }

    /// Calls `load` for every element index in row-major order and collects the results.
    func gather<T>(_ load: (Int) -> T) -> [T] {
        guard count > 0 else { return [] }
        if isContiguous {
            return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
                for k in 0..<count { (buffer.baseAddress! + k).initialize(to: load(offset + k)) }
                initialized = count
            }
        }
        let rank = shape.count
        var position = [Int](repeating: 0, count: rank)
        var index = offset
        return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            for k in 0..<count {
                (buffer.baseAddress! + k).initialize(to: load(index))
                // Advance the odometer.
                var axis = rank - 1
                while axis >= 0 {
                    position[axis] += 1
                    index += strides[axis]
                    if position[axis] < shape[axis] { break }
                    index -= strides[axis] * shape[axis]
                    position[axis] = 0
                    axis -= 1
                }
            }
            initialized = count
        }
    }
}
