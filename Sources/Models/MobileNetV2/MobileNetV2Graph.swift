import Engine

// MARK: - MobileNetV2 (torchvision layout)

/// Builds torchvision's MobileNetV2 as an engine `Graph` from a state dict with torchvision key names.
///
/// Lives in the Models layer (it only uses the engine's public builder API); `MobileNetV2` loads and caches it.
/// Named values: "image" (input), "features.0" … "features.18" (block outputs), "pooled", "logits" (output).
public enum MobileNetV2Graph {
    /// Errors while assembling the graph.
    public enum BuildError: Error, Equatable, CustomStringConvertible {
        /// A state-dict key the architecture needs is absent.
        case missingWeight(String)
        /// A tensor has an unexpected shape.
        case badShape(String, [Int])

        /// A readable message.
        public var description: String {
            switch self {
            case .missingWeight(let k): "MobileNetV2 state dict has no '\(k)'"
            case .badShape(let k, let s): "MobileNetV2 weight '\(k)' has unexpected shape \(s)"
            }
        }
    }

    /// (expansion t, output channels c, repeats n, first stride s) per stage, as in the paper and torchvision.
    public static let stages: [(t: Int, c: Int, n: Int, s: Int)] = [
        (1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1),
    ]

    /// The graph; `upTo` (e.g. "features.14") stops building after that block (smaller graph for DeepDream).
    public static func build(weights: [String: Tensor], upTo: String? = nil, batchNormEpsilon: Float = 1e-5) throws -> Graph {
        func w(_ key: String) throws -> Tensor {
            guard let t = weights[key] else { throw BuildError.missingWeight(key) }
            return t
        }
        func bn(_ prefix: String) throws -> BatchNormParameters {
            BatchNormParameters(gamma: try w(prefix + ".weight"), beta: try w(prefix + ".bias"),
                                mean: try w(prefix + ".running_mean"), variance: try w(prefix + ".running_var"),
                                epsilon: batchNormEpsilon)
        }
        let g = GraphBuilder()
        // conv + folded BN (+ ReLU6); `conv` and `norm` are the state-dict prefixes.
        func convBN(_ x: ValueID, conv: String, norm: String, stride: Int, groups: Int, relu6: Bool, name: String?) throws -> ValueID {
            let weight = try w(conv + ".weight")
            guard weight.rank == 4 else { throw BuildError.badShape(conv + ".weight", weight.shape) }
            let k = weight.shape[2]
            return g.conv2d(x, weight: weight, batchNorm: try bn(norm),
                            params: Conv2DParameters(stride: stride, padding: (k - 1) / 2, groups: groups),
                            activation: relu6 ? .relu6 : .identity, name: name)
        }

        var x = g.input("image")
        x = try convBN(x, conv: "features.0.0", norm: "features.0.1", stride: 2, groups: 1, relu6: true, name: "features.0")
        if upTo == "features.0" { g.output(x, name: "output"); return g.build() }
        var channels = 32, index = 1
        for stage in stages {
            for r in 0..<stage.n {
                let stride = r == 0 ? stage.s : 1
                let p = "features.\(index).conv"
                let hidden = channels * stage.t
                var h = x
                var layer = 0
                if stage.t != 1 {
                    h = try convBN(h, conv: "\(p).0.0", norm: "\(p).0.1", stride: 1, groups: 1, relu6: true, name: "\(p).0")
                    layer = 1
                }
                h = try convBN(h, conv: "\(p).\(layer).0", norm: "\(p).\(layer).1", stride: stride, groups: hidden,
                               relu6: true, name: "\(p).\(layer)")
                let residual = stride == 1 && channels == stage.c
                h = try convBN(h, conv: "\(p).\(layer + 1)", norm: "\(p).\(layer + 2)", stride: 1, groups: 1, relu6: false,
                               name: residual ? "\(p).\(layer + 2)" : "features.\(index)")
                if residual { h = g.add(x, h, name: "features.\(index)") }
                x = h
                channels = stage.c
                if upTo == "features.\(index)" { g.output(x, name: "output"); return g.build() }
                index += 1
            }
        }
        x = try convBN(x, conv: "features.18.0", norm: "features.18.1", stride: 1, groups: 1, relu6: true, name: "features.18")
        if upTo == "features.18" { g.output(x, name: "output"); return g.build() }
        let pooled = g.flatten(g.globalAveragePool(x), name: "pooled")
        let logits = g.linear(pooled, weight: try w("classifier.1.weight"), bias: try w("classifier.1.bias"))
        g.output(logits, name: "logits")
        return g.build()
    }
}
