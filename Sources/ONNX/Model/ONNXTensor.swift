import Engine
import Foundation

// MARK: - Typed tensor

/// A typed ONNX tensor: floating-point data as an engine `Tensor`, integers and booleans as exact Int64s.
///
/// Inside the engine every value is Float32; `engineTensor` carries integers and booleans as
/// exactly representable floats (|v| ≤ 2²⁴), while constants folded at load time keep full Int64 precision.
public struct ONNXTensor: Sendable {
    /// Payload of a tensor.
    public enum Storage: Sendable {
        /// FLOAT, DOUBLE, FLOAT16, BFLOAT16 values as Float32.
        case floating(Tensor)
        /// Integer and BOOL values, row-major.
        case integer([Int64])
    }

    /// Tensor name (empty when anonymous).
    public var name: String
    /// ONNX element type.
    public var dataType: ONNXDataType
    /// Extents, outermost first.
    public private(set) var shape: [Int]
    /// The values.
    public private(set) var storage: Storage

    /// A floating-point tensor.
    public init(name: String = "", _ tensor: Tensor, type: ONNXDataType = .float) {
        self.name = name; self.dataType = type.isFloatingPoint ? type : .float
        self.shape = tensor.shape; self.storage = .floating(tensor)
    }

    /// An integer or boolean tensor.
    public init(name: String = "", integers: [Int64], shape: [Int], type: ONNXDataType = .int64) {
        precondition(integers.count == Tensor.elementCount(shape), "\(integers.count) integers for shape \(shape)")
        self.name = name; self.dataType = type; self.shape = shape; self.storage = .integer(integers)
    }

    /// A tensor of `type` from float-carried values (integers are rounded, booleans become 0/1).
    public init(name: String = "", carried tensor: Tensor, type: ONNXDataType) {
        if type.isFloatingPoint { self.init(name: name, tensor, type: type); return }
        let ints = tensor.withUnsafeBufferPointer { p in
            p.map { v -> Int64 in
                if type == .bool { return v != 0 ? 1 : 0 }
                guard v.isFinite else { return 0 }
                return Int64(max(min(Double(v).rounded(), 9.2e18), -9.2e18))
            }
        }
        self.init(name: name, integers: ints, shape: tensor.shape, type: type)
    }

    /// Number of elements.
    public var count: Int { Tensor.elementCount(shape) }

    /// The values as a float-carried engine tensor.
    public var engineTensor: Tensor {
        switch storage {
        case .floating(let t): return t
        case .integer(let v): return Tensor(shape: shape, scalars: v.map { Float($0) })
        }
    }

    /// The values as exact integers (floats truncated toward zero).
    public var integers: [Int64] {
        switch storage {
        case .integer(let v): return v
        case .floating(let t): return t.scalars.map { $0.isFinite ? Int64(max(min(Double($0), 9.2e18), -9.2e18)) : 0 }
        }
    }

    /// The values as Doubles (for comparisons and messages).
    public var doubles: [Double] {
        switch storage {
        case .integer(let v): return v.map { Double($0) }
        case .floating(let t): return t.scalars.map { Double($0) }
        }
    }

    /// The same values under another shape of equal element count.
    public func reshaped(_ newShape: [Int]) -> ONNXTensor {
        var t = self
        t.shape = newShape
        if case .floating(let f) = storage { t.storage = .floating(f.reshaped(newShape)) }
        return t
    }

    // MARK: Loading

    /// Reads a serialized TensorProto (.pb), as the ONNX test data files are.
    public static func load(path: String) throws -> ONNXTensor {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ONNXError.unreadable(path: path, reason: "no such file or not readable")
        }
        let bytes = [UInt8](data)
        var reader = ProtoReader(bytes, context: "TensorProto")
        return try ProtoDecoder.tensor(&reader)
    }
}
