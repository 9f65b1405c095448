import Media
import Render

import Glibc

/// Plays frames in place below the prompt: reserves the lines, then redraws only the cells that
/// change (Render's `FrameDiffer`, addressed relative to a saved cursor); a status line sits below.
/// Always leaves the cursor visible and after the picture, also on Ctrl-C.
final class InlineAnimator {
    private let context: CommandContext
    private let display: DisplayOptions
    private var differ: FrameDiffer
    private var reservedRows = 0
    private var started = false
    private var lastFrameTime: Double = 0
    /// Frames per second the animation is limited to.
    let maxFPS: Double

    init(context: CommandContext, display: DisplayOptions, maxFPS: Double = 30) {
        self.context = context
        self.display = display
        self.maxFPS = maxFPS
        differ = FrameDiffer(mode: display.mode, tolerance: display.tolerance, fromSavedCursor: true)
    }

    /// Draws `image` (the first call reserves the space); `status` goes on the line below.
    func show(_ image: Image, status: String = "") {
        draw(display.rasterizer.grid(for: image, columns: display.columns, rows: rows), status: status)
    }

    /// Draws 8-bit pixels (frames of an animated GIF or WebP) the same way.
    func show(_ image: PackedImage, status: String = "") {
        draw(display.rasterizer.grid(for: image, columns: display.columns, rows: rows), status: status)
    }

    /// Picture rows: the display's, within the terminal (a status line and the prompt stay visible).
    private var rows: Int { min(display.rows, max(1, context.terminalSize.rows - 2)) }

    private func draw(_ grid: CellGrid, status: String) {
        if !started {
            started = true
            reservedRows = grid.rows + 1
            // Reserve the lines (scrolling if needed), go back up, remember the top-left corner.
            context.write(String(repeating: "\n", count: reservedRows) + "\u{1B}[\(reservedRows)A\r\u{1B}7\u{1B}[?25l")
        }
        pace()
        context.write(bytes: differ.update(to: grid, row: 1, column: 1))
        if !status.isEmpty {
            context.write("\u{1B}8\u{1B}[\(grid.rows)B\r\u{1B}[2K" + String(status.prefix(max(0, display.columns - 1))))
        }
        context.flush()
    }

    /// Moves the cursor below the picture and shows it again.
    func finish() {
        guard started else { return }
        context.write("\u{1B}8\u{1B}[\(reservedRows)B\r\u{1B}[0m\u{1B}[?25h")
        context.flush()
        started = false
    }

    private func pace() {
        let now = MonotonicClock.seconds()
        let wait = 1 / maxFPS - (now - lastFrameTime)
        if wait > 0 { usleep(UInt32(wait * 1e6)) }
        lastFrameTime = MonotonicClock.seconds()
    }
}
