/// Malformed ONNX inputs the fuzz suite found to trap the importer, kept as bytes (they are hostile
/// protobuf, not models: no file of them is kept). Fixtures/README.md says what each did.
enum ONNXRegressionInputs {
    /// ArgMax with an axis on a rank-0 tensor: the axis indexed its empty shape.
    static let argmaxOfAScalar = hex("0807120c6261636b656e642d746573743a7d0a270a04646174611206726573756c7422064172674d61782a0f0a086b65657064696d731801a001021220746573745f6172676d61785f64656661756c745f617869735f6578616d706c655a160a0464617461950e0a0c080112080a0208020a02080262180a06726573756c74120e0a0c080712080a0208010a02080242040a00100d")

    /// AveragePool with a 2^62 stride: the window arithmetic overflowed.
    static let poolWindowOverflow = hex("080a120c6261636b656e642d746573743ac0010a560a0178120179220b41766572616765506f6f6c2a100a096365696c5f6d6f64651801a001022a150a0c6b65726e656c5f736861706540034003a001072a180a077374726964657340ffffffffffffffff7f4002a001071218746573745f61766572616765706f6f6c5f32645f6365696c5a2f0a0178122a0a14080112100a0208010a0208010a0208040a0208040a120801120e0a0208010a000a0208040a020804621b0a017912160a14080112100a0208010a0208010a0208020a02080242040a001016")

    /// Both, named as the README lists them.
    static let all: [(name: String, bytes: [UInt8])] = [("argmax-of-a-scalar", argmaxOfAScalar), ("pool-window-overflow", poolWindowOverflow)]

    private static func hex(_ text: String) -> [UInt8] {
        let digits = Array(text.utf8)
        return stride(from: 0, to: digits.count, by: 2).map { UInt8(String(decoding: digits[$0..<$0 + 2], as: UTF8.self), radix: 16)! }
    }
}
