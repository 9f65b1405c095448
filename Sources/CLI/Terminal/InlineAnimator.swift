import Media
import Render

import Glibc

/// Plays frames in place below the prompt: reserves the lines, then redraws only the cells that
/// change (Render's `FrameDiffer`, addressed relative to a saved cursor); a status line sits below.
/// With kitty, sixel or iTerm2 graphics each changed frame is drawn as real pixels at the same place
/// (kitty: two image ids in turn, the older one deleted once the newer is up, so nothing flickers).
/// Always leaves the cursor visible and after the picture, also on Ctrl-C.
final class InlineAnimator {
    private let context: CommandContext
    private let display: DisplayOptions
    private var differ: FrameDiffer
    private var reservedRows = 0
    private var started = false
    private var lastFrameTime: Double = 0
    private var lastBitmap: Bitmap?
    private var shownImageID: UInt32?
    private var frameCount: UInt32 = 0
    /// kitty image ids of this process: two per animation, apart from other programs' (pid-based).
    private let imageIDBase = UInt32(truncatingIfNeeded: getpid() % 1_000_000) * 4 + 16
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
        guard display.drawsPictures else { return drawStatusOnly(status) }
        if let pixels = display.pixels { return draw(pixels.place(image, columns: display.columns, rows: rows), with: pixels, status: status) }
        draw(display.rasterizer.grid(for: image, columns: display.columns, rows: rows), status: status)
    }

    /// Draws 8-bit pixels (frames of an animated GIF or WebP) the same way.
    func show(_ image: PackedImage, status: String = "") {
        guard display.drawsPictures else { return drawStatusOnly(status) }
        if let pixels = display.pixels { return draw(pixels.place(image, columns: display.columns, rows: rows), with: pixels, status: status) }
        draw(display.rasterizer.grid(for: image, columns: display.columns, rows: rows), status: status)
    }

    /// Picture rows: the display's, within the terminal (a status line and the prompt stay visible).
    private var rows: Int { min(display.rows, max(1, context.terminalSize.rows - 2)) }

    private func draw(_ grid: CellGrid, status: String) {
        reserve(pictureRows: grid.rows)
        pace()
        context.write(bytes: differ.update(to: grid, row: 1, column: 1))
        writeStatus(status, below: grid.rows)
        context.flush()
    }

    /// A frame in a pixel protocol, at the saved corner; unchanged frames are not sent again.
    private func draw(_ placed: PixelRenderer.Placed, with pixels: PixelRenderer, status: String) {
        reserve(pictureRows: placed.rows)
        pace()
        if placed.bitmap != lastBitmap {
            lastBitmap = placed.bitmap
            let id = imageIDBase + frameCount % 2
            frameCount &+= 1
            context.write("\u{1B}8")
            if let bytes = try? pixels.encode(placed, imageID: id, moveCursor: false) { context.write(bytes: bytes) }
            if let old = shownImageID, old != id { context.write(bytes: pixels.delete(imageID: old)) }
            shownImageID = id
        }
        writeStatus(status, below: reservedRows - 1)
        context.flush()
    }

    private func drawStatusOnly(_ status: String) {
        reserve(pictureRows: 0)
        pace()
        writeStatus(status, below: 0)
        context.flush()
    }

    /// On the first frame: reserve the lines (scrolling if needed), go back up, remember the top-left corner.
    private func reserve(pictureRows: Int) {
        guard !started else { return }
        started = true
        reservedRows = pictureRows + 1
        context.write(String(repeating: "\n", count: reservedRows) + "\u{1B}[\(reservedRows)A\r\u{1B}7\u{1B}[?25l")
    }

    private func writeStatus(_ status: String, below rows: Int) {
        guard !status.isEmpty else { return }
        context.write("\u{1B}8" + (rows > 0 ? "\u{1B}[\(rows)B" : "") + "\r\u{1B}[2K" + String(status.prefix(max(0, display.columns - 1))))
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
