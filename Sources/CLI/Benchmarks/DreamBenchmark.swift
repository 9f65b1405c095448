import Engine
import Foundation
import Media
import Models

/// `mlwb bench dream`: one DeepDream step at 512×512 (forward to features.14, Σ x², gradient back to the
/// 1×3×512×512 input) and one full 224×224 classification, median of several runs, peak memory, and the
/// same two operations in PyTorch (2 threads) side by side when a Python with torch is available
/// (`MLWB_TORCH_PYTHON=/path/to/python`, else `python3` if it can `import torch`). Also the step with
/// random weights whose gradient is mostly subnormal, and a kernel with subnormal products with and
/// without flushing (run with `MLWB_DENORMALS=preserve` to see the step without flushing).
enum DreamBenchmark {
    static func run(_ context: CommandContext, quick: Bool) throws {
        let runsStep = quick ? 3 : 7
        let runsClassify = quick ? 5 : 25
        // The real weights when the store has them (timings do not depend on the values otherwise).
        var network: MobileNetV2
        var weightsPath = "random"
        if let store = try? CheckpointsSupport.store(context),
           let path = try? ModelContext(store: store, environment: context.environment).checkpointPath(MobileNetV2.checkpointID) {
            network = try MobileNetV2.load(path: path)
            weightsPath = path
        } else {
            network = try MobileNetV2(weights: MobileNetV2Graph.randomStateDict(seed: 1), source: "random")
        }
        context.print("weights: \(weightsPath == "random" ? "random (mobilenet_v2 is not in the store)" : weightsPath)")
        context.print("threads: \(ComputeThreads.count) (MLWB_THREADS)")
        context.flush()

        // mlwb: one dream step at 512².
        let input = Tensor.uniform([1, 3, 512, 512], in: 0...1, seed: 7)
        let rssBefore = BenchTimer.peakResidentBytes() ?? 0
        let tStep = try BenchTimer.median(runs: runsStep, warmup: 1) {
            let (_, g) = try network.executor.gradient([MobileNetV2.inputName: input], target: "features.14",
                                                       wrt: MobileNetV2.inputName) { 2 * $0 }
            precondition(g.shape == [1, 3, 512, 512])
        }
        let rssStep = BenchTimer.peakResidentBytes() ?? 0
        // The same step with random weights whose gradient fades into subnormal floats, and one
        // depthwise convolution with subnormal products in either denormal mode (this CPU's penalty).
        let fading = try MobileNetV2(weights: MobileNetV2Graph.fadingStateDict(seed: 1), source: "fading")
        let tFading = try BenchTimer.median(runs: runsStep, warmup: 1) {
            _ = try fading.executor.gradient([MobileNetV2.inputName: input], target: "features.14",
                                             wrt: MobileNetV2.inputName) { 2 * $0 }
        }
        let tiny = Tensor(shape: [1, 32, 256, 256], repeating: 1e-20), tinyWeight = Tensor(shape: [32, 1, 3, 3], repeating: 1e-20)
        let depthwise = Conv2DParameters(stride: 1, padding: 1, groups: 32)
        let tKept = BenchTimer.median(runs: runsClassify) {
            _ = DenormalMode.with(.preserve) { Conv2D.forward(tiny, weight: tinyWeight, params: depthwise) }
        }
        let tFlushed = BenchTimer.median(runs: runsClassify) {
            _ = DenormalMode.with(.flushToZero) { Conv2D.forward(tiny, weight: tinyWeight, params: depthwise) }
        }
        let small = Tensor.uniform([1, 3, 224, 224], in: -2...2, seed: 8)
        let tClassify = try BenchTimer.median(runs: runsClassify, warmup: 3) {
            _ = Classifier.softmax(try network.logits(small).scalars)
        }

        // PyTorch, same machine, same run.
        var torch: [String: Any]?
        var torchNote = ""
        if let python = torchPython(context.environment) {
            let script = NSTemporaryDirectory() + "mlwb-dream-bench-\(getpid()).py"
            try DreamBenchmarkScript.source.write(toFile: script, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(atPath: script) }
            context.print("running the same step in PyTorch (\(python), 2 threads)…")
            context.flush()
            let (status, out, err) = try capture(python, [script, weightsPath, String(runsStep), String(runsClassify), "2"])
            if status == 0, let line = out.split(separator: "\n").last,
               let json = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] {
                torch = json
            } else {
                torchNote = "PyTorch run failed (status \(status)): \(err.split(separator: "\n").last ?? "")"
            }
        } else {
            torchNote = "PyTorch not found (set MLWB_TORCH_PYTHON=/path/to/python with torch installed)"
        }

        func row(_ label: String, _ mine: Double, _ theirs: Double?, target: String) -> String {
            var s = label.padding(toLength: 46, withPad: " ", startingAt: 0) + String(format: "%9.1f ms", mine * 1000)
            if let theirs {
                s += String(format: "%11.1f ms %8.2f×", theirs * 1000, mine / theirs)
            } else {
                s += String(repeating: " ", count: 22)
            }
            return s + "   " + target
        }
        context.print("")
        context.print("".padding(toLength: 46, withPad: " ", startingAt: 0) + "     mlwb    PyTorch(2t)  mlwb/PT   target")
        context.print(row("dream step 512² (→features.14, Σx², ∂/∂input)", tStep, torch?["step"] as? Double, target: "≤ 0.80×"))
        context.print(row("classification 224² (full network, softmax)", tClassify, torch?["classify"] as? Double, target: "≤ 1.00×"))
        let size = { (b: Int) in HumanReadable.bytes(b) }
        var mem = "peak RSS (VmHWM) after the 512² step: \(size(rssStep)) (before: \(size(rssBefore)))   target < 1.07 GB (1 GiB)"
        if let peak = torch?["peak_rss_step"] as? Double { mem += "; PyTorch process: \(size(Int(peak)))" }
        context.print(mem)
        let mode = Executor.denormalMode == .flushToZero ? "flushed to zero" : "kept (MLWB_DENORMALS=preserve)"
        context.print("random weights with subnormal gradients (fadingStateDict): " + String(format: "%.1f ms", tFading * 1000)
                      + " (\(weightsPath == "random" ? "random" : "real"): " + String(format: "%.1f ms", tStep * 1000) + "); subnormals \(mode)")
        context.print(String(format: "depthwise 3×3 on 32×256² with subnormal products: %.2f ms kept, %.2f ms flushed to zero",
                             tKept * 1000, tFlushed * 1000))
        if let version = torch?["torch"] as? String { context.print("PyTorch \(version), \(torch?["threads"] ?? 2) threads") }
        if !torchNote.isEmpty { context.print(torchNote) }
    }

    /// A Python that can import torch: $MLWB_TORCH_PYTHON, else python3 if it has torch.
    static func torchPython(_ environment: [String: String]) -> String? {
        if let p = environment["MLWB_TORCH_PYTHON"], !p.isEmpty { return p }
        guard let python = BenchTimer.which("python3"),
              let (status, _, _) = try? capture(python, ["-c", "import torch"]), status == 0 else { return nil }
        return python
    }

    /// Runs a program and returns (status, stdout, stderr).
    static func capture(_ program: String, _ arguments: [String]) throws -> (Int32, String, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
    }
}
