// MARK: - Element types

/// ONNX TensorProto.DataType codes.
public enum ONNXDataType: Int, Sendable, Hashable, CustomStringConvertible {
    case undefined = 0, float = 1, uint8 = 2, int8 = 3, uint16 = 4, int16 = 5, int32 = 6, int64 = 7, string = 8,
         bool = 9, float16 = 10, double = 11, uint32 = 12, uint64 = 13, complex64 = 14, complex128 = 15,
         bfloat16 = 16, float8e4m3fn = 17, float8e4m3fnuz = 18, float8e5m2 = 19, float8e5m2fnuz = 20,
         uint4 = 21, int4 = 22, float4e2m1 = 23, float8e8m0 = 24, uint2 = 25, int2 = 26

    /// The type for a code, or nil if the code is unknown.
    public init?(code: Int64) {
        guard let t = ONNXDataType(rawValue: Int(truncatingIfNeeded: code)), Int64(t.rawValue) == code else { return nil }
        self = t
    }

    /// The ONNX spelling (FLOAT, INT64, …).
    public var description: String {
        switch self {
        case .undefined: "UNDEFINED"
        case .float: "FLOAT"
        case .uint8: "UINT8"
        case .int8: "INT8"
        case .uint16: "UINT16"
        case .int16: "INT16"
        case .int32: "INT32"
        case .int64: "INT64"
        case .string: "STRING"
        case .bool: "BOOL"
        case .float16: "FLOAT16"
        case .double: "DOUBLE"
        case .uint32: "UINT32"
        case .uint64: "UINT64"
        case .complex64: "COMPLEX64"
        case .complex128: "COMPLEX128"
        case .bfloat16: "BFLOAT16"
        case .float8e4m3fn: "FLOAT8E4M3FN"
        case .float8e4m3fnuz: "FLOAT8E4M3FNUZ"
        case .float8e5m2: "FLOAT8E5M2"
        case .float8e5m2fnuz: "FLOAT8E5M2FNUZ"
        case .uint4: "UINT4"
        case .int4: "INT4"
        case .float4e2m1: "FLOAT4E2M1"
        case .float8e8m0: "FLOAT8E8M0"
        case .uint2: "UINT2"
        case .int2: "INT2"
        }
    }

    /// Floating-point types whose values travel as Float32 (DOUBLE loses precision beyond Float32).
    public var isFloatingPoint: Bool { self == .float || self == .double || self == .float16 || self == .bfloat16 }
    /// Integer types (BOOL excluded).
    public var isInteger: Bool {
        switch self {
        case .uint8, .int8, .uint16, .int16, .int32, .int64, .uint32, .uint64: true
        default: false
        }
    }
    /// Signed integer types.
    public var isSigned: Bool { self == .int8 || self == .int16 || self == .int32 || self == .int64 }
    /// Width in bits of an integer type.
    public var bits: Int {
        switch self {
        case .uint8, .int8, .bool: 8
        case .uint16, .int16, .float16, .bfloat16: 16
        case .int32, .uint32, .float: 32
        default: 64
        }
    }
    /// Whether values of this type can be computed with at run time (FLOAT16 and BFLOAT16 only as stored weights).
    public var isRuntimeSupported: Bool { self == .float || self == .double || self == .bool || isInteger }
}
