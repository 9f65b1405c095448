/// The size of one terminal cell in pixels, which turns a box of cells into a box of pixels.
public struct CellPixelSize: Equatable, Sendable {
    /// Pixels across one cell.
    public var width: Int
    /// Pixels down one cell.
    public var height: Int

    /// A cell of `width × height` pixels (each at least 1).
    public init(width: Int, height: Int) {
        self.width = max(1, width)
        self.height = max(1, height)
    }

    /// What most terminal fonts at their default size come close to, used when the terminal does not say.
    public static let fallback = CellPixelSize(width: 8, height: 16)

    /// Parses `WxH` (as in `MLWB_CELL_PIXELS=10x20`), each 1–512.
    public init?(argument: String) {
        let parts = argument.lowercased().split(separator: "x").compactMap { Int($0) }
        guard parts.count == 2, (1...512).contains(parts[0]), (1...512).contains(parts[1]) else { return nil }
        self.init(width: parts[0], height: parts[1])
    }

    /// The most pixels one picture is sent with (4096², 50 MB of RGB): a huge `--size` box is not a
    /// reason to allocate gigabytes, and terminals cap images near there anyway.
    public static let maxPixels = 4096 * 4096

    /// The pixel size a `width × height` picture gets when fitted into `columns × rows` cells with its
    /// aspect kept (and at most `maxPixels`), and the cells it then covers.
    public func fit(width: Int, height: Int, columns: Int, rows: Int) -> (width: Int, height: Int, columns: Int, rows: Int) {
        guard width > 0, height > 0, columns > 0, rows > 0 else { return (0, 0, 0, 0) }
        let boxW = Double(columns * self.width), boxH = Double(rows * self.height)
        var scale = min(boxW / Double(width), boxH / Double(height))
        scale = min(scale, (Double(Self.maxPixels) / (Double(width) * Double(height))).squareRoot())
        let w = max(1, min(columns * self.width, Int((Double(width) * scale).rounded())))
        let h = max(1, min(rows * self.height, Int((Double(height) * scale).rounded())))
        return (w, h, (w + self.width - 1) / self.width, (h + self.height - 1) / self.height)
    }
}
