/// Pickle opcodes (protocols 0–5) by byte value, for dispatch and error messages.
enum PickleOpcode: UInt8 {
    // Accepted
    case mark = 0x28, stop = 0x2e, pop = 0x30, popMark = 0x31, dup = 0x32
    case binFloat = 0x47, binInt = 0x4a, binInt1 = 0x4b, binInt2 = 0x4d, none = 0x4e
    case binPersID = 0x51, reduce = 0x52, binString = 0x54, shortBinString = 0x55
    case binUnicode = 0x58, emptyList = 0x5d, append = 0x61, build = 0x62, global = 0x63
    case appends = 0x65, binGet = 0x68, longBinGet = 0x6a, binPut = 0x71, longBinPut = 0x72
    case setItem = 0x73, tuple = 0x74, setItems = 0x75, emptyDict = 0x7d, emptyTuple = 0x29
    case binBytes = 0x42, shortBinBytes = 0x43
    case proto = 0x80, tuple1 = 0x85, tuple2 = 0x86, tuple3 = 0x87, newTrue = 0x88, newFalse = 0x89
    case long1 = 0x8a, long4 = 0x8b, shortBinUnicode = 0x8c, binUnicode8 = 0x8d, binBytes8 = 0x8e
    case stackGlobal = 0x93, memoize = 0x94, frame = 0x95
    // Refused: they construct or call arbitrary objects, or are text-protocol forms state dicts never use.
    case inst = 0x69, obj = 0x6f, newObj = 0x81, newObjEx = 0x92, ext1 = 0x82, ext2 = 0x83, ext4 = 0x84
    case persID = 0x50, int = 0x49, long = 0x4c, string = 0x53, unicode = 0x56, float = 0x46
    case put = 0x70, get = 0x67, dict = 0x64, list = 0x6c
    case emptySet = 0x8f, addItems = 0x90, frozenSet = 0x91, byteArray8 = 0x96, nextBuffer = 0x97, readonlyBuffer = 0x98

    /// The opcode's name as Python's pickletools spells it.
    var name: String {
        switch self {
        case .mark: return "MARK"
        case .stop: return "STOP"
        case .pop: return "POP"
        case .popMark: return "POP_MARK"
        case .dup: return "DUP"
        case .binFloat: return "BINFLOAT"
        case .binInt: return "BININT"
        case .binInt1: return "BININT1"
        case .binInt2: return "BININT2"
        case .none: return "NONE"
        case .binPersID: return "BINPERSID"
        case .reduce: return "REDUCE"
        case .binString: return "BINSTRING"
        case .shortBinString: return "SHORT_BINSTRING"
        case .binUnicode: return "BINUNICODE"
        case .emptyList: return "EMPTY_LIST"
        case .append: return "APPEND"
        case .build: return "BUILD"
        case .global: return "GLOBAL"
        case .appends: return "APPENDS"
        case .binGet: return "BINGET"
        case .longBinGet: return "LONG_BINGET"
        case .binPut: return "BINPUT"
        case .longBinPut: return "LONG_BINPUT"
        case .setItem: return "SETITEM"
        case .tuple: return "TUPLE"
        case .setItems: return "SETITEMS"
        case .emptyDict: return "EMPTY_DICT"
        case .emptyTuple: return "EMPTY_TUPLE"
        case .binBytes: return "BINBYTES"
        case .shortBinBytes: return "SHORT_BINBYTES"
        case .proto: return "PROTO"
        case .tuple1: return "TUPLE1"
        case .tuple2: return "TUPLE2"
        case .tuple3: return "TUPLE3"
        case .newTrue: return "NEWTRUE"
        case .newFalse: return "NEWFALSE"
        case .long1: return "LONG1"
        case .long4: return "LONG4"
        case .shortBinUnicode: return "SHORT_BINUNICODE"
        case .binUnicode8: return "BINUNICODE8"
        case .binBytes8: return "BINBYTES8"
        case .stackGlobal: return "STACK_GLOBAL"
        case .memoize: return "MEMOIZE"
        case .frame: return "FRAME"
        case .inst: return "INST"
        case .obj: return "OBJ"
        case .newObj: return "NEWOBJ"
        case .newObjEx: return "NEWOBJ_EX"
        case .ext1: return "EXT1"
        case .ext2: return "EXT2"
        case .ext4: return "EXT4"
        case .persID: return "PERSID"
        case .int: return "INT"
        case .long: return "LONG"
        case .string: return "STRING"
        case .unicode: return "UNICODE"
        case .float: return "FLOAT"
        case .put: return "PUT"
        case .get: return "GET"
        case .dict: return "DICT"
        case .list: return "LIST"
        case .emptySet: return "EMPTY_SET"
        case .addItems: return "ADDITEMS"
        case .frozenSet: return "FROZENSET"
        case .byteArray8: return "BYTEARRAY8"
        case .nextBuffer: return "NEXT_BUFFER"
        case .readonlyBuffer: return "READONLY_BUFFER"
        }
    }
}
