import Media

/// Pictures as real pixels: fits an image into a box of cells at the terminal's cell size, area-averages
/// it to that many pixels and writes it in one protocol (kitty, sixel or iTerm2), through tmux if asked.
public struct PixelRenderer: Sendable {
    /// The protocol written.
    public var graphicsProtocol: GraphicsProtocol
    /// Pixels per cell.
    public var cell: CellPixelSize
    /// Whether every sequence is wrapped in tmux's passthrough.
    public var tmuxPassthrough: Bool
    /// Floyd–Steinberg dithering of sixel's palette.
    public var dither: Bool
    /// Downsampling (linear light or not) and the colour behind transparent pixels.
    public var rasterizer: HalfBlockRasterizer

    /// A renderer for `graphicsProtocol` at `cell` pixels per cell.
    public init(_ graphicsProtocol: GraphicsProtocol, cell: CellPixelSize = .fallback, tmuxPassthrough: Bool = false,
                dither: Bool = false, rasterizer: HalfBlockRasterizer = HalfBlockRasterizer()) {
        self.graphicsProtocol = graphicsProtocol
        self.cell = cell
        self.tmuxPassthrough = tmuxPassthrough
        self.dither = dither
        self.rasterizer = rasterizer
    }

    /// A picture ready to send: its pixels and the cells it covers.
    public struct Placed: Equatable, Sendable {
        public var bitmap: Bitmap
        public var columns: Int
        public var rows: Int
    }

    // MARK: Fitting

    /// Borrowed 8-bit pixels fitted into `columns × rows` cells.
    public func place(_ pixels: PackedPixels, columns: Int, rows: Int) -> Placed {
        place(width: pixels.width, height: pixels.height, columns: columns, rows: rows) {
            rasterizer.pixels(for: pixels, width: $0, height: $1)
        }
    }

    /// An 8-bit image fitted into `columns × rows` cells.
    public func place(_ image: PackedImage, columns: Int, rows: Int) -> Placed {
        image.withPixels { place($0, columns: columns, rows: rows) }
    }

    /// A float image fitted into `columns × rows` cells.
    public func place(_ image: Image, columns: Int, rows: Int) -> Placed {
        place(width: image.width, height: image.height, columns: columns, rows: rows) {
            rasterizer.pixels(for: image, width: $0, height: $1)
        }
    }

    /// A `width × height` picture fitted into the box; `resample` makes the pixels at the fitted size.
    private func place(width: Int, height: Int, columns: Int, rows: Int, resample: (Int, Int) -> [RGB8]) -> Placed {
        let fit = cell.fit(width: width, height: height, columns: columns, rows: rows)
        return Placed(bitmap: Bitmap(width: fit.width, height: fit.height, pixels: resample(fit.width, fit.height)),
                      columns: fit.columns, rows: fit.rows)
    }

    /// A float image (a plot drawn for `columns × rows` cells) stretched over exactly that box, at the
    /// cells' pixel size.
    public func stretch(_ image: Image, columns: Int, rows: Int) -> Placed {
        let w = columns * cell.width, h = rows * cell.height
        return Placed(bitmap: Bitmap(width: w, height: h, pixels: rasterizer.pixels(for: image, width: w, height: h)),
                      columns: columns, rows: rows)
    }

    // MARK: Writing

    /// The bytes that draw `placed` at the cursor. kitty images get `imageID` when given, and with
    /// `moveCursor: false` leave the cursor where it was (the other protocols always move it).
    public func encode(_ placed: Placed, imageID: UInt32? = nil, moveCursor: Bool = true) throws -> [UInt8] {
        var writer = EscapeWriter(tmuxPassthrough: tmuxPassthrough, reserving: placed.bitmap.pixels.count)
        switch graphicsProtocol {
        case .kitty:
            KittyEncoder().display(placed.bitmap, columns: placed.columns, rows: placed.rows,
                                   imageID: imageID, moveCursor: moveCursor, into: &writer)
        case .sixel:
            SixelEncoder(dither: dither).display(placed.bitmap, into: &writer)
        case .iterm:
            ITermEncoder().display(png: try placed.bitmap.pngBytes(), columns: placed.columns, rows: placed.rows, into: &writer)
        }
        return writer.bytes
    }

    /// The bytes that remove kitty image `imageID` (nothing for the other protocols, whose pixels are
    /// simply drawn over).
    public func delete(imageID: UInt32) -> [UInt8] {
        guard graphicsProtocol == .kitty else { return [] }
        var writer = EscapeWriter(tmuxPassthrough: tmuxPassthrough)
        KittyEncoder().delete(imageID: imageID, into: &writer)
        return writer.bytes
    }
}
