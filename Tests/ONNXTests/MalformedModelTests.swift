import Media
import XCTest
import Engine
@testable import ONNX

/// Hostile and broken model files must be rejected with an error: never a crash, never a huge allocation.
final class MalformedModelTests: XCTestCase {
    /// y = relu(x · 2 + b) over [1, 4].
    static func validModel() -> [UInt8] {
        ProtoWriter.model(
            nodes: [ProtoWriter.node("Mul", ["x", "two"], ["m"], name: "scale"),
                    ProtoWriter.node("Add", ["m", "b"], ["a"], name: "shift"),
                    ProtoWriter.node("Relu", ["a"], ["y"], name: "act")],
            initializers: [ProtoWriter.tensor("two", dims: [], values: [2]),
                           ProtoWriter.tensor("b", dims: [4], values: [0.5, -0.5, 1, -4])],
            inputs: [ProtoWriter.valueInfo("x", [1, 4])],
            outputs: [ProtoWriter.valueInfo("y", [1, 4])])
    }

    func testValidModelLoadsAndRuns() throws {
        let model = try ONNXModel.load(bytes: Self.validModel())
        XCTAssertEqual(model.opset, 13)
        XCTAssertEqual(model.producer.name, "mlwb-tests")
        XCTAssertEqual(model.inputs.map(\.name), ["x"])
        XCTAssertEqual(model.inputs[0].shape, [.fixed(1), .fixed(4)])
        let y = try ONNXSession(model).run(["x": Tensor(shape: [1, 4], scalars: [1, 1, -1, 3])])["y"]!
        XCTAssertEqual(y.scalars, [2.5, 1.5, 0, 2])
    }

    func testEveryTruncationIsAnError() {
        let bytes = Self.validModel()
        var refused = 0
        for n in 1..<bytes.count {
            do {
                // A prefix can be a complete, smaller message only if it ends on a field boundary: it must then be
                // a model that still validates — its graph complete enough to build a session.
                let model = try ONNXModel.load(bytes: Array(bytes[..<n]))
                do { _ = try ONNXSession(model) } catch is ONNXError { refused += 1 }
            } catch let error as ONNXError {
                XCTAssertFalse(error.description.isEmpty)
                refused += 1
            } catch {
                XCTFail("prefix \(n): \(error) is not an ONNXError")
            }
        }
        print("truncations refused: \(refused) of \(bytes.count - 1)")
        XCTAssertGreaterThan(refused, (bytes.count - 1) * 9 / 10, "almost every truncation is refused")
    }

    func testWrongWireTypeIsAnError() {
        var m = ProtoWriter()
        m.int(7, 5)   // graph as a varint
        XCTAssertThrowsError(try ONNXModel.load(bytes: m.bytes)) { e in
            guard case ONNXError.malformed(let msg) = e else { return XCTFail("\(e)") }
            XCTAssertTrue(msg.contains("wire type"), msg)
        }
    }

    func testHugeDeclaredLengthIsAnError() {
        var m = ProtoWriter()
        m.key(7, 2); m.varint(1 << 40)   // a graph of a terabyte
        XCTAssertThrowsError(try ONNXModel.load(bytes: m.bytes + [0, 0])) { e in
            guard case ONNXError.malformed(let msg) = e else { return XCTFail("\(e)") }
            XCTAssertTrue(msg.contains("exceeds"), msg)
        }
    }

    func testHugeDeclaredTensorIsRejectedWithoutAllocating() {
        for dims: [Int64] in [[1 << 30, 1 << 30], [100_000_000], [-1, 4], [Int64.max]] {
            let bytes = ProtoWriter.model(nodes: [ProtoWriter.node("Add", ["x", "w"], ["y"])],
                                          initializers: [ProtoWriter.tensor("w", dims: dims, values: [1])],
                                          inputs: [ProtoWriter.valueInfo("x", [1])], outputs: [ProtoWriter.valueInfo("y", [1])])
            XCTAssertThrowsError(try ONNXModel.load(bytes: bytes), "\(dims)") { e in
                guard case ONNXError.malformed(let msg) = e else { return XCTFail("\(e)") }
                XCTAssertTrue(msg.contains("'w'"), msg)
            }
        }
    }

    func testExternalDataIsRefusedNamingTheTensor() {
        let bytes = ProtoWriter.model(nodes: [ProtoWriter.node("Add", ["x", "w"], ["y"])],
                                      initializers: [{ t in t.int(1, 1); t.int(2, 1); t.string(8, "big_weight"); t.int(14, 1) }],
                                      inputs: [ProtoWriter.valueInfo("x", [1])], outputs: [ProtoWriter.valueInfo("y", [1])])
        XCTAssertThrowsError(try ONNXModel.load(bytes: bytes)) { e in
            XCTAssertEqual(e as? ONNXError, .externalData(tensor: "big_weight"))
        }
    }

    func testCycleDanglingAndDuplicateNamesAreErrors() {
        let io = (inputs: [ProtoWriter.valueInfo("x", [1])], outputs: [ProtoWriter.valueInfo("y", [1])])
        let cycle = ProtoWriter.model(nodes: [ProtoWriter.node("Add", ["x", "b"], ["a"], name: "n1"),
                                              ProtoWriter.node("Relu", ["a"], ["b"], name: "n2"),
                                              ProtoWriter.node("Relu", ["a"], ["y"], name: "n3")],
                                      inputs: io.inputs, outputs: io.outputs)
        XCTAssertThrowsError(try ONNXModel.load(bytes: cycle)) { e in
            guard case ONNXError.invalidGraph(let msg) = e else { return XCTFail("\(e)") }
            XCTAssertTrue(msg.contains("cycle") && msg.contains("n1"), msg)
        }
        let dangling = ProtoWriter.model(nodes: [ProtoWriter.node("Add", ["x", "nowhere"], ["y"], name: "adder")],
                                         inputs: io.inputs, outputs: io.outputs)
        XCTAssertThrowsError(try ONNXModel.load(bytes: dangling)) { e in
            guard case ONNXError.invalidGraph(let msg) = e else { return XCTFail("\(e)") }
            XCTAssertTrue(msg.contains("nowhere") && msg.contains("adder"), msg)
        }
        let duplicate = ProtoWriter.model(nodes: [ProtoWriter.node("Relu", ["x"], ["y"], name: "r1"),
                                                  ProtoWriter.node("Relu", ["x"], ["y"], name: "r2")],
                                          inputs: io.inputs, outputs: io.outputs)
        XCTAssertThrowsError(try ONNXModel.load(bytes: duplicate)) { e in
            guard case ONNXError.invalidGraph(let msg) = e else { return XCTFail("\(e)") }
            XCTAssertTrue(msg.contains("'y'") && msg.contains("more than once"), msg)
        }
    }

    func testUnsupportedOperatorNamesOpAndNode() {
        let bytes = ProtoWriter.model(nodes: [ProtoWriter.node("FancyOp", ["x"], ["y"], name: "the_node")],
                                      inputs: [ProtoWriter.valueInfo("x", [1])], outputs: [ProtoWriter.valueInfo("y", [1])])
        XCTAssertThrowsError(try ONNXModel.load(bytes: bytes)) { e in
            XCTAssertEqual(e as? ONNXError, .unsupportedOperator(opType: "FancyOp", node: "the_node"))
            XCTAssertTrue("\(e)".contains("FancyOp") && "\(e)".contains("the_node"))
        }
    }

    func testShapeErrorsAreReportedAtLoad() {
        let bytes = ProtoWriter.model(nodes: [ProtoWriter.node("Add", ["x", "w"], ["y"], name: "bad_add")],
                                      initializers: [ProtoWriter.tensor("w", dims: [3], values: [1, 2, 3])],
                                      inputs: [ProtoWriter.valueInfo("x", [1, 4])], outputs: [ProtoWriter.valueInfo("y", [1, 4])])
        XCTAssertThrowsError(try ONNXSession(try ONNXModel.load(bytes: bytes))) { e in
            guard case ONNXError.invalidNode(let op, let node, _) = e else { return XCTFail("\(e)") }
            XCTAssertEqual(op, "Add"); XCTAssertEqual(node, "bad_add")
        }
    }

    func testNestingDepthIsLimited() {
        // 200 nested length-delimited messages.
        var inner: [UInt8] = []
        for _ in 0..<200 { var w = ProtoWriter(); w.bytes(1, inner); inner = w.bytes }
        var reader = ProtoReader(inner, context: "test")
        func descend(_ r: inout ProtoReader) throws {
            while let (_, wire) = try r.nextField() { var sub = try r.readMessage(wire, field: "f", context: "nested"); try descend(&sub) }
        }
        XCTAssertThrowsError(try descend(&reader)) { e in
            guard case ONNXError.malformed(let msg) = e else { return XCTFail("\(e)") }
            XCTAssertTrue(msg.contains("nested"), msg)
        }
    }

    func testRandomByteFlipsNeverCrash() {
        let original = Self.validModel()
        var g = SeededGenerator(seed: 2024)
        var loaded = 0, ran = 0
        let x = Tensor(shape: [1, 4], scalars: [1, -2, 3, -4])
        for _ in 0..<2000 {
            var bytes = original
            for _ in 0..<(1 + Int(g.next() % 4)) {
                let i = Int(g.next() % UInt64(bytes.count))
                bytes[i] = UInt8(truncatingIfNeeded: g.next())
            }
            // Every failure must be one of the runtime's own errors, with a message: never a trap, never something else.
            func clean(_ error: Error, _ stage: String) {
                XCTAssertTrue(error is ONNXError || error is EngineError, "\(stage): \(type(of: error)) \(error)")
                XCTAssertFalse("\(error)".isEmpty, stage)
            }
            let model: ONNXModel
            do { model = try ONNXModel.load(bytes: bytes) } catch { clean(error, "load"); continue }
            loaded += 1
            let session: ONNXSession
            do { session = try ONNXSession(model) } catch { clean(error, "session"); continue }
            let feeds = Dictionary(uniqueKeysWithValues: model.inputs.map { ($0.name, x) })
            do { _ = try session.run(feeds); ran += 1 } catch { clean(error, "run") }
        }
        // The mutants reach every stage, so each stage's error handling is exercised.
        XCTAssertGreaterThan(loaded, 100, "mutants that still decode")
        XCTAssertGreaterThan(ran, 10, "mutants that still run")
    }

    // MARK: Hostile numbers (issue 10 audit)

    /// An INT64 initializer.
    private static func ints(_ name: String, dims: [Int64], _ values: [Int64]) -> (inout ProtoWriter) -> Void {
        { t in
            for d in dims { t.int(1, d) }
            t.int(2, 7)
            var packed = ProtoWriter()
            for v in values { packed.varint(UInt64(bitPattern: v)) }
            t.bytes(7, packed.bytes)
            t.string(8, name)
        }
    }

    /// An INT64 value_info.
    private static func intValue(_ name: String, _ dims: [Int64]) -> (inout ProtoWriter) -> Void {
        { v in
            v.string(1, name)
            v.message(2) { t in t.message(1) { tt in
                tt.int(1, 7)
                tt.message(2) { s in for d in dims { s.message(1) { dim in dim.int(1, d) } } }
            } }
        }
    }

    func testIntegerDivisionOfTheMostNegativeNumberWrapsInsteadOfTrapping() throws {
        let bytes = ProtoWriter.model(
            nodes: [ProtoWriter.node("Div", ["a", "b"], ["q"]), ProtoWriter.node("Mod", ["a", "b"], ["r"])],
            initializers: [Self.ints("a", dims: [1], [Int64.min]), Self.ints("b", dims: [1], [-1])],
            inputs: [], outputs: [Self.intValue("q", [1]), Self.intValue("r", [1])])
        let out = try ONNXSession(try ONNXModel.load(bytes: bytes)).runTyped([:])
        XCTAssertEqual(out["q"]?.integers, [Int64.min])
        XCTAssertEqual(out["r"]?.integers, [0])
    }

    func testRangeWithAnEndlessOrOverflowingCountIsAnError() throws {
        for (start, limit, delta) in [(Float(0), Float.infinity, Float(1)), (0, 1, .nan), (0, 1e30, 1e-30)] {
            let bytes = ProtoWriter.model(
                nodes: [ProtoWriter.node("Range", ["s", "l", "d"], ["y"])],
                initializers: [ProtoWriter.tensor("s", dims: [], values: [start]), ProtoWriter.tensor("l", dims: [], values: [limit]),
                               ProtoWriter.tensor("d", dims: [], values: [delta])],
                inputs: [], outputs: [ProtoWriter.valueInfo("y", [4])])
            XCTAssertThrowsError(try ONNXSession(try ONNXModel.load(bytes: bytes)).runTyped([:]), "\(start) \(limit) \(delta)")
        }
    }

    func testResizeWithAnInfiniteOrTinyScaleIsAnError() throws {
        for scale in [Float.infinity, 1e-30, 1e30] {
            let bytes = ProtoWriter.model(
                nodes: [ProtoWriter.node("Resize", ["x", "", "scales"], ["y"])],
                initializers: [ProtoWriter.tensor("scales", dims: [4], values: [1, 1, scale, 1])],
                inputs: [ProtoWriter.valueInfo("x", [1, 1, 4, 4])], outputs: [ProtoWriter.valueInfo("y", [1, 1, 4, 4])])
            XCTAssertThrowsError(try ONNXSession(try ONNXModel.load(bytes: bytes)).outputShapes(for: ["x": [1, 1, 4, 4]]), "\(scale)")
        }
    }

    func testConvWithAHugeGroupOrWindowIsAnError() throws {
        for (group, stride) in [(Int64.max, Int64(1)), (1, Int64.max)] {
            let bytes = ProtoWriter.model(
                nodes: [ProtoWriter.node("Conv", ["x", "w"], ["y"], attributes: [
                    { a in a.string(1, "group"); a.int(3, group); a.int(20, 2) },
                    { a in a.string(1, "strides"); a.int(8, stride); a.int(8, stride); a.int(20, 7) },
                ])],
                initializers: [ProtoWriter.tensor("w", dims: [1, 1, 1, 1], values: [1])],
                inputs: [ProtoWriter.valueInfo("x", [1, 1, 4, 4])], outputs: [ProtoWriter.valueInfo("y", [1, 1, 4, 4])])
            XCTAssertThrowsError(try ONNXSession(try ONNXModel.load(bytes: bytes)).outputShapes(for: ["x": [1, 1, 4, 4]]), "\(group) \(stride)")
        }
    }

    func testShapesWhoseElementCountOverflowsOrExplodesAreErrors() throws {
        let x = ProtoWriter.valueInfo("x", [1, 4])
        let cases: [(String, [(inout ProtoWriter) -> Void])] = [
            ("Reshape", [Self.ints("t", dims: [3], [4, 1 << 62, 1 << 62])]),
            ("Reshape", [Self.ints("t", dims: [3], [-1, 1 << 62, 4])]),
            ("Tile", [Self.ints("t", dims: [2], [1 << 62, 1 << 62])]),
            ("Expand", [Self.ints("t", dims: [2], [1 << 20, 1 << 20])]),
            ("Expand", [Self.ints("t", dims: [2], [-2, 4])]),
        ]
        for (op, initializers) in cases {
            let bytes = ProtoWriter.model(nodes: [ProtoWriter.node(op, ["x", "t"], ["y"])], initializers: initializers,
                                          inputs: [x], outputs: [ProtoWriter.valueInfo("y", [4])])
            XCTAssertThrowsError(try ONNXSession(try ONNXModel.load(bytes: bytes)).outputShapes(for: ["x": [1, 4]]), op)
        }
        // Folded at load time: a constant of 2^40 elements must be refused before it is allocated.
        let folded = ProtoWriter.model(nodes: [ProtoWriter.node("Expand", ["one", "t"], ["y"])],
                                       initializers: [ProtoWriter.tensor("one", dims: [1], values: [1]),
                                                      Self.ints("t", dims: [2], [1 << 20, 1 << 20])],
                                       inputs: [], outputs: [ProtoWriter.valueInfo("y", [4])])
        XCTAssertThrowsError(try ONNXSession(try ONNXModel.load(bytes: folded)).runTyped([:]))
        let constant = ProtoWriter.model(nodes: [ProtoWriter.node("ConstantOfShape", ["t"], ["y"])],
                                         initializers: [Self.ints("t", dims: [1], [1 << 31])],
                                         inputs: [], outputs: [ProtoWriter.valueInfo("y", [4])])
        XCTAssertThrowsError(try ONNXSession(try ONNXModel.load(bytes: constant)).runTyped([:]))
    }
}
