/// The element type a tensor had on disk; floating types are held as `Float`, integer and
/// boolean types as `Int64` once loaded.
public enum WeightDType: String, Sendable, Hashable, CaseIterable {
    case float32, float64, float16, bfloat16
    case int64, int32, int16, int8, uint8, bool

    // MARK: Properties

    /// Bytes per element on disk.
    public var byteSize: Int {
        switch self {
        case .float64, .int64: return 8
        case .float32, .int32: return 4
        case .float16, .bfloat16, .int16: return 2
        case .int8, .uint8, .bool: return 1
        }
    }

    /// Whether values are held as `Float` (true) or `Int64` (false) once loaded.
    public var isFloatingPoint: Bool {
        switch self {
        case .float32, .float64, .float16, .bfloat16: return true
        default: return false
        }
    }

    // MARK: Format names

    /// The safetensors dtype string ("F32", "I64", …).
    public var safetensorsName: String {
        switch self {
        case .float32: return "F32"
        case .float64: return "F64"
        case .float16: return "F16"
        case .bfloat16: return "BF16"
        case .int64: return "I64"
        case .int32: return "I32"
        case .int16: return "I16"
        case .int8: return "I8"
        case .uint8: return "U8"
        case .bool: return "BOOL"
        }
    }

    /// The dtype for a safetensors dtype string, or nil if unsupported.
    public init?(safetensorsName name: String) {
        guard let match = WeightDType.allCases.first(where: { $0.safetensorsName == name }) else { return nil }
        self = match
    }

    /// The dtype of a PyTorch typed storage class name ("FloatStorage", "HalfStorage", …).
    public init?(torchStorageName name: String) {
        switch name {
        case "FloatStorage": self = .float32
        case "DoubleStorage": self = .float64
        case "HalfStorage": self = .float16
        case "BFloat16Storage": self = .bfloat16
        case "LongStorage": self = .int64
        case "IntStorage": self = .int32
        case "ShortStorage": self = .int16
        case "CharStorage": self = .int8
        case "ByteStorage": self = .uint8
        case "BoolStorage": self = .bool
        default: return nil
        }
    }
}
