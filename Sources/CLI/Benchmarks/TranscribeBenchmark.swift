import Audio
import Engine
import Foundation
import Models

/// `mlwb bench transcribe`: for each excerpt of ../shared/audio, `mlwb transcribe` end to end as a process
/// (start, decode, resample, model, note creation, MIDI write) and the model part alone (the session runs
/// on Basic Pitch's windows), medians of a few runs; beside them Basic Pitch's Python `predict()` and
/// onnxruntime's session runs on the same windows with 2 threads, when a Python with basic-pitch and
/// onnxruntime is given in `MLWB_BASIC_PITCH_PYTHON`.
enum TranscribeBenchmark {
    static let excerpts = ["bach_bwv66_6", "joplin_maple_leaf_rag", "mozart_k155_ii"]

    static func run(_ context: CommandContext, quick: Bool) throws {
        let runs = quick ? 3 : 5
        guard let audioDir = sharedAudioDirectory(context.environment) else {
            context.print("skipped: the shared audio folder (../shared/audio with the three excerpts) was not found; set MLWB_SHARED")
            return
        }
        let modelPath: String
        do {
            modelPath = try ModelContext(store: try CheckpointsSupport.store(context), environment: context.environment)
                .checkpointPath(BasicPitch.checkpointID)
        } catch {
            context.print("skipped: Basic Pitch is not in the checkpoint store ($MLWB_HOME); run "
                + "'mlwb checkpoints import /path/basic-pitch-icassp2022-nmp.onnx' or 'mlwb checkpoints get basic_pitch_icassp2022'")
            return
        }
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        context.print("model: \(modelPath)")
        context.print("threads: \(ComputeThreads.count) (MLWB_THREADS); runs: median of \(runs) after a warm-up")
        context.flush()

        let transcriber = try BasicPitchTranscriber(modelPath: modelPath)
        let scratch = NSTemporaryDirectory() + "mlwb-bench-transcribe-\(getpid())"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }

        struct Row { var name: String; var windows: Int; var endToEnd: Double; var model: Double; var notes: Int }
        var rows: [Row] = []
        for name in excerpts {
            let wav = "\(audioDir)/\(name).wav"
            let clip = try AudioFile.load(wav)
            let samples = BasicPitchTranscriber.prepare(clip)
            let windows = BasicPitchWindowing.windowCount(sampleCount: samples.count)
            var noteCount = 0
            let tModel = try BenchTimer.median(runs: runs, warmup: 1) {
                let grams = try transcriber.posteriorgrams(samples: samples)
                precondition(grams.frameCount > 0)
            }
            noteCount = NoteCreation.frameNotes(try transcriber.posteriorgrams(samples: samples)).count
            let out = "\(scratch)/\(name).mid"
            let tProcess = try BenchTimer.median(runs: runs, warmup: 1) {
                let (_, _, status) = try BenchTimer.runProcess(executable, ["transcribe", wav, "-o", out], environment: context.environment)
                guard status == 0 else { throw BenchError("mlwb transcribe \(wav) exited with status \(status)") }
            }
            rows.append(Row(name: name, windows: windows, endToEnd: tProcess, model: tModel, notes: noteCount))
            context.print(String(format: "  %@: %d windows, %d notes, end to end %.1f ms, model %.1f ms", name, windows, noteCount,
                                 tProcess * 1000, tModel * 1000))
            context.flush()
        }

        // Basic Pitch + onnxruntime, same machine, same run.
        var reference: [String: [String: Double]] = [:]
        var referenceNote = ""
        if let python = context.environment["MLWB_BASIC_PITCH_PYTHON"], !python.isEmpty {
            let script = "\(scratch)/basic_pitch_bench.py"
            try TranscribeBenchmarkScript.source.write(toFile: script, atomically: true, encoding: .utf8)
            context.print("running Basic Pitch predict() and onnxruntime (\(python), 2 threads)…")
            context.flush()
            let (status, stdout, stderr) = try capture(python, [script, modelPath, String(runs)] + excerpts.map { "\(audioDir)/\($0).wav" })
            if status == 0, let line = stdout.split(separator: "\n").last,
               let json = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] {
                for (key, value) in json {
                    if let d = value as? [String: Double] { reference[key] = d }
                }
                if let v = json["versions"] as? String { referenceNote = v }
            } else {
                referenceNote = "Basic Pitch run failed (status \(status)): \(stderr.split(separator: "\n").suffix(3).joined(separator: " | "))"
            }
        } else {
            referenceNote = "Basic Pitch not run: set MLWB_BASIC_PITCH_PYTHON=/path/to/python of a venv with "
                + "`pip install --no-deps basic-pitch==0.4.0` plus librosa, mir_eval, pretty_midi, \"resampy>=0.2.2,<0.4.3\", "
                + "scipy, scikit-learn and onnxruntime (see ../shared/audio/README.md)"
        }

        context.print("")
        context.print("excerpt                 win   mlwb e2e   BP predict  ratio   mlwb model   ORT model  ratio")
        for r in rows {
            let ref = reference[r.name]
            func ratio(_ mine: Double, _ theirs: Double?) -> String { theirs.map { String(format: "%5.2f×", mine / $0) } ?? "     –" }
            func ms(_ v: Double?) -> String { v.map { String(format: "%8.1f ms", $0 * 1000) } ?? "          –" }
            context.print(r.name.padding(toLength: 22, withPad: " ", startingAt: 0) + String(format: "%5d ", r.windows)
                + ms(r.endToEnd) + "  " + ms(ref?["predict"]) + "  " + ratio(r.endToEnd, ref?["predict"])
                + "  " + ms(r.model) + "  " + ms(ref?["model"]) + "  " + ratio(r.model, ref?["model"]))
        }
        context.print("targets: end to end ≤ 1.00× (process start included for mlwb only), model part ≤ 1.25×")
        if !referenceNote.isEmpty { context.print(referenceNote) }
    }

    /// ../shared/audio: `$MLWB_SHARED/audio`, else next to the working directory or the package holding the executable.
    static func sharedAudioDirectory(_ environment: [String: String]) -> String? {
        BenchTimer.sharedDirectory("audio", containing: "\(excerpts[0]).wav", environment: environment)
    }

    /// Runs a program and returns (status, stdout, stderr); stderr goes through a file so neither pipe can fill up.
    static func capture(_ program: String, _ arguments: [String]) throws -> (Int32, String, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        let errPath = NSTemporaryDirectory() + "mlwb-bench-stderr-\(getpid()).txt"
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: errPath) }
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle(forWritingAtPath: errPath)
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let errText = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
        return (process.terminationStatus, String(decoding: outData, as: UTF8.self), errText)
    }

    struct BenchError: Error, CustomStringConvertible {
        var description: String
        init(_ d: String) { description = d }
    }
}

/// The Python side of `mlwb bench transcribe`: Basic Pitch's `predict()` with its ONNX model on an
/// onnxruntime session limited to 2 threads, and the session runs alone on the same windows (one window
/// per run, as `predict()` does). Usage: python script.py MODEL.onnx RUNS WAV...; prints one JSON line
/// `{excerpt: {"predict": s, "model": s}, "versions": "..."}`.
enum TranscribeBenchmarkScript {
    static let source = #"""
import contextlib, json, os, sys, time
import numpy as np
import onnxruntime as ort
from basic_pitch import inference

model_path, runs, wavs = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
options = ort.SessionOptions()
options.intra_op_num_threads = 2
options.inter_op_num_threads = 1
model = inference.Model(model_path)
model.model = ort.InferenceSession(model_path, options, providers=["CPUExecutionProvider"])
session = model.model
input_name = session.get_inputs()[0].name
overlap = 30 * 256
hop = 43844 - overlap

def median(fn):
    fn()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return sorted(times)[len(times) // 2]

result = {}
with contextlib.redirect_stdout(sys.stderr):
    for wav in wavs:
        windows = [w for w, _, _ in inference.get_audio_input(wav, overlap, hop)]
        def model_only():
            for w in windows:
                session.run(None, {input_name: w})
        def whole():
            inference.predict(wav, model)
        name = os.path.basename(wav).rsplit(".", 1)[0]
        result[name] = {"model": median(model_only), "predict": median(whole), "windows": float(len(windows))}
import importlib.metadata as md
result["versions"] = "basic-pitch %s, onnxruntime %s, 2 threads" % (md.version("basic-pitch"), ort.__version__)
print(json.dumps(result))
"""#
}
