/// An ordered mapping from parameter names to weights, in the order the file stored them.
public struct StateDict: Sendable, Equatable, Sequence {
    // MARK: Stored properties

    /// The parameter names in file order.
    public private(set) var names: [String] = []
    private var tensors: [String: WeightTensor] = [:]
    /// Free-form string metadata (safetensors `__metadata__`).
    public var metadata: [String: String] = [:]

    // MARK: Creating

    /// An empty state dict.
    public init() {}

    /// A state dict from `(name, tensor)` pairs; a repeated name keeps its first position and last value.
    public init(_ entries: [(String, WeightTensor)]) {
        for (name, tensor) in entries { self[name] = tensor }
    }

    // MARK: Access

    /// The number of tensors.
    public var count: Int { names.count }

    /// Whether there are no tensors.
    public var isEmpty: Bool { names.isEmpty }

    /// The tensor named `name`; assigning nil removes it, assigning a new name appends it.
    public subscript(name: String) -> WeightTensor? {
        get { tensors[name] }
        set {
            if let newValue {
                if tensors.updateValue(newValue, forKey: name) == nil { names.append(name) }
            } else if tensors.removeValue(forKey: name) != nil {
                names.removeAll { $0 == name }
            }
        }
    }

    /// The total number of elements over all tensors.
    public var parameterCount: Int { tensors.values.reduce(0) { $0 + $1.count } }

    /// Iterates `(name, tensor)` pairs in file order.
    public func makeIterator() -> AnyIterator<(name: String, tensor: WeightTensor)> {
        var index = 0
        return AnyIterator {
            guard index < names.count else { return nil }
            defer { index += 1 }
            let name = names[index]
            return (name, tensors[name]!)
        }
    }
}
