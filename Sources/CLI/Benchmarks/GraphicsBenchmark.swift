import Foundation
import Media
import Render

/// `mlwb bench graphics`: `mlwb show` in kitty, sixel and iTerm2 modes beside chafa's, on the same
/// 1024² PNG at 80×40 cells, process start to last byte, runs interleaved.
enum GraphicsBenchmark {
    static func run(_ context: CommandContext, quick: Bool) throws {
        let dir = NSTemporaryDirectory() + "mlwb-bench-graphics-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let png = try RenderBenchmark.input(in: dir, context: context)
        guard let me = AssetLocator.executablePath() else { return }
        let chafa = BenchTimer.which("chafa")
        if chafa == nil { context.print("chafa not installed (apt-get install chafa) — mlwb's numbers only") }
        // Into a pipe no terminal reports its cell size: mlwb assumes 8×16-pixel cells, so a square picture
        // in 80×40 cells is 640×640 pixels. chafa then assumes 8×8 and squeezes it to 640×318; with
        // `-s 80x80 --font-ratio 1/1` it writes the same 640×640 pixels as mlwb, the fair comparison.
        var env = ProcessInfo.processInfo.environment
        env["MLWB_CELL_PIXELS"] = "8x16"
        let n = quick ? 5 : 20
        context.print("show end to end, 1024² PNG at 80×40 cells (median of \(n) each, same run):")
        context.print("  mode    mlwb (640×640 px)         chafa, same pixels          chafa at 80x40 (640×318 px)   targets: ≤ time, ≤ bytes")
        for (mode, chafaFormat) in [("kitty", "kitty"), ("sixel", "sixels"), ("iterm", "iterm")] {
            let mine = try measure(me, ["show", "--size", "80x40", "--graphics", mode, png], env: env, runs: n)
            var line = "  \(mode.padding(toLength: 6, withPad: " ", startingAt: 0))  " + cell(mine)
            if let chafa {
                let same = try measure(chafa, ["-f", chafaFormat, "-s", "80x80", "--font-ratio", "1/1", png], env: env, runs: n)
                let squeezed = try measure(chafa, ["-f", chafaFormat, "-s", "80x40", png], env: env, runs: n)
                line += "   " + cell(same) + "   " + cell(squeezed)
                line += String(format: "   time %.2f×, bytes %.2f× of chafa's same-pixel output", mine.seconds / same.seconds,
                               Double(mine.bytes) / Double(max(1, same.bytes)))
            }
            context.print(line)
        }
        // In process: the encoders alone on the 640×640 bitmap.
        let packed = try PNGCodec.loadPacked(png)
        let placed = PixelRenderer(.sixel).place(packed, columns: 80, rows: 40)
        let runs = quick ? 5 : 30
        context.print("")
        context.print("in process, 640×640 bitmap (median of \(runs)):")
        for (name, renderer) in [("kitty (raw RGB, base64)", PixelRenderer(.kitty)), ("sixel (median cut, no dither)", PixelRenderer(.sixel)),
                                 ("sixel --dither", PixelRenderer(.sixel, dither: true)), ("iterm (PNG, base64)", PixelRenderer(.iterm))] {
            var size = 0
            let t = try BenchTimer.median(runs: runs) { size = try renderer.encode(placed).count }
            context.print("  \(name.padding(toLength: 32, withPad: " ", startingAt: 0)) \(BenchTimer.ms(t))   \(size) bytes")
        }
        let tFit = BenchTimer.median(runs: runs) { _ = PixelRenderer(.sixel).place(packed, columns: 80, rows: 40) }
        context.print("  (1024² → 640×640 area averaging: \(BenchTimer.ms(tFit)))")
    }

    private struct Measured { var seconds: Double; var bytes: Int }

    private static func measure(_ program: String, _ arguments: [String], env: [String: String], runs: Int) throws -> Measured {
        for _ in 0..<2 { _ = try BenchTimer.runProcess(program, arguments, environment: env) }
        var times: [Double] = [], bytes = 0
        for _ in 0..<runs {
            let r = try BenchTimer.runProcess(program, arguments, environment: env)
            times.append(r.0); bytes = r.1
        }
        return Measured(seconds: times.sorted()[runs / 2], bytes: bytes)
    }

    private static func cell(_ m: Measured) -> String {
        (BenchTimer.ms(m.seconds) + "  " + "\(m.bytes) B").padding(toLength: 25, withPad: " ", startingAt: 0)
    }
}
