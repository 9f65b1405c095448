import Media
import XCTest
@testable import Checkpoints

final class RestrictedUnpicklerTests: XCTestCase {
    // MARK: Refusing code

    func testGlobalOsSystemIsRefusedAndNamed() throws {
        var p = PickleBuilder()
        p.global("os", "system")
        p.string("echo pwned > /tmp/mlwb-pwned")
        p.op(0x85)  // TUPLE1
        p.op(UInt8(ascii: "R"))  // REDUCE
        p.stop()
        XCTAssertThrowsError(try RestrictedUnpickler.load(p.bytes)) { error in
            XCTAssertEqual(error as? CheckpointError, .forbiddenGlobal(module: "os", name: "system"))
            XCTAssertTrue("\(error)".contains("'os.system'"), "\(error)")
            XCTAssertTrue("\(error)".contains("nothing was executed"), "\(error)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: "/tmp/mlwb-pwned"))
    }

    func testStackGlobalBuiltinsEvalIsRefused() {
        var p = PickleBuilder()
        p.string("builtins")
        p.string("eval")
        p.op(0x93)  // STACK_GLOBAL
        p.string("1+1")
        p.op(0x85)
        p.op(UInt8(ascii: "R"))
        p.stop()
        XCTAssertThrowsError(try RestrictedUnpickler.load(p.bytes)) { error in
            XCTAssertTrue("\(error)".contains("builtins.eval"), "\(error)")
        }
    }

    func testExecAndTorchLookalikesAreRefused() {
        for (module, name) in [("__builtin__", "exec"), ("torch", "load"), ("torch._utils", "_rebuild_qtensor"),
                               ("collections", "defaultdict"), ("numpy.core.multiarray", "_reconstruct")] {
            var p = PickleBuilder()
            p.global(module, name)
            p.stop()
            XCTAssertThrowsError(try RestrictedUnpickler.load(p.bytes)) { error in
                XCTAssertEqual(error as? CheckpointError, .forbiddenGlobal(module: module, name: name))
            }
        }
    }

    func testObjectBuildingOpcodesAreRefused() {
        // INST 'os' 'system' would import and call; it must be refused as an opcode.
        var p = PickleBuilder()
        p.op(UInt8(ascii: "("))
        p.op(UInt8(ascii: "i"))
        p.bytes += Array("os\nsystem\n".utf8)
        p.stop()
        XCTAssertThrowsError(try RestrictedUnpickler.load(p.bytes)) { error in
            guard case .forbiddenOpcode(_, let name, _)? = error as? CheckpointError else { return XCTFail("\(error)") }
            XCTAssertEqual(name, "INST")
        }
        var q = PickleBuilder()
        q.global("collections", "OrderedDict")
        q.op(UInt8(ascii: ")"))
        q.op(0x81)  // NEWOBJ
        q.stop()
        XCTAssertThrowsError(try RestrictedUnpickler.load(q.bytes)) { error in
            XCTAssertTrue("\(error)".contains("NEWOBJ"), "\(error)")
        }
    }

    func testAllowedTypeCannotBeCalled() {
        var p = PickleBuilder()
        p.global("torch", "FloatStorage")
        p.op(UInt8(ascii: ")"))
        p.op(UInt8(ascii: "R"))
        p.stop()
        XCTAssertThrowsError(try RestrictedUnpickler.load(p.bytes))
    }

    // MARK: Plain data

    func testPlainDataAndOrderedDict() throws {
        var p = PickleBuilder()
        p.global("collections", "OrderedDict")
        p.op(UInt8(ascii: ")"))
        p.op(UInt8(ascii: "R"))
        p.bytes += [UInt8(ascii: "q"), 0]  // BINPUT 0
        p.op(UInt8(ascii: "("))
        p.string("b")
        p.int(7)
        p.string("a")
        p.bytes += [0x8a, 0x02, 0x00, 0xff]  // LONG1 -256
        p.string("list")
        p.op(UInt8(ascii: "]"))
        p.op(UInt8(ascii: "("))
        p.op(0x88)
        p.op(UInt8(ascii: "N"))
        p.bytes += [UInt8(ascii: "G")] + withUnsafeBytes(of: (1.5).bitPattern.bigEndian) { Array($0) }
        p.op(UInt8(ascii: "e"))  // APPENDS
        p.op(UInt8(ascii: "u"))  // SETITEMS
        p.stop()
        let value = try RestrictedUnpickler.load(p.bytes)
        XCTAssertEqual(value, .dict([
            .init(key: .string("b"), value: .int(7)),
            .init(key: .string("a"), value: .int(-256)),
            .init(key: .string("list"), value: .list([.bool(true), .none, .float(1.5)])),
        ]))
    }

    func testMemoizedListSeesLaterAppends() throws {
        // x = []; memo; then (x, x) after appending: both references see the item.
        var p = PickleBuilder()
        p.op(UInt8(ascii: "]"))
        p.op(0x94)  // MEMOIZE -> 0
        p.int(5)
        p.op(UInt8(ascii: "a"))
        p.bytes += [UInt8(ascii: "h"), 0]  // BINGET 0
        p.op(0x86)  // TUPLE2
        p.stop()
        XCTAssertEqual(try RestrictedUnpickler.load(p.bytes), .tuple([.list([.int(5)]), .list([.int(5)])]))
    }

    // MARK: Damaged input

    func testTruncatedPickleIsAnError() throws {
        var p = PickleBuilder()
        p.op(UInt8(ascii: "}"))
        p.op(UInt8(ascii: "("))
        p.string("features.0.0.weight")
        p.int(3)
        p.op(UInt8(ascii: "u"))
        p.stop()
        // The whole pickle parses to the dict it encodes…
        let value = try RestrictedUnpickler.load(p.bytes)
        XCTAssertEqual(value, .dict([.init(key: .string("features.0.0.weight"), value: .int(3))]))
        // …and every proper prefix is refused as a malformed pickle (not some other failure).
        for length in 0..<p.bytes.count {
            XCTAssertThrowsError(try RestrictedUnpickler.load(Array(p.bytes.prefix(length))), "prefix \(length)") { error in
                guard case .malformed(let format, _)? = (error as? CheckpointError)?.underlying else {
                    return XCTFail("prefix \(length): \(error)")
                }
                XCTAssertEqual(format, "pickle")
            }
        }
    }

    func testHugeLengthsAreRefusedWithoutAllocating() {
        let huge: [[UInt8]] = [
            [0x80, 0x02, UInt8(ascii: "X"), 0xff, 0xff, 0xff, 0xff, UInt8(ascii: ".")],          // BINUNICODE 4 GiB
            [0x80, 0x04, 0x8d] + [UInt8](repeating: 0xff, count: 8) + [UInt8(ascii: ".")],       // BINUNICODE8
            [0x80, 0x04, 0x8e] + [0, 0, 0, 0, 0, 0, 0, 0x7f] + [UInt8(ascii: ".")],              // BINBYTES8
            [0x80, 0x02, 0x8b, 0xff, 0xff, 0xff, 0x7f, UInt8(ascii: ".")],                        // LONG4
            [0x80, 0x04, 0x95] + [UInt8](repeating: 0xff, count: 8) + [UInt8(ascii: ".")],       // FRAME
            [0x80, 0x02, UInt8(ascii: "j"), 0xff, 0xff, 0xff, 0xff, UInt8(ascii: ".")],          // LONG_BINGET unknown
            [0x80, 0x02, UInt8(ascii: "u"), UInt8(ascii: ".")],                                   // SETITEMS without MARK
            [0x80, 0x02, UInt8(ascii: "R"), UInt8(ascii: ".")],                                   // REDUCE on empty stack
            [0x80, 0x02, 0xfe, UInt8(ascii: ".")],                                                // unknown opcode
        ]
        for bytes in huge {
            XCTAssertThrowsError(try RestrictedUnpickler.load(bytes), "\(bytes)")
        }
    }

    func testSelfReferenceIsAnErrorNotARecursionCrash() {
        // l = []; l.append(l)
        var p = PickleBuilder()
        p.op(UInt8(ascii: "]"))
        p.op(0x94)
        p.bytes += [UInt8(ascii: "h"), 0]
        p.op(UInt8(ascii: "a"))
        p.stop()
        XCTAssertThrowsError(try RestrictedUnpickler.load(p.bytes))
    }

    func testDeepNestingIsAnErrorNotAStackOverflow() {
        var tuples = PickleBuilder()
        tuples.int(0)
        tuples.bytes += [UInt8](repeating: 0x85, count: 300_000)  // TUPLE1 around TUPLE1 around …
        tuples.stop()
        XCTAssertThrowsError(try RestrictedUnpickler.load(tuples.bytes))

        var lists = PickleBuilder()
        lists.bytes += [UInt8](repeating: UInt8(ascii: "]"), count: 200_000)
        lists.bytes += [UInt8](repeating: UInt8(ascii: "a"), count: 199_999)  // each list appended into the one below
        lists.stop()
        XCTAssertThrowsError(try RestrictedUnpickler.load(lists.bytes))
    }

    func testNestedRebuildCallsAreAnErrorNotAStackOverflow() {
        // _rebuild_from_type_v2(f, type, args, …) calls f(*args): with f itself and args nested
        // 300,000 deep, each level of the call once recursed on the thread's stack.
        var p = PickleBuilder()
        p.global("torch._tensor", "_rebuild_from_type_v2")
        p.bytes += [0x71, 0, 0x30]                           // memo[0] = f; POP
        p.bytes += [0x4e]                                    // None: the innermost "args"
        for _ in 0..<300_000 {
            // memo[1] = inner; POP; push (f, None, inner)
            p.bytes += [0x71, 1, 0x30, 0x68, 0, 0x4e, 0x68, 1, 0x87]
        }
        p.bytes += [0x71, 1, 0x30, 0x68, 0, 0x68, 1, 0x52]   // f(*outermost): REDUCE
        p.stop()
        XCTAssertThrowsError(try RestrictedUnpickler.load(p.bytes)) { error in
            XCTAssertTrue("\(error)".contains("nested"), "\(error)")
        }
    }

    func testSharedObjectExpansionIsBounded() {
        // t = 0; 120 times: t = (t, t) — a 2^120-leaf tree from 240 opcodes.
        var p = PickleBuilder()
        p.int(0)
        for _ in 0..<120 { p.op(UInt8(ascii: "2")); p.op(0x86) }  // DUP, TUPLE2
        p.stop()
        XCTAssertThrowsError(try RestrictedUnpickler.load(p.bytes)) { error in
            XCTAssertTrue("\(error)".contains("too many values"), "\(error)")
        }
    }

    func testRandomCorruptionNeverCrashes() throws {
        let original = try Fixtures.bytes("small_legacy.pt")
        var generator = SeededGenerator(seed: 42)
        for _ in 0..<400 {
            var bytes = original
            for _ in 0..<3 {
                bytes[Int(generator.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: generator.next())
            }
            _ = try? TorchCheckpoint.readLegacy(bytes: bytes).stateDict()
            let cut = Int(generator.next() % UInt64(bytes.count))
            _ = try? TorchCheckpoint.readLegacy(bytes: Array(original.prefix(cut))).stateDict()
        }
    }
}

