import Glibc
import Audio
import Engine
import Foundation
import Media
import Models

/// BeatNet's parts for `mlwb bench`: the features of a 30 s clip and the network alone on its 1500 frames,
/// medians of several runs, beside BeatNet's PyTorch network alone on the same number of frames (2 threads)
/// when a Python with torch is available (`MLWB_TORCH_PYTHON`, else `python3` if it can `import torch`).
/// The beat tracker's suite calls `networkSeconds` / `featureSeconds` / `pytorchNetworkSeconds`; `run`
/// prints them as a table of their own.
enum BeatsBenchmark {
    /// 30 s at 50 frames per second.
    static let frames = 1500

    /// Median seconds of the network alone: one offline call (zero LSTM state) on `frames` frames of
    /// random features in [0, 1).
    static func networkSeconds(_ network: BeatNetNetwork, frames: Int = frames, runs: Int = 7) throws -> Double {
        let features = Tensor.uniform([frames, BeatNetFeatures.featureCount], in: 0...1, seed: 1)
        return try BenchTimer.median(runs: runs, warmup: 2) { _ = try network.probabilities(features) }
    }

    /// Median seconds of the features of mono samples at 22,050 Hz.
    static func featureSeconds(samples: [Float], runs: Int = 7) -> Double {
        BenchTimer.median(runs: runs, warmup: 1) { _ = BeatNetFeatures.compute(samples: samples) }
    }

    /// `seconds` of a deterministic test signal at 22,050 Hz: a 120 BPM click track over low noise.
    static func clickTrack(seconds: Double = 30) -> [Float] {
        let rate = BeatNetFeatures.sampleRate, count = Int(seconds * Double(rate))
        var random = SeededGenerator(seed: 11)
        var samples = (0..<count).map { _ in Float.random(in: -0.02...0.02, using: &random) }
        for start in stride(from: 0, to: count, by: rate / 2) {
            for i in 0..<min(1500, count - start) {
                samples[start + i] += Float(0.7 * exp(-Double(i) / 250) * sin(2 * Double.pi * 1200 * Double(i) / Double(rate)))
            }
        }
        return samples
    }

    /// The network for benchmarking and where its weights came from: the store's `beatnet_1`, else the shared
    /// folder's copy (`$MLWB_SHARED/weights`, `../shared/weights`); nil when neither exists.
    static func network(_ context: CommandContext) -> (network: BeatNetNetwork, path: String)? {
        var candidates: [String] = []
        if let store = try? CheckpointsSupport.store(context),
           let path = try? ModelContext(store: store, environment: context.environment).checkpointPath(BeatNet.checkpointID(model: 1)) {
            candidates.append(path)
        }
        for root in [context.environment["MLWB_SHARED"], "../shared", "shared"].compactMap({ $0 }) where !root.isEmpty {
            candidates.append("\(root)/weights/beatnet-model1-weights.pt")
        }
        for path in candidates where FileManager.default.fileExists(atPath: path) {
            if let network = try? BeatNetNetwork.load(path: path) { return (network, path) }
        }
        return nil
    }

    /// BeatNet's PyTorch network alone on `frames` frames with `threads` threads: median seconds and a note
    /// (torch version and the check against the shared reference), or nil and why not.
    static func pytorchNetworkSeconds(_ context: CommandContext, weights: String, frames: Int = frames, runs: Int = 7,
                                      threads: Int = 2) throws -> (seconds: Double?, note: String) {
        guard let python = DreamBenchmark.torchPython(context.environment) else {
            return (nil, "PyTorch not found (set MLWB_TORCH_PYTHON=/path/to/python with torch installed)")
        }
        let script = NSTemporaryDirectory() + "mlwb-beatnet-bench-\(getpid()).py"
        try BeatNetBenchmarkScript.source.write(toFile: script, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: script) }
        var arguments = [script, weights, String(frames), String(runs), String(threads)]
        let shared = (weights as NSString).deletingLastPathComponent + "/../references"
        let input = shared + "/beatnet-synthetic-input.npy", output = shared + "/beatnet-model1-synthetic-output.npy"
        if FileManager.default.fileExists(atPath: input) && FileManager.default.fileExists(atPath: output) { arguments += [input, output] }
        let (status, out, err) = try DreamBenchmark.capture(python, arguments)
        guard status == 0, let line = out.split(separator: "\n").last,
              let json = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
              let seconds = json["network"] as? Double else {
            return (nil, "PyTorch run failed (status \(status)): \(err.split(separator: "\n").last ?? "")")
        }
        var note = "PyTorch \(json["torch"] ?? "?"), \(json["threads"] ?? threads) threads"
        if let diff = json["reference_max_abs_diff"] as? Double { note += String(format: ", its output vs the shared reference: max |Δ| %.1e", diff) }
        return (seconds, note)
    }

    /// Features of a 30 s clip and the network alone on its frames, beside PyTorch's network alone.
    static func run(_ context: CommandContext, quick: Bool) throws {
        let runs = quick ? 3 : 9
        guard let (network, path) = network(context) else {
            context.print("skipped: BeatNet's weights are not in the store; run 'mlwb checkpoints get beatnet_1' (or set MLWB_SHARED)")
            return
        }
        context.print("weights: \(path)")
        context.print("threads: \(ComputeThreads.count) (MLWB_THREADS); runs: median of \(runs) after a warm-up")
        context.flush()
        let samples = clickTrack()
        let tFeatures = featureSeconds(samples: samples, runs: runs)
        let tNetwork = try networkSeconds(network, runs: runs)
        let (tTorch, note) = try pytorchNetworkSeconds(context, weights: path, runs: runs)
        func ms(_ v: Double?) -> String { v.map { String(format: "%8.2f ms", $0 * 1000) } ?? "         –" }
        context.print("")
        context.print("30 s (1500 frames)                      mlwb      PyTorch(2t)   PyTorch/mlwb")
        context.print("features (22,050 Hz → [1500, 272])  " + ms(tFeatures) + "             –")
        context.print("network alone                       " + ms(tNetwork) + "   " + ms(tTorch)
                      + (tTorch.map { String(format: "   %6.2f×", $0 / tNetwork) } ?? ""))
        context.print("features + network                  " + ms(tFeatures + tNetwork) + "   " + ms(tTorch)
                      + (tTorch.map { String(format: "   %6.2f×", $0 / (tFeatures + tNetwork)) } ?? ""))
        // The decoder on the network's activations of the same 30 s, and the whole command as a process.
        let activations = try BeatNet.activations(features: BeatNetFeatures.compute(samples: samples), network: network)
        let decoder = BarPointerDecoder()
        let tDecoder = BenchTimer.median(runs: runs, warmup: 1) { _ = decoder.decode(activations) }
        context.print("bar-pointer DBN (meters 3 and 4)    " + ms(tDecoder) + "             –")
        let oneNetwork = tFeatures + tNetwork + tDecoder
        context.print("beats in process, one network       " + ms(oneNetwork) + "   " + ms(tTorch)
                      + (tTorch.map { String(format: "   %6.2f×", $0 / oneNetwork) } ?? ""))
        let ensemble = tFeatures + 3 * tNetwork + tDecoder
        context.print("beats in process, 3-network average " + ms(ensemble) + "   " + ms(tTorch)
                      + (tTorch.map { String(format: "   %6.2f×", $0 / ensemble) } ?? "") + "   (the default)")
        if let binary = CommandLine.arguments.first.map({ URL(fileURLWithPath: $0).resolvingSymlinksInPath().path }),
           FileManager.default.isExecutableFile(atPath: binary) {
            let wav = NSTemporaryDirectory() + "mlwb-bench-beats-\(getpid()).wav"
            defer { unlink(wav) }
            try AudioFile.save(AudioClip(sampleRate: 22_050, mono: samples), to: wav)
            let out = wav + ".txt"
            defer { unlink(out) }
            var best = Double.infinity
            for _ in 0..<max(3, runs / 2) {
                let (seconds, _, status) = try BenchTimer.runProcess(binary, ["beats", wav, "-o", out], environment: context.environment)
                if status == 0 { best = min(best, seconds) }
            }
            if best.isFinite {
                context.print("mlwb beats 30 s WAV (process, best)  " + ms(best) + "   " + ms(tTorch)
                              + (tTorch.map { String(format: "   %6.2f×", $0 / best) } ?? ""))
            }
        }
        context.print("target: mlwb beats end to end ≥ 2× faster than PyTorch's network alone (ratio ≥ 2.00×)")
    }
}
