/// A value decoded by the restricted unpickler: plain Python data, references to allow-listed
/// globals, and PyTorch storages and tensors (described, not yet read).
public indirect enum PickleValue: Sendable, Equatable {
    /// A key/value pair of a dict, in insertion order.
    public struct Pair: Sendable, Equatable {
        public var key: PickleValue
        public var value: PickleValue
    }

    case none
    case bool(Bool)
    case int(Int64)
    /// An integer too large for `Int64`, as little-endian two's-complement bytes.
    case bigInt([UInt8])
    case float(Double)
    case string(String)
    case bytes([UInt8])
    case list([PickleValue])
    case tuple([PickleValue])
    /// A dict or OrderedDict, in insertion order.
    case dict([Pair])
    /// A reference to an allow-listed global (never called by itself).
    case global(module: String, name: String)
    /// A PyTorch storage named by a persistent id.
    case storage(TorchStorageReference)
    /// A PyTorch tensor rebuilt from a storage view.
    case tensor(TorchTensorReference)

    // MARK: Accessors

    /// The string, if this is a string.
    public var stringValue: String? { if case .string(let s) = self { return s }; return nil }

    /// The integer, if this is an integer that fits in `Int`.
    public var intValue: Int? { if case .int(let v) = self { return Int(exactly: v) }; return nil }

    /// The elements of a tuple or list.
    public var elements: [PickleValue]? {
        switch self {
        case .tuple(let items), .list(let items): return items
        default: return nil
        }
    }

    /// The value for a string key of a dict.
    public subscript(key: String) -> PickleValue? {
        guard case .dict(let pairs) = self else { return nil }
        return pairs.first { $0.key == .string(key) }?.value
    }
}

// MARK: - PyTorch references

/// A PyTorch storage as named by a pickle's persistent id: which serialized blob holds the
/// elements, their type, and (for legacy views) where in the root storage this view starts.
public struct TorchStorageReference: Sendable, Equatable {
    /// The key of the serialized storage (legacy: root key; zip: `data/<key>`).
    public var key: String
    /// The element type.
    public var dtype: WeightDType
    /// The device the storage lived on when saved ("cpu", "cuda:0", …).
    public var location: String
    /// The number of elements in this storage (or view).
    public var count: Int
    /// The element offset of a legacy storage view into its root storage (0 otherwise).
    public var viewOffset: Int
}

/// A PyTorch tensor as `_rebuild_tensor_v2` describes it: a strided view into a storage.
public struct TorchTensorReference: Sendable, Equatable {
    /// The storage holding the elements.
    public var storage: TorchStorageReference
    /// The element offset into the storage.
    public var offset: Int
    /// The dimensions.
    public var shape: [Int]
    /// The element strides per dimension.
    public var strides: [Int]
}
