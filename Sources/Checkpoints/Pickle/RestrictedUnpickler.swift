/// A pickle reader that accepts only what plain (PyTorch) state dicts use: basic Python data,
/// OrderedDict, storages as persistent ids, and tensor rebuild calls. Globals outside
/// `PickleAllowList` are refused as soon as they are read; nothing is ever imported or executed.
/// Every length and index is bounds-checked, so corrupt input becomes an error, never a crash.
public struct RestrictedUnpickler {
    /// The deepest container nesting accepted.
    public static let maxDepth = 256

    private var reader: ByteReader
    private var arena = PickleArena()
    private var stack: [Int] = []
    private var marks: [Int] = []
    private var memo: [Int: Int] = [:]

    // MARK: Creating

    /// An unpickler reading `bytes` from `position` (several pickles may follow each other).
    public init(bytes: [UInt8], position: Int = 0) {
        reader = ByteReader(bytes, position: position, format: "pickle")
    }

    /// The offset just after the last pickle read.
    public var position: Int { reader.position }

    /// Reads one pickle (up to its STOP opcode) from `bytes`.
    public static func load(_ bytes: [UInt8]) throws -> PickleValue {
        var unpickler = RestrictedUnpickler(bytes: bytes)
        return try unpickler.load()
    }

    // MARK: Loading

    /// Reads the next pickle, ending at its STOP opcode.
    public mutating func load() throws -> PickleValue {
        arena = PickleArena()
        stack.removeAll()
        marks.removeAll()
        memo.removeAll()
        while true {
            let offset = reader.position
            let byte = try reader.u8("an opcode (missing STOP)")
            guard let opcode = PickleOpcode(rawValue: byte) else {
                throw CheckpointError.malformed(format: "pickle", detail: "unknown opcode 0x\(String(byte, radix: 16)) at byte \(offset)")
            }
            if opcode == .stop {
                guard marks.isEmpty, stack.count == 1 else {
                    throw CheckpointError.malformed(format: "pickle", detail: "STOP at byte \(offset) with \(stack.count) values and \(marks.count) open marks on the stack")
                }
                var budget = 4 * arena.nodes.count + 1_000_000
                return try arena.value(of: stack[0], depth: Self.maxDepth, budget: &budget)
            }
            try execute(opcode, at: offset)
        }
    }

    // MARK: Opcodes

    private mutating func execute(_ opcode: PickleOpcode, at offset: Int) throws {
        switch opcode {
        case .proto:
            let version = try reader.u8("PROTO version")
            guard version <= 5 else {
                throw CheckpointError.unsupported(format: "pickle", detail: "protocol \(version) (only 0–5 exist)")
            }
        case .frame:
            let length = try reader.length64("FRAME length")
            try reader.require(length, "FRAME of \(length) bytes")
        case .mark: marks.append(stack.count)
        case .pop: _ = try pop(opcode)
        case .popMark: _ = try popMark(opcode)
        case .dup: stack.append(try top(opcode))
        case .none: push(.none)
        case .newTrue: push(.bool(true))
        case .newFalse: push(.bool(false))
        case .binInt: push(.int(Int64(try reader.i32("BININT"))))
        case .binInt1: push(.int(Int64(try reader.u8("BININT1"))))
        case .binInt2: push(.int(Int64(try reader.u16("BININT2"))))
        case .long1: push(try readLong(length: Int(try reader.u8("LONG1 length"))))
        case .long4:
            let length = try reader.i32("LONG4 length")
            guard length >= 0 else { throw malformed("negative LONG4 length at byte \(offset)") }
            push(try readLong(length: length))
        case .binFloat: push(.float(try reader.f64BE("BINFLOAT")))
        case .binUnicode: push(.string(try readString(length: try reader.u32("BINUNICODE length"), "BINUNICODE")))
        case .shortBinUnicode: push(.string(try readString(length: Int(try reader.u8("SHORT_BINUNICODE length")), "SHORT_BINUNICODE")))
        case .binUnicode8: push(.string(try readString(length: try reader.length64("BINUNICODE8 length"), "BINUNICODE8")))
        case .binString:
            let length = try reader.i32("BINSTRING length")
            guard length >= 0 else { throw malformed("negative BINSTRING length at byte \(offset)") }
            push(.string(try readString(length: length, "BINSTRING")))
        case .shortBinString: push(.string(try readString(length: Int(try reader.u8("SHORT_BINSTRING length")), "SHORT_BINSTRING")))
        case .binBytes: push(.bytes(Array(try reader.take(try reader.u32("BINBYTES length"), "BINBYTES"))))
        case .shortBinBytes: push(.bytes(Array(try reader.take(Int(try reader.u8("SHORT_BINBYTES length")), "SHORT_BINBYTES"))))
        case .binBytes8: push(.bytes(Array(try reader.take(try reader.length64("BINBYTES8 length"), "BINBYTES8"))))
        case .emptyTuple: stack.append(arena.add(PickleArena.Node.tuple([])))
        case .tuple1, .tuple2, .tuple3:
            let n = Int(opcode.rawValue - PickleOpcode.tuple1.rawValue) + 1
            guard stack.count - (marks.last ?? 0) >= n else { throw underflow(opcode) }
            let items = Array(stack.suffix(n))
            stack.removeLast(n)
            stack.append(arena.add(PickleArena.Node.tuple(items)))
        case .tuple: stack.append(arena.add(PickleArena.Node.tuple(try popMark(opcode))))
        case .emptyList: stack.append(arena.add(PickleArena.Node.list([])))
        case .emptyDict: stack.append(arena.add(PickleArena.Node.dict(keys: [], values: [])))
        case .append:
            let item = try pop(opcode)
            guard arena.append([item], to: try top(opcode)) else { throw wrongType(opcode, "a list") }
        case .appends:
            let items = try popMark(opcode)
            guard arena.append(items, to: try top(opcode)) else { throw wrongType(opcode, "a list") }
        case .setItem:
            let value = try pop(opcode)
            let key = try pop(opcode)
            guard arena.set(key, value, in: try top(opcode)) else { throw wrongType(opcode, "a dict") }
        case .setItems:
            let items = try popMark(opcode)
            guard items.count % 2 == 0 else { throw malformed("SETITEMS with an odd number of items at byte \(offset)") }
            let dict = try top(opcode)
            for i in stride(from: 0, to: items.count, by: 2) {
                guard arena.set(items[i], items[i + 1], in: dict) else { throw wrongType(opcode, "a dict") }
            }
        case .binPut: memo[Int(try reader.u8("BINPUT index"))] = try top(opcode)
        case .longBinPut: memo[try reader.u32("LONG_BINPUT index")] = try top(opcode)
        case .memoize: memo[memo.count] = try top(opcode)
        case .binGet: stack.append(try recall(Int(try reader.u8("BINGET index")), offset))
        case .longBinGet: stack.append(try recall(try reader.u32("LONG_BINGET index"), offset))
        case .global:
            let module = try reader.line(limit: 256, "GLOBAL module name")
            let name = try reader.line(limit: 256, "GLOBAL name")
            try pushGlobal(module: module, name: name)
        case .stackGlobal:
            let name = try pop(opcode), module = try pop(opcode)
            guard case .leaf(.string(let n)) = arena[name], case .leaf(.string(let m)) = arena[module] else {
                throw wrongType(opcode, "two strings")
            }
            try pushGlobal(module: m, name: n)
        case .reduce:
            let arguments = try pop(opcode)
            let callable = try pop(opcode)
            guard case .tuple(let args) = arena[arguments] else { throw wrongType(opcode, "an argument tuple") }
            stack.append(try call(callable, args, at: offset))
        case .build:
            let state = try pop(opcode)
            // Attributes set on an OrderedDict (`_metadata`) or tensor are data only; they are dropped.
            switch arena[try top(opcode)] {
            case .dict, .leaf(.tensor): _ = state
            default: throw wrongType(opcode, "a dict or tensor to set state on")
            }
        case .binPersID:
            let pid = try pop(opcode)
            push(.storage(try storageReference(from: pid, at: offset)))
        case .stop:
            break
        default:
            throw CheckpointError.forbiddenOpcode(opcode: opcode.rawValue, name: opcode.name, offset: offset)
        }
    }

    // MARK: Stack

    private mutating func push(_ value: PickleValue) { stack.append(arena.add(value)) }

    private mutating func pop(_ opcode: PickleOpcode) throws -> Int {
        guard stack.count > (marks.last ?? 0) else { throw underflow(opcode) }
        return stack.removeLast()
    }

    private func top(_ opcode: PickleOpcode) throws -> Int {
        guard stack.count > (marks.last ?? 0), let last = stack.last else { throw underflow(opcode) }
        return last
    }

    private mutating func popMark(_ opcode: PickleOpcode) throws -> [Int] {
        guard let mark = marks.popLast() else {
            throw malformed("\(opcode.name) at byte \(reader.position - 1) without a MARK")
        }
        let items = Array(stack[mark...])
        stack.removeSubrange(mark...)
        return items
    }

    private func recall(_ index: Int, _ offset: Int) throws -> Int {
        guard let node = memo[index] else { throw malformed("memo entry \(index) read at byte \(offset) was never stored") }
        return node
    }

    // MARK: Scalars

    private mutating func readString(length: Int, _ opcode: String) throws -> String {
        let slice = try reader.take(length, opcode)
        return String(decoding: slice, as: UTF8.self)
    }

    private mutating func readLong(length: Int) throws -> PickleValue {
        let slice = Array(try reader.take(length, "LONG of \(length) bytes"))
        if slice.isEmpty { return .int(0) }
        if slice.count <= 8 {
            var value: UInt64 = 0
            for (i, byte) in slice.enumerated() { value |= UInt64(byte) << (8 * UInt64(i)) }
            if slice.count < 8, slice.last! & 0x80 != 0 { value |= ~UInt64(0) << (8 * UInt64(slice.count)) }
            return .int(Int64(bitPattern: value))
        }
        return .bigInt(slice)
    }

    // MARK: Globals and calls

    private mutating func pushGlobal(module: String, name: String) throws {
        guard PickleAllowList.role(module: module, name: name) != nil else {
            throw CheckpointError.forbiddenGlobal(module: module, name: name)
        }
        push(.global(module: module, name: name))
    }

    /// Rebuild calls nested inside each other deeper than this are refused (real files nest one or two).
    static let maxCallDepth = 16

    private mutating func call(_ callable: Int, _ args: [Int], at offset: Int, depth: Int = 0) throws -> Int {
        guard depth < Self.maxCallDepth else {
            throw malformed("REDUCE at byte \(offset): rebuild calls nested more than \(Self.maxCallDepth) deep")
        }
        guard case .leaf(.global(let module, let name)) = arena[callable],
              let role = PickleAllowList.role(module: module, name: name) else {
            throw malformed("REDUCE at byte \(offset) calls a \(arena.kind(callable)), not an allowed global")
        }
        switch role {
        case .orderedDict:
            let dict = arena.add(PickleArena.Node.dict(keys: [], values: []))
            if let first = args.first {
                guard case .list(let items) = arena[first] else { throw malformed("OrderedDict(…) at byte \(offset) needs a list of pairs") }
                for item in items {
                    guard case .tuple(let pair) = arena[item], pair.count == 2 else { throw malformed("OrderedDict item at byte \(offset) is not a pair") }
                    _ = arena.set(pair[0], pair[1], in: dict)
                }
            }
            return dict
        case .rebuildTensorV2, .rebuildTensor:
            return arena.add(.tensor(try tensorReference(args, name: name, at: offset)))
        case .rebuildParameter, .rebuildParameterWithState:
            guard let data = args.first, case .leaf(.tensor) = arena[data] else { throw malformed("\(name) at byte \(offset) needs a tensor") }
            return data
        case .rebuildFromTypeV2:
            guard args.count >= 3, case .tuple(let inner) = arena[args[2]] else {
                throw malformed("_rebuild_from_type_v2 at byte \(offset) needs (function, type, args, state)")
            }
            return try call(args[0], inner, at: offset, depth: depth + 1)
        case .storageType, .typeMarker:
            throw malformed("REDUCE at byte \(offset) calls \(module).\(name), which mlwb only accepts as a type reference")
        }
    }

    private func tensorReference(_ args: [Int], name: String, at offset: Int) throws -> TorchTensorReference {
        guard args.count >= 4, case .leaf(.storage(let storage)) = arena[args[0]],
              case .leaf(.int(let storageOffset)) = arena[args[1]] else {
            throw malformed("\(name) at byte \(offset) needs (storage, offset, size, stride, …)")
        }
        let shape = try intTuple(args[2], "size", name, offset)
        let strides = try intTuple(args[3], "stride", name, offset)
        guard shape.count == strides.count, let start = Int(exactly: storageOffset) else {
            throw malformed("\(name) at byte \(offset): size \(shape) and stride \(strides) disagree")
        }
        return TorchTensorReference(storage: storage, offset: start, shape: shape, strides: strides)
    }

    private func intTuple(_ node: Int, _ what: String, _ name: String, _ offset: Int) throws -> [Int] {
        guard case .tuple(let items) = arena[node] else { throw malformed("\(name) at byte \(offset): \(what) is a \(arena.kind(node)), not a tuple") }
        return try items.map {
            guard case .leaf(.int(let v)) = arena[$0], let i = Int(exactly: v) else {
                throw malformed("\(name) at byte \(offset): \(what) holds a \(arena.kind($0))")
            }
            return i
        }
    }

    // MARK: Persistent ids

    private func storageReference(from pid: Int, at offset: Int) throws -> TorchStorageReference {
        guard case .tuple(let ids) = arena[pid], ids.count >= 5,
              case .leaf(.string("storage")) = arena[ids[0]] else {
            throw malformed("persistent id at byte \(offset) is not a ('storage', type, key, location, size) tuple")
        }
        let items = ids.map { arena[$0] }
        guard case .leaf(.global(let module, let name)) = items[1] else {
            throw malformed("persistent id at byte \(offset): storage type is a \(arena.kind(ids[1]))")
        }
        guard case .storageType(let dtype)? = PickleAllowList.role(module: module, name: name) else {
            throw CheckpointError.unsupported(format: "PyTorch", detail: "storage type \(module).\(name)")
        }
        let key: String
        switch items[2] {
        case .leaf(.string(let s)): key = s
        case .leaf(.int(let i)): key = String(i)
        default: throw malformed("persistent id at byte \(offset): storage key is a \(arena.kind(ids[2]))")
        }
        guard case .leaf(.string(let location)) = items[3],
              case .leaf(.int(let size)) = items[4], let count = Int(exactly: size), count >= 0 else {
            throw malformed("persistent id at byte \(offset): bad location or size")
        }
        var reference = TorchStorageReference(key: key, dtype: dtype, location: location, count: count, viewOffset: 0)
        if items.count >= 6, case .tuple(let viewIDs) = items[5] {
            // Legacy storage view: (view_key, offset, view_size) into the root storage `key`.
            let view = viewIDs.map { arena[$0] }
            guard view.count == 3, case .leaf(.int(let viewOffset)) = view[1], case .leaf(.int(let viewSize)) = view[2],
                  let start = Int(exactly: viewOffset), let length = Int(exactly: viewSize), start >= 0, length >= 0 else {
                throw malformed("persistent id at byte \(offset): bad storage view")
            }
            reference.viewOffset = start
            reference.count = length
        }
        return reference
    }

    // MARK: Errors

    private func malformed(_ detail: String) -> CheckpointError {
        .malformed(format: "pickle", detail: detail)
    }

    private func underflow(_ opcode: PickleOpcode) -> CheckpointError {
        malformed("\(opcode.name) at byte \(reader.position - 1) finds too few values on the stack")
    }

    private func wrongType(_ opcode: PickleOpcode, _ expected: String) -> CheckpointError {
        malformed("\(opcode.name) at byte \(reader.position - 1) expects \(expected)")
    }
}
