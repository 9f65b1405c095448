import Glibc
import Media
import Render

/// Writes the preview picture as half-block escape sequences after the text layer, sending only
/// the cells that changed since the last frame (Render's `FrameDiffer`), at most `maxFPS` times
/// a second. The text layer leaves the picture area blank, so ncurses and the preview never
/// write the same cells; whenever ncurses may have repainted the area (resize, overlay closed,
/// theme change, full redraw) the painter is invalidated and draws the next frame in full.
///
/// With a pixel protocol (kitty, sixel, iTerm2; `MLWB_GRAPHICS` or detected at start) the picture is
/// sent as real pixels instead, only when its version or place changed, at most `pixelFPS` times a
/// second; kitty images alternate two ids and the older one is deleted, and the shown one is deleted
/// when the picture goes away, moves or an overlay opens (kitty draws images above the text layer).
public struct PreviewPainter {
    // MARK: State

    public private(set) var differ: FrameDiffer
    /// What was last drawn: picture version and the picture area.
    private var drawn: (version: Int, area: CellRect, placed: CellRect)?
    private var lastPaint: Double = -1
    /// The cached grid for the current version and area.
    private var grid: (version: Int, area: CellRect, grid: CellGrid)?
    /// Paint at most this many frames per second.
    public var maxFPS: Double = 30
    /// Frames written and the time spent encoding them (for the stats).
    public private(set) var framesWritten = 0
    public private(set) var bytesWritten = 0
    public private(set) var secondsEncoding: Double = 0

    /// Real pixels instead of half-blocks, when the terminal has them.
    public let pixels: PixelRenderer?
    /// Frames per second in pixel mode (a frame is far more bytes than a half-block diff).
    public var pixelFPS: Double = 10
    /// The kitty image on screen, and the next id to use.
    private var shownImageID: UInt32?
    private var frameParity: UInt32 = 0
    private let imageIDBase = UInt32(truncatingIfNeeded: getpid() % 1_000_000) * 4 + 18
    private var placedPixels: (version: Int, area: CellRect, placed: PixelRenderer.Placed)?
    /// The zoomed part of the picture for a view version.
    private var cropped: (version: Int, image: Image)?

    public init(mode: ColorMode, pixels: PixelRenderer? = nil) {
        differ = FrameDiffer(mode: mode)
        self.pixels = pixels
    }

    /// Forgets what the terminal shows; the next paint is a full one.
    public mutating func invalidate() {
        differ.invalidate()
        drawn = nil
    }

    /// Deletes a kitty image still on screen (on exit, or before the picture moves); no-op otherwise.
    public mutating func removeImages(on screen: Screen) {
        guard let id = shownImageID, let pixels else { return }
        screen.writeRaw(pixels.delete(imageID: id))
        shownImageID = nil
    }

    /// Whether the terminal shows picture cells the text layer does not know about, which a
    /// text repaint must wipe when the picture goes away or shrinks.
    public var hasPainted: Bool { drawn != nil }

    // MARK: Painting

    /// What `paint` decided.
    public enum Outcome: Equatable {
        /// Nothing to do (no change, or throttled: try again soon).
        case unchanged
        case throttled
        /// Bytes written.
        case painted
        /// The picture went away or moved: the caller must repaint the text layer in full
        /// (wiping stale picture cells) and call `paint` again.
        case needsClear
    }

    /// Paints the preview for `state` on `screen` if it changed; `now` in seconds.
    public mutating func paint(_ state: AppState, on screen: Screen, now: Double) -> Outcome {
        guard state.fitsMinimum, state.overlay == nil, let full = state.preview.picture else {
            removeImages(on: screen)
            if drawn != nil { invalidate(); return .needsClear }
            return .unchanged
        }
        let area = state.layout.pictureArea(for: state.preview.annotation)
        guard area.width > 0, area.height > 0 else { return .unchanged }
        let stretch = state.preview.stretch
        // The picture's version and the part of it shown (zoom and pan) decide whether to redraw.
        let version = Self.viewVersion(state.preview)
        if let drawn, drawn.version == version, drawn.area == area { return .unchanged }
        let picture = viewed(full, state.preview, version: version)
        if let pixels { return paintPixels(picture, with: pixels, state: state, version: version, area: area, on: screen, now: now) }
        if now - lastPaint < 1 / maxFPS && drawn != nil { return .throttled }
        let began = MonotonicClock.seconds()
        let cells = self.grid(for: picture, version: version, area: area, stretch: stretch)
        let placed = CellRect(row: area.row + (area.height - cells.rows) / 2, column: area.column + (area.width - cells.columns) / 2,
                              width: cells.columns, height: cells.rows)
        if let drawn, drawn.placed != placed {
            // A different shape: stale cells outside the new picture must be wiped first.
            invalidate()
            return .needsClear
        }
        let bytes = differ.update(to: cells, row: placed.row + 1, column: placed.column + 1)
        if !bytes.isEmpty { screen.writeRaw(bytes) }
        return recordFrame(bytes: bytes.count, began: began, version: version, area: area, placed: placed, now: now)
    }

    /// The preview's version combined with its view (zoom 1 keeps the picture's own version).
    static func viewVersion(_ preview: PreviewState) -> Int {
        guard (preview.zoom > 1 && !preview.stretch) || comparing(preview) else { return preview.version }
        var hasher = Hasher()
        hasher.combine(preview.version)
        hasher.combine(preview.viewKey)
        return hasher.finalize()
    }

    /// The part of `picture` the view shows (cached per view version).
    private mutating func viewed(_ picture: Image, _ preview: PreviewState, version: Int) -> Image {
        let compare = Self.comparing(preview)
        guard (preview.zoom > 1 && !preview.stretch) || compare else { return picture }
        if let cropped, cropped.version == version { return cropped.image }
        var image = picture
        if compare, let before = preview.before {
            // Before | after, a thin dark gap between them.
            image = Image.sideBySide(before, picture, gap: max(2, picture.width / 64), background: 0.08)
        }
        if preview.zoom > 1 {
            let v = preview.viewport(width: image.width, height: image.height)
            image = (try? image.cropped(x: v.x, y: v.y, width: v.width, height: v.height)) ?? image
        }
        cropped = (version, image)
        return image
    }

    /// Whether Preview shows the run's input beside its frame.
    static func comparing(_ preview: PreviewState) -> Bool {
        preview.compare && preview.before != nil && preview.source == .run && !preview.stretch
    }

    /// Counts a written frame and remembers what the terminal now shows.
    private mutating func recordFrame(bytes: Int, began: Double, version: Int, area: CellRect, placed: CellRect, now: Double) -> Outcome {
        secondsEncoding += MonotonicClock.seconds() - began
        framesWritten += 1
        bytesWritten += bytes
        drawn = (version, area, placed)
        lastPaint = now
        return .painted
    }

    /// The pixel path: the picture fitted into `area` at the cell size, centred, sent whole.
    private mutating func paintPixels(_ picture: Image, with pixels: PixelRenderer, state: AppState, version: Int, area: CellRect,
                                      on screen: Screen, now: Double) -> Outcome {
        if now - lastPaint < 1 / pixelFPS && drawn != nil { return .throttled }
        let began = MonotonicClock.seconds()
        let fitted: PixelRenderer.Placed
        if let cached = placedPixels, cached.version == version, cached.area == area {
            fitted = cached.placed
        } else {
            // A stretched plot is first scaled to the area's pixels, so fitting it fills the area.
            let source = state.preview.stretch ? picture.resized(width: area.width * pixels.cell.width, height: area.height * pixels.cell.height) : picture
            fitted = pixels.place(source, columns: area.width, rows: area.height)
            placedPixels = (version, area, fitted)
        }
        let placed = CellRect(row: area.row + (area.height - fitted.rows) / 2, column: area.column + (area.width - fitted.columns) / 2,
                              width: fitted.columns, height: fitted.rows)
        if let drawn, drawn.placed != placed {
            removeImages(on: screen)
            invalidate()
            return .needsClear
        }
        let id = imageIDBase + frameParity % 2
        frameParity &+= 1
        var bytes = Array("\u{1B}7\u{1B}[\(placed.row + 1);\(placed.column + 1)H".utf8)
        bytes += (try? pixels.encode(fitted, imageID: id, moveCursor: false)) ?? []
        if let old = shownImageID, old != id { bytes += pixels.delete(imageID: old) }
        bytes += Array("\u{1B}8".utf8)
        shownImageID = pixels.graphicsProtocol == .kitty ? id : nil
        screen.writeRaw(bytes)
        return recordFrame(bytes: bytes.count, began: began, version: version, area: area, placed: placed, now: now)
    }

    /// The half-block grid of `picture` fitted into `area` (cached per version and area).
    /// With `stretch` the picture fills the area exactly (plots), otherwise it keeps its aspect ratio.
    mutating func grid(for picture: Image, version: Int, area: CellRect, stretch: Bool = false) -> CellGrid {
        if let grid, grid.version == version, grid.area == area { return grid.grid }
        let rasterizer = HalfBlockRasterizer()
        let cells = stretch ? rasterizer.grid(for: picture, width: area.width, height: area.height * 2)
                            : rasterizer.grid(for: picture, columns: area.width, rows: area.height)
        grid = (version, area, cells)
        return cells
    }
}
