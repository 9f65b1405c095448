import Foundation
import Media
import Models
import Render
import TUI

/// `mlwb bench tui`: in-process timings of the workbench — start to first full frame, a full-screen
/// preview frame, and key handling. Nothing touches the terminal: frames go to a `MemoryScreen`.
enum WorkbenchBenchmark {
    static func run(_ context: CommandContext, quick: Bool) throws {
        let report = measure(environment: context.environment, repeats: quick ? 5 : 30)
        context.print(report.description)
        context.print("targets: first full frame < 150 ms; full-screen 200×60 preview frame < 5 ms; keystroke-to-screen < 50 ms")
        context.print("under load (a DeepDream, a download and a ':chords' batch at once)…")
        context.print(try WorkbenchLoadBenchmark.measure(context, seconds: quick ? 4 : 10).description)
        context.print("(a real session records the same in MLWB_TUI_STATS=FILE)")
    }

    /// What one benchmark run measured (milliseconds; medians over `repeats` unless noted).
    public struct Report: Sendable, Codable, CustomStringConvertible {
        /// Building the core (catalogs, registry, themes) and drawing the first full frame at 200×60.
        public var startToFirstFrameMs: Double
        /// Rasterising a picture to 200×60 cells and encoding the whole frame (24-bit), as after a resize.
        public var fullPreviewFrameMs: Double
        /// The same with a changed picture: only changed cells encoded (the live-preview path).
        public var diffPreviewFrameMs: Double
        /// Encoding alone (rasterised grid given) of a full 200×60 frame.
        public var encodeOnlyFrameMs: Double
        /// A full frame from a float `Image` (what model frames are), rasterise + encode.
        public var fullPreviewFrameFromFloatImageMs: Double
        /// Bytes of the full frame.
        public var fullFrameBytes: Int
        /// A key through the keymap, update and a redraw of the text layer at 200×60.
        public var keyToFrameMs: Double
        /// The worst key-to-frame time seen.
        public var keyToFrameMaxMs: Double
        public var repeats: Int

        public var description: String {
            func f(_ v: Double) -> String { HumanReadable.fixed(v, digits: 2) }
            return """
                workbench start → first full frame (200×60):  \(f(startToFirstFrameMs)) ms  (target < 150 ms)
                full-screen preview frame 200×60, full:       \(f(fullPreviewFrameMs)) ms  (\(fullFrameBytes) bytes; target < 5 ms)
                  of which encoding only:                     \(f(encodeOnlyFrameMs)) ms
                full frame from a float Image (model frames): \(f(fullPreviewFrameFromFloatImageMs)) ms
                full-screen preview frame 200×60, diff:       \(f(diffPreviewFrameMs)) ms
                key → text frame (200×60):                    \(f(keyToFrameMs)) ms median, \(f(keyToFrameMaxMs)) ms max  (target < 50 ms)
                (medians of \(repeats) runs)
                """
        }
    }

    /// Runs the benchmark; `environment` locates the catalogs, assets and themes.
    static func measure(environment: [String: String] = ProcessInfo.processInfo.environment, repeats: Int = 20) -> Report {
        let size = TerminalSize(columns: 200, rows: 60)
        // Start to first frame.
        var starts: [Double] = []
        for _ in 0..<max(3, repeats / 4) {
            let t0 = MonotonicClock.seconds()
            let themes = ThemeLibrary.load(directories: ThemeLibrary.searchDirectories(environment: environment))
            let services = WorkbenchServices.standard(environment: environment)
            let core = WorkbenchCore(size: size, services: services, themes: themes,
                                     assetsDirectory: AssetLocator.directory(environment: environment))
            core.performsEffects = false
            core.start()
            let screen = MemoryScreen(columns: size.columns, rows: size.rows)
            core.render(on: screen)
            starts.append(MonotonicClock.seconds() - t0)
        }
        // Preview frames at 200×60 cells (400×120 pixels): a picture and a changed copy.
        let picture = testPicture(width: 512, height: 308, phase: 0)
        let changed = testPicture(width: 512, height: 308, phase: 1)
        let floatPicture = picture.toImage()
        var full: [Double] = [], diff: [Double] = [], encodeOnly: [Double] = [], fromFloat: [Double] = []
        var bytes = 0
        let rasterizer = HalfBlockRasterizer()
        var differ = FrameDiffer(mode: .truecolor)
        for _ in 0..<repeats {
            differ.invalidate()
            var t0 = MonotonicClock.seconds()
            let grid = rasterizer.grid(for: picture, width: 200, height: 120)
            bytes = differ.update(to: grid, row: 1, column: 1).count
            full.append(MonotonicClock.seconds() - t0)
            t0 = MonotonicClock.seconds()
            let next = rasterizer.grid(for: changed, width: 200, height: 120)
            _ = differ.update(to: next, row: 1, column: 1)
            diff.append(MonotonicClock.seconds() - t0)
            differ.invalidate()
            t0 = MonotonicClock.seconds()
            _ = differ.update(to: grid, row: 1, column: 1)
            encodeOnly.append(MonotonicClock.seconds() - t0)
            differ.invalidate()
            t0 = MonotonicClock.seconds()
            _ = differ.update(to: rasterizer.grid(for: floatPicture, width: 200, height: 120), row: 1, column: 1)
            fromFloat.append(MonotonicClock.seconds() - t0)
        }
        // Key to frame.
        let core = WorkbenchCore(size: size, services: WorkbenchServices(registry: .standard), themes: ThemeLibrary(themes: []))
        core.performsEffects = false
        core.start()
        let screen = MemoryScreen(columns: size.columns, rows: size.rows)
        core.render(on: screen)
        var keys: [Double] = []
        let script: [Key] = [.tab, .down, .up, .character("1"), .enter, .down, .right, .left, .escape, .character("?"), .escape]
        for i in 0..<(repeats * script.count) {
            let t0 = MonotonicClock.seconds()
            core.handle(script[i % script.count])
            core.render(on: screen)
            keys.append(MonotonicClock.seconds() - t0)
        }
        func median(_ v: [Double]) -> Double { v.sorted()[v.count / 2] * 1000 }
        return Report(startToFirstFrameMs: median(starts), fullPreviewFrameMs: median(full), diffPreviewFrameMs: median(diff),
                      encodeOnlyFrameMs: median(encodeOnly), fullPreviewFrameFromFloatImageMs: median(fromFloat), fullFrameBytes: bytes, keyToFrameMs: median(keys),
                      keyToFrameMaxMs: (keys.max() ?? 0) * 1000, repeats: repeats)
    }

    /// A detailed RGB test picture (gradients and rings), shifted by `phase`.
    static func testPicture(width: Int, height: Int, phase: Int) -> PackedImage {
        var bytes = [UInt8](repeating: 255, count: width * height * 4)
        for y in 0..<height {
            for x in 0..<width {
                let i = (y * width + x) * 4
                let dx = Double(x - width / 2), dy = Double(y - height / 2)
                let ring = (sin((dx * dx + dy * dy).squareRoot() / 6 + Double(phase)) + 1) * 127.5
                bytes[i] = UInt8(x * 255 / width)
                bytes[i + 1] = UInt8(ring)
                bytes[i + 2] = UInt8(y * 255 / height)
            }
        }
        return PackedImage(width: width, height: height, bytes: bytes, isOpaque: true)
    }
}
