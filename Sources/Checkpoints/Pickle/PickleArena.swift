/// The unpickler's working objects, kept flat in one array and referred to by index, so that
/// APPEND/SETITEM after MEMOIZE mutate the memoized object (as Python's do) and so that no
/// input, however deeply nested or self-referencing, builds a recursive structure whose
/// release could overflow the stack.
struct PickleArena {
    /// One object: a finished scalar/reference, or a container of other objects' indices.
    enum Node {
        case leaf(PickleValue)
        case tuple([Int])
        case list([Int])
        case dict(keys: [Int], values: [Int])
    }

    private(set) var nodes: [Node] = []
    /// For each dict, where each string key sits (so a repeated key replaces, like Python).
    private var stringKeys: [Int: [String: Int]] = [:]

    // MARK: Building

    /// Adds `node` and returns its index.
    mutating func add(_ node: Node) -> Int {
        nodes.append(node)
        return nodes.count - 1
    }

    /// Adds a leaf value and returns its index.
    mutating func add(_ value: PickleValue) -> Int { add(.leaf(value)) }

    subscript(index: Int) -> Node { nodes[index] }

    /// Appends `items` to the list at `list`; false if it is not a list.
    mutating func append(_ items: [Int], to list: Int) -> Bool {
        guard case .list(var existing) = nodes[list] else { return false }
        nodes[list] = .leaf(.none)  // release the slot's reference so the append does not copy
        existing.append(contentsOf: items)
        nodes[list] = .list(existing)
        return true
    }

    /// Sets `key` → `value` in the dict at `dict`; false if it is not a dict.
    mutating func set(_ key: Int, _ value: Int, in dict: Int) -> Bool {
        guard case .dict(var keys, var values) = nodes[dict] else { return false }
        nodes[dict] = .leaf(.none)
        if case .leaf(.string(let s)) = nodes[key] {
            if let existing = stringKeys[dict]?[s] {
                values[existing] = value
                nodes[dict] = .dict(keys: keys, values: values)
                return true
            }
            stringKeys[dict, default: [:]][s] = keys.count
        }
        keys.append(key)
        values.append(value)
        nodes[dict] = .dict(keys: keys, values: values)
        return true
    }

    // MARK: Conversion

    /// The immutable value of object `index`, refusing nesting deeper than `depth` (which also
    /// stops self-references) and expansions of shared objects beyond `budget` values in total.
    func value(of index: Int, depth: Int, budget: inout Int) throws -> PickleValue {
        guard depth > 0 else {
            throw CheckpointError.malformed(format: "pickle", detail: "containers nested too deeply (or self-referencing)")
        }
        budget -= 1
        guard budget >= 0 else {
            throw CheckpointError.malformed(format: "pickle", detail: "shared objects expand to too many values")
        }
        switch nodes[index] {
        case .leaf(let v): return v
        case .tuple(let items): return .tuple(try items.map { try value(of: $0, depth: depth - 1, budget: &budget) })
        case .list(let items): return .list(try items.map { try value(of: $0, depth: depth - 1, budget: &budget) })
        case .dict(let keys, let values):
            var pairs: [PickleValue.Pair] = []
            pairs.reserveCapacity(keys.count)
            for (k, v) in zip(keys, values) {
                pairs.append(PickleValue.Pair(key: try value(of: k, depth: depth - 1, budget: &budget),
                                              value: try value(of: v, depth: depth - 1, budget: &budget)))
            }
            return .dict(pairs)
        }
    }

    /// A short name of object `index`'s kind for messages.
    func kind(_ index: Int) -> String {
        switch nodes[index] {
        case .leaf(let v):
            switch v {
            case .none: return "None"
            case .bool: return "bool"
            case .int, .bigInt: return "int"
            case .float: return "float"
            case .string: return "str"
            case .bytes: return "bytes"
            case .global(let m, let n): return "\(m).\(n)"
            case .storage: return "storage"
            case .tensor: return "tensor"
            case .list: return "list"
            case .tuple: return "tuple"
            case .dict: return "dict"
            }
        case .tuple: return "tuple"
        case .list: return "list"
        case .dict: return "dict"
        }
    }
}
