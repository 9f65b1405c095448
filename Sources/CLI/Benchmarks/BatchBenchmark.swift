import Audio
import Foundation
import Models

/// `mlwb bench batch`: transcribing every audio file of ../shared/audio and ../shared/mir as one
/// `mlwb transcribe DIR DIR --out OUT` process (the model loaded once) against one `mlwb transcribe FILE -o`
/// process per file, run one after another; and the batch with `--jobs 2` against `--jobs 1`. Every batch
/// run writes to a fresh folder, so nothing is skipped as current.
enum BatchBenchmark {
    static func run(_ context: CommandContext, quick: Bool) throws {
        guard let audio = TranscribeBenchmark.sharedAudioDirectory(context.environment),
              let mir = BenchTimer.sharedDirectory("mir", containing: "README.md", environment: context.environment) else {
            context.print("skipped: the shared audio folders (../shared/audio and ../shared/mir) were not found; set MLWB_SHARED")
            return
        }
        do {
            _ = try ModelContext(store: try CheckpointsSupport.store(context), environment: context.environment).checkpointPath(BasicPitch.checkpointID)
        } catch {
            context.print("skipped: Basic Pitch is not in the checkpoint store ($MLWB_HOME); run "
                + "'mlwb checkpoints import /path/basic-pitch-icassp2022-nmp.onnx' or 'mlwb checkpoints get basic_pitch_icassp2022'")
            return
        }
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        let files = try BatchInputs.expand([audio, mir], extensions: AudioFormat.readableExtensions, excluding: nil, environment: context.environment)
        let runs = quick ? 1 : 3
        let scratch = NSTemporaryDirectory() + "mlwb-bench-batch-\(getpid())"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        context.print("\(files.count) files from \(audio) and \(mir); median of \(runs) run\(runs == 1 ? "" : "s") after a warm-up")
        context.flush()

        var serial = 0
        func batch(_ extra: [String]) throws {
            serial += 1
            let (_, _, status) = try BenchTimer.runProcess(executable, ["transcribe", audio, mir, "--out", "\(scratch)/batch\(serial)"] + extra,
                                                           environment: context.environment)
            guard status == 0 else { throw TranscribeBenchmark.BenchError("mlwb transcribe DIR --out exited with status \(status)") }
        }
        let perFile = try BenchTimer.median(runs: runs, warmup: 1) {
            for (i, item) in files.enumerated() {
                let (_, _, status) = try BenchTimer.runProcess(executable, ["transcribe", item.source, "-o", "\(scratch)/file\(i).mid"],
                                                               environment: context.environment)
                guard status == 0 else { throw TranscribeBenchmark.BenchError("mlwb transcribe \(item.source) exited with status \(status)") }
            }
        }
        let oneJob = try BenchTimer.median(runs: runs, warmup: 1) { try batch([]) }
        let twoJobs = try BenchTimer.median(runs: runs, warmup: 1) { try batch(["--jobs", "2"]) }

        func row(_ name: String, _ seconds: Double) -> String {
            name.padding(toLength: 52, withPad: " ", startingAt: 0) + String(format: "%7.2f s  %6.1f ms/file", seconds, seconds * 1000 / Double(files.count))
        }
        context.print(row("one process per file (\(files.count) × mlwb transcribe FILE -o)", perFile))
        context.print(row("one process: mlwb transcribe DIR DIR --out OUT", oneJob))
        context.print(row("one process, --jobs 2", twoJobs))
        let speedup = perFile / oneJob
        context.print(String(format: "batch vs per-file: %.2f× faster (target ≥ 1.5×) %@", speedup, speedup >= 1.5 ? "✓" : "✗"))
        context.print(String(format: "--jobs 2 vs --jobs 1: %.2f× (target: not slower) %@", oneJob / twoJobs, twoJobs <= oneJob * 1.02 ? "✓" : "✗"))
    }
}
