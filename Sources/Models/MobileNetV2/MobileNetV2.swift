import Checkpoints
import Engine
import Synchronization

// MARK: - Loaded MobileNetV2

/// torchvision's ImageNet MobileNetV2 ready to run: the graph is built once from a state dict, with every
/// batch norm folded into its convolution at load time, and loaded networks are cached per process by path.
///
/// One graph serves classification (forward to "logits") and DeepDream (forward to any "features.N",
/// backward to "image"): the executor computes only what the requested value needs.
public final class MobileNetV2: Sendable {
    /// The catalog id of the torchvision ImageNet weights.
    public static let checkpointID = "mobilenet_v2"
    /// Name of the graph input (NCHW, ImageNet-normalised RGB).
    public static let inputName = "image"
    /// Name of the class scores before softmax, [N, 1000].
    public static let logitsName = "logits"
    /// The block outputs a dream can target, in network order ("features.0" … "features.18").
    public static let layerNames: [String] = (0...18).map { "features.\($0)" }
    /// ImageNet mean of RGB in [0, 1].
    public static let mean: [Float] = [0.485, 0.456, 0.406]
    /// ImageNet standard deviation of RGB in [0, 1].
    public static let std: [Float] = [0.229, 0.224, 0.225]

    /// Channels of each `layerNames` entry (32, 16, 24, 24, 32, …, 320, 1280).
    public static let layerChannels: [String: Int] = {
        var result = ["features.0": 32]
        var index = 1
        for stage in MobileNetV2Graph.stages {
            for _ in 0..<stage.n { result["features.\(index)"] = stage.c; index += 1 }
        }
        result["features.18"] = 1280
        return result
    }()

    /// Total stride of each block output relative to the input (2 … 32).
    public static let layerStrides: [String: Int] = {
        var result = ["features.0": 2]
        var index = 1, stride = 2
        for stage in MobileNetV2Graph.stages {
            for r in 0..<stage.n {
                if r == 0 { stride *= stage.s }
                result["features.\(index)"] = stride
                index += 1
            }
        }
        result["features.18"] = stride
        return result
    }()

    /// The folded graph.
    public let graph: Graph
    /// Runs `graph`.
    public let executor: Executor
    /// Where the weights came from (a file path, or a description for in-memory weights).
    public let source: String

    /// Builds the network from torchvision state-dict tensors (integer entries such as
    /// `num_batches_tracked` are ignored); batch norms are folded now.
    public init(weights: [String: Tensor], source: String = "state dict") throws {
        graph = try MobileNetV2Graph.build(weights: weights)
        executor = Executor(graph)
        self.source = source
    }

    /// Builds the network from a loaded checkpoint.
    public convenience init(stateDict: StateDict, source: String = "state dict") throws {
        try self.init(weights: MobileNetV2.tensors(from: stateDict), source: source)
    }

    /// Engine tensors for the floating-point entries of a state dict.
    public static func tensors(from stateDict: StateDict) -> [String: Tensor] {
        var result: [String: Tensor] = [:]
        for (name, weight) in stateDict {
            guard case .float(let values) = weight.values else { continue }
            result[name] = Tensor(shape: weight.shape, scalars: values)
        }
        return result
    }

    // MARK: Cache

    private static let cache = Mutex<[String: MobileNetV2]>([:])

    /// The network stored at `path` (any format `WeightFile` reads), loaded once per process.
    public static func load(path: String) throws -> MobileNetV2 {
        if let hit = cache.withLock({ $0[path] }) { return hit }
        let network = try MobileNetV2(stateDict: WeightFile.load(path: path), source: path)
        return cache.withLock { table in
            if let raced = table[path] { return raced }
            table[path] = network
            return network
        }
    }

    /// The network for the catalog checkpoint, resolved (and verified) through `context`.
    public static func load(context: ModelContext) throws -> MobileNetV2 {
        try load(path: context.checkpointPath(checkpointID))
    }

    /// Forgets cached networks (tests, or after a checkpoint was replaced).
    public static func clearCache() { cache.withLock { $0.removeAll() } }

    // MARK: Running

    /// Class scores (before softmax) for a batch of preprocessed images [N, 3, H, W].
    public func logits(_ input: Tensor) throws -> Tensor {
        let pass = try executor.forward([MobileNetV2.inputName: input], outputs: [MobileNetV2.logitsName])
        return pass[MobileNetV2.logitsName]!
    }
}

// MARK: - Random weights

extension MobileNetV2Graph {
    /// Random weights under torchvision's state-dict keys (for tests and benchmarks without a checkpoint).
    public static func randomStateDict(seed: UInt64 = 0) -> [String: Tensor] {
        var d: [String: Tensor] = [:]
        var s = seed &* 10_000
        forEachParameterLayer(conv: { p, shape in
            s += 1
            let fanIn = Float(shape[1] * shape[2] * shape[3])
            let bound = (3 / fanIn).squareRoot()
            d[p + ".weight"] = .uniform(shape, in: -bound...bound, seed: s)
        }, norm: { p, c in
            s += 4
            d[p + ".weight"] = .uniform([c], in: 0.5...1.5, seed: s)
            d[p + ".bias"] = .uniform([c], in: -0.1...0.1, seed: s + 1)
            d[p + ".running_mean"] = .uniform([c], in: -0.1...0.1, seed: s + 2)
            d[p + ".running_var"] = .uniform([c], in: 0.5...2, seed: s + 3)
        })
        d["classifier.1.weight"] = .uniform([1000, 1280], in: -0.05...0.05, seed: s + 999)
        d["classifier.1.bias"] = .uniform([1000], in: -0.05...0.05, seed: s + 1000)
        return d
    }

    /// Random weights whose signal fades layer by layer: He-uniform convolutions (bound √(6 / fan-in))
    /// scaled by `gain`, batch norms at their initial identity (weight 1, bias 0, mean 0, variance 1).
    ///
    /// With `gain` 0.08 (seed 1) the gradient of a 512² dream step to features.14 is subnormal in its
    /// last layers: 96 % of the input gradient when subnormals are kept. `mlwb bench dream` times it
    /// beside the real weights. (`randomStateDict`'s random batch-norm offsets keep the signal up: it
    /// produces no subnormals, and neither do the real weights.)
    public static func fadingStateDict(seed: UInt64 = 0, gain: Float = 0.08) -> [String: Tensor] {
        var d: [String: Tensor] = [:]
        var s = seed &* 10_000
        forEachParameterLayer(conv: { p, shape in
            s += 1
            let bound = gain * (6 / Float(shape[1] * shape[2] * shape[3])).squareRoot()
            d[p + ".weight"] = .uniform(shape, in: -bound...bound, seed: s)
        }, norm: { p, c in
            d[p + ".weight"] = .ones([c])
            d[p + ".bias"] = .zeros([c])
            d[p + ".running_mean"] = .zeros([c])
            d[p + ".running_var"] = .ones([c])
        })
        d["classifier.1.weight"] = .uniform([1000, 1280], in: -0.05...0.05, seed: s + 999)
        d["classifier.1.bias"] = .zeros([1000])
        return d
    }

    /// Calls `conv` (state-dict prefix, weight shape) and `norm` (prefix, channels) for every
    /// convolution and batch norm of the feature extractor, in torchvision's order.
    private static func forEachParameterLayer(conv: (String, [Int]) -> Void, norm: (String, Int) -> Void) {
        conv("features.0.0", [32, 3, 3, 3]); norm("features.0.1", 32)
        var c = 32, i = 1
        for stage in stages {
            for _ in 0..<stage.n {
                let h = c * stage.t, p = "features.\(i).conv"
                var l = 0
                if stage.t != 1 { conv("\(p).0.0", [h, c, 1, 1]); norm("\(p).0.1", h); l = 1 }
                conv("\(p).\(l).0", [h, 1, 3, 3]); norm("\(p).\(l).1", h)
                conv("\(p).\(l + 1)", [stage.c, h, 1, 1]); norm("\(p).\(l + 2)", stage.c)
                c = stage.c; i += 1
            }
        }
        conv("features.18.0", [1280, 320, 1, 1]); norm("features.18.1", 1280)
    }
}
