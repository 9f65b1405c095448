import Foundation
import Media
import Render

/// `mlwb bench render`: the terminal renderer in-process, and `mlwb show` end to end beside chafa.
enum RenderBenchmark {
    /// A 1024×1024 photo-like PNG in `dir`: the shared eagle photo if present, else the procedural sample.
    static func input(in dir: String, context: CommandContext) throws -> String {
        let sourcePath = ["../shared/media/eagle.png", "shared/media/eagle.png"].first { FileManager.default.fileExists(atPath: $0) }
            ?? AssetLocator.path("images/sample.png", environment: context.environment)
        guard let sourcePath else { throw MediaError.fileNotFound(path: "assets/images/sample.png") }
        let png = dir + "/bench-1024.png"
        try Image.load(sourcePath).resized(width: 1024, height: 1024).save(png)
        context.print("input: \(png) (1024×1024, from \(sourcePath))")
        return png
    }

    static func run(_ context: CommandContext, quick: Bool) throws {
        let dir = NSTemporaryDirectory() + "mlwb-bench-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }

        let png = try input(in: dir, context: context)

        // In-process: decoded image → 200×60 cells → escape bytes.
        let packed = try PNGCodec.loadPacked(png)
        let image = try Image.load(png)
        let runs = quick ? 30 : 300
        let rasterizer = HalfBlockRasterizer()
        var bytes = 0
        let tPacked = BenchTimer.median(runs: runs) {
            bytes = ANSIEncoder(mode: .truecolor, tolerance: 1).encodeLines(rasterizer.grid(for: packed, columns: 200, rows: 60)).count
        }
        let tFloat = BenchTimer.median(runs: runs) {
            _ = ANSIEncoder(mode: .truecolor, tolerance: 1).encodeLines(rasterizer.grid(for: image, columns: 200, rows: 60))
        }
        let t256 = BenchTimer.median(runs: runs) {
            _ = ANSIEncoder(mode: .palette256).encodeLines(rasterizer.grid(for: packed, columns: 200, rows: 60))
        }
        let grid = rasterizer.grid(for: packed, columns: 200, rows: 60)
        let tGrid = BenchTimer.median(runs: runs) { _ = rasterizer.grid(for: packed, columns: 200, rows: 60) }
        let tEncode = BenchTimer.median(runs: runs) { _ = ANSIEncoder(mode: .truecolor, tolerance: 1).encodeLines(grid) }
        let tDecode = BenchTimer.median(runs: quick ? 5 : 20) { _ = try? PNGCodec.loadPacked(png) }
        context.print("")
        context.print("render 1024² → 200×60 cells (median of \(runs)):")
        context.print("  24-bit, 8-bit decoded image    \(BenchTimer.ms(tPacked))   (\(bytes) bytes)   target < 1 ms")
        context.print("    of which area averaging       \(BenchTimer.ms(tGrid)), escape encoding \(BenchTimer.ms(tEncode))")
        context.print("  24-bit, float Image             \(BenchTimer.ms(tFloat))")
        context.print("  256 colours, 8-bit image        \(BenchTimer.ms(t256))")
        context.print("  (PNG decode alone: \(BenchTimer.ms(tDecode)))")

        // End to end: process start, decode, render, write — mlwb show vs chafa at 80×40.
        guard let me = AssetLocator.executablePath() else { return }
        let n = quick ? 5 : 30
        let mlwbArgs = ["show", "--size", "80x40", "--colors", "truecolor", png]
        let chafaArgs = ["-f", "symbols", "--symbols=vhalf", "-c", "full", "-s", "80x40", png]
        let chafa = BenchTimer.which("chafa")
        var mine: [Double] = [], theirs: [Double] = []
        var myBytes = 0, theirBytes = 0
        for _ in 0..<2 { _ = try BenchTimer.runProcess(me, mlwbArgs); if let chafa { _ = try BenchTimer.runProcess(chafa, chafaArgs) } }
        for _ in 0..<n {
            let a = try BenchTimer.runProcess(me, mlwbArgs)
            mine.append(a.0); myBytes = a.1
            if let chafa {
                let b = try BenchTimer.runProcess(chafa, chafaArgs)
                theirs.append(b.0); theirBytes = b.1
            }
        }
        let myMedian = mine.sorted()[n / 2]
        context.print("")
        context.print("show end to end, 1024² PNG at 80×40 (median of \(n), runs interleaved):")
        context.print("  mlwb show   \(BenchTimer.ms(myMedian))   \(myBytes) bytes")
        if chafa != nil {
            let theirMedian = theirs.sorted()[n / 2]
            context.print("  chafa       \(BenchTimer.ms(theirMedian))   \(theirBytes) bytes")
            context.print(String(format: "  speed-up %.2f× (target ≥ 2×), bytes %.3f× of chafa's (target ≤ 1)",
                                 theirMedian / myMedian, Double(myBytes) / Double(max(theirBytes, 1))))
        } else {
            context.print("  chafa not installed (apt-get install chafa) — no side-by-side numbers")
        }
    }
}
