import Media
import Render

/// Writes the preview picture as half-block escape sequences after the text layer, sending only
/// the cells that changed since the last frame (Render's `FrameDiffer`), at most `maxFPS` times
/// a second. The text layer leaves the picture area blank, so ncurses and the preview never
/// write the same cells; whenever ncurses may have repainted the area (resize, overlay closed,
/// theme change, full redraw) the painter is invalidated and draws the next frame in full.
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

    public init(mode: ColorMode) {
        differ = FrameDiffer(mode: mode)
    }

    /// Forgets what the terminal shows; the next paint is a full one.
    public mutating func invalidate() {
        differ.invalidate()
        drawn = nil
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
        guard state.fitsMinimum, state.overlay == nil, let picture = state.preview.picture else {
            if drawn != nil { invalidate(); return .needsClear }
            return .unchanged
        }
        let area = Layout(size: state.size).pictureArea
        guard area.width > 0, area.height > 0 else { return .unchanged }
        if let drawn, drawn.version == state.preview.version, drawn.area == area { return .unchanged }
        if now - lastPaint < 1 / maxFPS && drawn != nil { return .throttled }
        let began = MonotonicClock.seconds()
        let cells = self.grid(for: picture, version: state.preview.version, area: area)
        let placed = CellRect(row: area.row + (area.height - cells.rows) / 2, column: area.column + (area.width - cells.columns) / 2,
                              width: cells.columns, height: cells.rows)
        if let drawn, drawn.placed != placed {
            // A different shape: stale cells outside the new picture must be wiped first.
            invalidate()
            return .needsClear
        }
        let bytes = differ.update(to: cells, row: placed.row + 1, column: placed.column + 1)
        if !bytes.isEmpty { screen.writeRaw(bytes) }
        secondsEncoding += MonotonicClock.seconds() - began
        framesWritten += 1
        bytesWritten += bytes.count
        drawn = (state.preview.version, area, placed)
        lastPaint = now
        return .painted
    }

    /// The half-block grid of `picture` fitted into `area` (cached per version and area).
    mutating func grid(for picture: Image, version: Int, area: CellRect) -> CellGrid {
        if let grid, grid.version == version, grid.area == area { return grid.grid }
        let cells = HalfBlockRasterizer().grid(for: picture, columns: area.width, rows: area.height)
        grid = (version, area, cells)
        return cells
    }
}
