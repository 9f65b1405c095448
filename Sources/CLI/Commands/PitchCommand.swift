import Audio
import Foundation
import Media
import Models
import Render

/// `mlwb pitch IN -o OUT.csv`: a pitch contour with SwiftF0.
enum PitchCommand: Command {
    static let output = Option<String?>("output", short: "o", value: "OUT.csv", help: "Write the contour as CSV (time_s,f0_hz,confidence,voiced)")
    static let show = Option<Bool>(flag: "show", help: "Draw the contour in the terminal (voiced frames bright, unvoiced dim)")

    static let spec = CommandSpec(
        name: "pitch",
        abstract: "Track the pitch of monophonic audio (SwiftF0, run natively)",
        positionals: [.init("AUDIO", "WAV, FLAC or OGG file (any rate, mixed to mono, resampled to 16 kHz)")],
        options: [output.spec] + ParameterOptions.specs(SwiftF0.parameterSpecs, valueNames: ["fmin": "HZ", "fmax": "HZ"])
            + [show.spec] + DisplayOptions.specs(),
        discussion: "Uses the checkpoint 'swift_f0' from the store ($MLWB_HOME): get it with 'mlwb checkpoints get swift_f0' "
            + "or 'mlwb checkpoints import swift-f0-0.3.0.onnx'. One frame every 256 samples at 16 kHz (16 ms), "
            + "frame i centred at (256·i + 127.5) / 16000 s.",
        examples: ["mlwb pitch voice.wav -o voice.f0.csv", "mlwb pitch flute.flac --show --fmin 200 --fmax 2000"])

    static func run(_ arguments: ParsedArguments, in context: CommandContext) throws -> Int32 {
        let settings: (fmin: Double, fmax: Double, threshold: Double)
        do {
            settings = try SwiftF0.settings(try ParameterOptions.read(SwiftF0.parameterSpecs, from: arguments))
        } catch let error as ParameterError {
            throw UsageError("--" + error.message)
        }
        let (fmin, fmax, threshold) = settings
        let output = try arguments[output]
        let showing = try arguments[show]
        guard output != nil || showing else { throw UsageError("say where the contour goes: -o OUT.csv and/or --show") }
        let display = showing ? try DisplayOptions(arguments, context: context) : nil
        if let output { try AtomicFile.checkWritable(output) }

        let tracker = try SwiftF0.tracker(context: try CheckpointsSupport.modelContext(context))
        let clip = try AudioFile.load(arguments.positionals[0])
        let frames = try tracker.track(clip, fmin: fmin, fmax: fmax, threshold: threshold)
        if let output { try AtomicFile.write(Array(csv(frames).utf8), to: output) }
        let voiced = frames.filter(\.voiced)
        var summary = "\(frames.count) frames, \(voiced.count) voiced"
        if !voiced.isEmpty {
            let f = voiced.map(\.frequency).sorted()
            summary += String(format: " (%.1f–%.1f Hz, median %.1f Hz)", f.first!, f.last!, f[f.count / 2])
        }
        if let output { summary += " → \(output)" }
        context.print(summary)
        if let display {
            let rows = min(display.rows, 20)
            let picture = contourPicture(frames, width: display.columns, height: rows * 2, fmin: fmin, fmax: fmax, duration: clip.duration)
            context.write(bytes: try display.plot(picture, columns: picture.width, rows: picture.height / 2))
        }
        return ExitStatus.success
    }

    /// CSV `time_s,f0_hz,confidence,voiced` (voiced as 1/0).
    static func csv(_ frames: [PitchFrame]) -> String {
        var out = "time_s,f0_hz,confidence,voiced\n"
        for f in frames {
            out += "\(f.time)," + String(format: "%.3f,%.5f,", f.frequency, f.confidence) + (f.voiced ? "1" : "0") + "\n"
        }
        return out
    }

    /// The contour as a picture: time to the right, log frequency upwards (range fitted to the voiced frames,
    /// at least an octave), octave lines at every C; voiced frames in amber, unvoiced ones dim by confidence.
    static func contourPicture(_ frames: [PitchFrame], width: Int, height: Int, fmin: Double, fmax: Double, duration: Double) -> Image {
        var image = Image(width: max(1, width), height: max(1, height), fill: [0.05, 0.05, 0.08])
        guard !frames.isEmpty, width > 0, height > 0 else { return image }
        let voiced = frames.filter(\.voiced).map(\.frequency)
        var low = (voiced.min() ?? fmin) / pow(2, 1.0 / 6), high = (voiced.max() ?? fmax) * pow(2, 1.0 / 6)
        if log2(high / low) < 1 { let mid = sqrt(low * high); low = mid / sqrt(2); high = mid * sqrt(2) }
        let span = max(duration, frames.last!.time, 1e-3)
        func y(_ hz: Double) -> Int? {
            guard hz > 0 else { return nil }
            let v = (log2(hz) - log2(low)) / (log2(high) - log2(low))
            guard v >= 0, v <= 1 else { return nil }
            return min(height - 1, max(0, Int(((1 - v) * Double(height - 1)).rounded())))
        }
        // Octave lines at every C (MIDI pitch multiple of 12).
        var c = 440 * pow(2, (Double(12 * Int((69 + 12 * log2(low / 440)) / 12)) - 69) / 12)
        while c <= high {
            if let yy = y(c) { for x in 0..<width { image.setPixel(x, yy, SIMD4(0.16, 0.16, 0.22, 1)) } }
            c *= 2
        }
        var previous: (x: Int, y: Int)?
        for f in frames {
            let x = min(width - 1, Int(f.time / span * Double(width)))
            guard let yy = y(f.frequency) else { previous = nil; continue }
            if f.voiced {
                let color = SIMD4<Float>(0.98, 0.7, 0.25, 1)
                if let p = previous, x - p.x <= 2 {   // join neighbouring voiced points
                    for yk in min(p.y, yy)...max(p.y, yy) { image.setPixel(x, yk, color) }
                }
                image.setPixel(x, yy, color)
                previous = (x, yy)
            } else {
                let g = Float(0.15 + 0.35 * min(max(f.confidence, 0), 1))
                image.setPixel(x, yy, SIMD4(g, g, g * 1.2, 1))
                previous = nil
            }
        }
        return image
    }
}
