/// Where each pane goes for a terminal size.
///
/// ```
/// ┌1 Models────────┐┌4 Preview──────────────────┐
/// │                ││                           │
/// ├2 Media─────────┤│                           │
/// │                │└───────────────────────────┘
/// │                │┌3 Downloads────────────────┐
/// └────────────────┘└───────────────────────────┘
///  status bar / command line
/// ```
public struct Layout: Equatable, Sendable {
    /// Below this the workbench shows "terminal too small".
    public static let minimumSize = TerminalSize(columns: 60, rows: 18)

    public var models: CellRect
    public var media: CellRect
    public var downloads: CellRect
    public var preview: CellRect
    /// The bottom row.
    public var statusBar: CellRect

    /// Whether Preview takes the whole screen above the status bar (`f`); the other panes are empty.
    public var previewFullscreen = false

    /// The layout for `size` (meaningful when the size fits the minimum); with `previewFullscreen`
    /// the Preview pane covers every row above the status bar.
    public init(size: TerminalSize, previewFullscreen: Bool = false) {
        let columns = size.columns, rows = size.rows
        let body = max(0, rows - 1)
        self.previewFullscreen = previewFullscreen
        if previewFullscreen {
            models = CellRect(row: 0, column: 0, width: 0, height: 0)
            media = models
            downloads = models
            preview = CellRect(row: 0, column: 0, width: columns, height: body)
            statusBar = CellRect(row: max(0, rows - 1), column: 0, width: columns, height: 1)
            return
        }
        let leftWidth = min(max(columns * 2 / 5, 28), 60)
        let rightWidth = columns - leftWidth
        let modelsHeight = max(6, body * 11 / 20)
        models = CellRect(row: 0, column: 0, width: leftWidth, height: modelsHeight)
        media = CellRect(row: modelsHeight, column: 0, width: leftWidth, height: body - modelsHeight)
        let downloadsHeight = min(max(body / 4, 6), 14)
        preview = CellRect(row: 0, column: leftWidth, width: rightWidth, height: body - downloadsHeight)
        downloads = CellRect(row: body - downloadsHeight, column: leftWidth, width: rightWidth, height: downloadsHeight)
        statusBar = CellRect(row: max(0, rows - 1), column: 0, width: columns, height: 1)
    }

    /// The rectangle of `pane`.
    public func rect(of pane: PaneID) -> CellRect {
        switch pane {
        case .models: return models
        case .media: return media
        case .downloads: return downloads
        case .preview: return preview
        }
    }

    /// The cells the preview picture may use: the Preview pane's inside minus its info line.
    public var pictureArea: CellRect { pictureArea(for: nil) }

    /// The picture's cells when `annotation` takes a gutter on the left and rows below (the picture
    /// keeps at least two rows; bars that do not fit are dropped by the pane).
    public func pictureArea(for annotation: PreviewAnnotation?) -> CellRect {
        let inside = preview.inset(1)
        let full = CellRect(row: inside.row, column: inside.column, width: inside.width, height: max(0, inside.height - 1))
        guard let annotation else { return full }
        let gutter = min(annotation.gutterWidth, max(0, full.width - 8))
        let below = min(annotation.rowsBelow, max(0, full.height - 2))
        return CellRect(row: full.row, column: full.column + gutter, width: full.width - gutter, height: full.height - below)
    }

    /// The pixel size a picture fills (two pixels per cell vertically).
    public var picturePixels: TerminalSize {
        TerminalSize(columns: pictureArea.width, rows: pictureArea.height * 2)
    }
}
