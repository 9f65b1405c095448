/// A named network weight as read from a checkpoint: a shape and its values in row-major
/// (C) order. Floating-point values are held as `Float`; integer and boolean values
/// (e.g. `num_batches_tracked`) as `Int64`. A later layer converts these into engine tensors.
public struct WeightTensor: Sendable, Equatable {
    /// The loaded values.
    public enum Values: Sendable, Equatable {
        /// Values of a floating-point tensor (float16/bfloat16/float64 converted to Float).
        case float([Float])
        /// Values of an integer or boolean tensor.
        case integer([Int64])
    }

    // MARK: Stored properties

    /// The dimensions, outermost first; `[]` for a scalar.
    public let shape: [Int]
    /// The element type the tensor had on disk.
    public let dtype: WeightDType
    /// The values in row-major order.
    public let values: Values

    // MARK: Creating

    /// A floating-point tensor; `floats.count` must equal the product of `shape`.
    public init(shape: [Int], floats: [Float], dtype: WeightDType = .float32) {
        precondition(dtype.isFloatingPoint, "WeightTensor(floats:) needs a floating-point dtype")
        precondition(WeightTensor.elementCount(shape) == floats.count, "shape \(shape) does not match \(floats.count) values")
        self.shape = shape
        self.dtype = dtype
        self.values = .float(floats)
    }

    /// An integer or boolean tensor; `integers.count` must equal the product of `shape`.
    public init(shape: [Int], integers: [Int64], dtype: WeightDType = .int64) {
        precondition(!dtype.isFloatingPoint, "WeightTensor(integers:) needs an integer dtype")
        precondition(WeightTensor.elementCount(shape) == integers.count, "shape \(shape) does not match \(integers.count) values")
        self.shape = shape
        self.dtype = dtype
        self.values = .integer(integers)
    }

    // MARK: Reading

    /// The number of elements (product of the shape; 1 for a scalar).
    public var count: Int { WeightTensor.elementCount(shape) }

    /// The values as `Float` (integers converted).
    public var floats: [Float] {
        switch values {
        case .float(let v): return v
        case .integer(let v): return v.map { Float($0) }
        }
    }

    /// The values of an integer tensor, or nil for a floating-point tensor.
    public var integers: [Int64]? {
        if case .integer(let v) = values { return v }
        return nil
    }

    /// The product of `shape` (1 for a scalar).
    public static func elementCount(_ shape: [Int]) -> Int { shape.reduce(1, *) }
}

// MARK: - Description

extension WeightTensor: CustomStringConvertible {
    public var description: String { "WeightTensor(\(dtype.rawValue), \(shape))" }
}
