import Engine

// MARK: - Operator table

/// The operators the importer supports, each with the function that lowers it.
enum OperatorRegistry {
    /// Lowers one node; returns one value per produced output.
    typealias Handler = @Sendable (NodeContext) throws -> [LoweredValue]

    /// Fails with an error naming the op and node when the node's operator is not supported.
    static func check(_ node: ONNXNode, opset: Int) throws {
        guard node.domain.isEmpty, handlers[node.opType] != nil else {
            throw ONNXError.unsupportedOperator(opType: node.domain.isEmpty ? node.opType : "\(node.domain).\(node.opType)",
                                                node: node.displayName)
        }
        for (key, value) in node.attributes {
            if case .unsupported(let kind) = value {
                throw ONNXError.unsupportedAttribute(opType: node.opType, node: node.displayName, detail: "attribute \(key) of kind \(kind)")
            }
        }
    }

    /// Supported operator types, sorted.
    static var supportedOperators: [String] { handlers.keys.sorted() }

    /// Handlers by op type (default domain).
    static let handlers: [String: Handler] = [
        // Elementwise arithmetic, comparison, logic.
        "Add": binary(.add), "Sub": binary(.sub), "Mul": binary(.mul), "Div": binary(.div, integerOp: .truncatingDivide),
        "Pow": binary(.pow), "Mod": mod, "PRelu": binary(.prelu),
        "Equal": binary(.equal, comparison: true), "Less": binary(.less, comparison: true),
        "LessOrEqual": binary(.lessOrEqual, comparison: true), "Greater": binary(.greater, comparison: true),
        "GreaterOrEqual": binary(.greaterOrEqual, comparison: true),
        "And": binary(.and), "Or": binary(.or), "Xor": binary(.xor),
        "Max": variadic(.max), "Min": variadic(.min), "Sum": variadic(.add), "Mean": variadic(.add, mean: true),
        "Where": select, "Cast": cast, "CastLike": cast, "Clip": clip,
        // Pointwise functions.
        "Neg": unary(.neg), "Abs": unary(.abs), "Exp": unary(.exp), "Log": unary(.log), "Sqrt": unary(.sqrt),
        "Reciprocal": unary(.reciprocal), "Sin": unary(.sin), "Cos": unary(.cos), "Tan": unary(.tan),
        "Asin": unary(.asin), "Acos": unary(.acos), "Atan": unary(.atan), "Sinh": unary(.sinh), "Cosh": unary(.cosh),
        "Floor": unary(.floor), "Ceil": unary(.ceil), "Round": unary(.round), "Sign": unary(.sign),
        "Not": unary(.not, type: .bool), "Erf": unary(.erf), "Softplus": unary(.softplus), "Softsign": unary(.softsign),
        "HardSwish": unary(.hardSwish),
        "Elu": parametric { .elu(alpha: try $0.float("alpha", 1)) },
        "Selu": parametric { .selu(alpha: try $0.float("alpha", 1.67326319217681884765625), gamma: try $0.float("gamma", 1.05070102214813232421875)) },
        "HardSigmoid": parametric { .hardSigmoid(alpha: try $0.float("alpha", 0.2), beta: try $0.float("beta", 0.5)) },
        "Gelu": parametric { try $0.string("approximate", "none") == "tanh" ? .geluTanh : .gelu },
        "Relu": activation { _ in .relu }, "Sigmoid": activation { _ in .sigmoid }, "Tanh": activation { _ in .tanh },
        "LeakyRelu": activation { .leakyRelu(slope: try $0.float("alpha", 0.01)) },
        "Identity": identity, "Dropout": identity,
        // Shapes and data movement.
        "Constant": constant, "Shape": shape, "Size": size, "Reshape": reshape, "Flatten": flatten,
        "Squeeze": squeeze, "Unsqueeze": unsqueeze, "Transpose": transpose, "Concat": concat, "Slice": slice,
        "Gather": gather, "GatherElements": gatherElements, "ScatterElements": scatterElements,
        "Expand": expand, "Tile": tile, "ConstantOfShape": constantOfShape, "Range": range, "Split": split, "Pad": pad,
        // Reductions.
        "ReduceSum": reduce(.sum), "ReduceMean": reduce(.mean), "ReduceMax": reduce(.max), "ReduceMin": reduce(.min),
        "ReduceProd": reduce(.prod), "ReduceL1": reduce(.l1), "ReduceL2": reduce(.l2), "ReduceSumSquare": reduce(.sumSquare),
        "ReduceLogSum": reduce(.logSum), "ReduceLogSumExp": reduce(.logSumExp),
        "ArgMax": argReduce(.max), "ArgMin": argReduce(.min),
        // Neural-network layers.
        "Conv": conv, "BatchNormalization": batchNorm, "MaxPool": pool(isMax: true), "AveragePool": pool(isMax: false),
        "GlobalAveragePool": globalPool(isMax: false), "GlobalMaxPool": globalPool(isMax: true),
        "Resize": resize, "Upsample": resize,
        "MatMul": matmul, "Gemm": gemm, "Softmax": softmax(log: false), "LogSoftmax": softmax(log: true),
        // Recurrent layers.
        "LSTM": recurrent("LSTM"), "GRU": recurrent("GRU"), "RNN": recurrent("RNN"),
    ]
}
