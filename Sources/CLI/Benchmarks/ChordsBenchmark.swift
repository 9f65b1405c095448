import Audio
import Foundation
import Media
import Models

/// `mlwb bench chords`: the NNLS chord recogniser on a 30 s file (a shared chord excerpt looped to
/// 30.0 s, or a synthetic progression without ../shared): in process with decoding included and
/// excluded, per stage, for a stereo 48 kHz copy, and `mlwb chords IN -o OUT.lab` as a whole process;
/// medians of several runs. The target is 300× real time end to end on the machine's cores.
enum ChordsBenchmark {
    static let target = 300.0
    static let seconds = 30.0

    static func run(_ context: CommandContext, quick: Bool) throws {
        let runs = quick ? 3 : 9
        let scratch = NSTemporaryDirectory() + "mlwb-bench-chords-\(getpid())"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }

        let (clip, source) = try testClip(context.environment)
        let mono = "\(scratch)/chords-30s-44k-mono.wav", stereo = "\(scratch)/chords-30s-48k-stereo.wav"
        try AudioFile.save(clip, to: mono, format: .wav(.pcm16))
        let wide = clip.resampled(to: 48_000)
        try AudioFile.save(AudioClip(sampleRate: 48_000, channels: [wide.samples, wide.samples.map { $0 * 0.8 }]), to: stereo,
                           format: .wav(.pcm16))
        context.print("input: \(String(format: "%.1f", clip.duration)) s, \(source)")
        context.print("cores: \(ProcessInfo.processInfo.activeProcessorCount); runs: median of \(runs) after a warm-up")
        context.flush()

        let recognizer = ChordRecognizer()
        var segments = 0
        let endToEnd = try BenchTimer.median(runs: runs, warmup: 1) {
            let result = recognizer.recognize(try AudioFile.load(mono))
            segments = result.segments.count
        }
        let stereoEndToEnd = try BenchTimer.median(runs: runs, warmup: 1) {
            _ = recognizer.recognize(try AudioFile.load(stereo))
        }
        let decoded = try AudioFile.load(mono)
        let decode = try BenchTimer.median(runs: runs, warmup: 1) { _ = try AudioFile.load(mono) }
        let analysis = BenchTimer.median(runs: runs, warmup: 1) { _ = recognizer.recognize(decoded) }
        let resample = BenchTimer.median(runs: runs, warmup: 1) { _ = decoded.mono().resampled(to: NNLSChroma.sampleRate, quality: .fast) }
        let samples = decoded.mono().resampled(to: NNLSChroma.sampleRate, quality: .fast).samples
        var frames = NNLSChroma.analyse(samples: samples)
        let chroma = BenchTimer.median(runs: runs, warmup: 1) { frames = NNLSChroma.analyse(samples: samples) }
        let hmm = BenchTimer.median(runs: runs, warmup: 1) { _ = recognizer.decode(frames) }

        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        let lab = "\(scratch)/out.lab"
        let process = try BenchTimer.median(runs: runs, warmup: 1) {
            let (_, _, status) = try BenchTimer.runProcess(executable, ["chords", mono, "-o", lab], environment: context.environment)
            guard status == 0 else { throw MediaError.invalidArgument("mlwb chords \(mono) exited with status \(status)") }
        }

        func row(_ name: String, _ t: Double, target: Bool = false) -> String {
            let factor = clip.duration / t
            return name.padding(toLength: 58, withPad: " ", startingAt: 0) + String(format: "%8.1f ms  %7.0f× real time", t * 1000, factor)
                + (target ? (factor >= Self.target ? "  ✓ (≥ \(Int(Self.target))×)" : "  ✗ (target ≥ \(Int(Self.target))×)") : "")
        }
        context.print(row("in process, decode included (44.1 kHz mono WAV)", endToEnd, target: true))
        context.print(row("in process, decode included (48 kHz stereo WAV)", stereoEndToEnd, target: true))
        context.print(row("in process, decode excluded", analysis))
        context.print(row("  decode (libsndfile)", decode))
        context.print(row("  mono + resample to 11,025 Hz", resample))
        context.print(row("  NNLS chroma (STFT, log-frequency map, NNLS, \(frames.frameCount) frames)", chroma))
        context.print(row("  HMM decoding (\(recognizer.decoder.stateCount) states)", hmm))
        context.print(row("mlwb chords IN -o OUT.lab (process: start, decode, write)", process, target: true))
        context.print("\(segments) segments; target ≥ \(Int(target))× real time end to end")
    }

    /// 30 s of audio: the shared piano excerpt looped, or a synthetic I–V–vi–IV progression.
    static func testClip(_ environment: [String: String]) throws -> (AudioClip, String) {
        let name = "chords_piano_pop_96"
        if let directory = BenchTimer.sharedDirectory("mir/chords", containing: "\(name).wav", environment: environment) {
            let clip = try AudioFile.load("\(directory)/\(name).wav").mono()
            let count = Int(seconds * Double(clip.sampleRate))
            var samples = clip.samples
            while samples.count < count { samples += clip.samples.prefix(count - samples.count) }
            return (AudioClip(sampleRate: clip.sampleRate, mono: Array(samples.prefix(count))), "\(name).wav looped to 30 s")
        }
        let progression = [[48, 60, 64, 67], [43, 59, 62, 67], [45, 57, 60, 64], [41, 57, 60, 65]]
        var notes: [(pitch: Int, start: Double, end: Double, velocity: Int)] = []
        var t = 0.0, i = 0
        while t < seconds {
            for pitch in progression[i % progression.count] { notes.append((pitch, t, min(seconds, t + 1.9), 90)) }
            t += 2; i += 1
        }
        return (AudioClip.notes(notes, sampleRate: 44_100, duration: seconds), "synthetic progression (../shared/mir/chords not found)")
    }
}
