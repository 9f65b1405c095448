import Glibc
import Media
import Render

/// How pictures are drawn in the terminal: colour mode, box size and fidelity, read from the options
/// every displaying command shares (`show`, `transcribe --show`, `dream --show`, …).
struct DisplayOptions {
    var mode: ColorMode
    var columns: Int
    var rows: Int
    var linearLight: Bool
    var tolerance: Int
    /// The pixel protocol chosen, nil for half-blocks.
    var pixels: PixelRenderer?
    /// False with `--graphics none`: the text that goes with a picture, no picture.
    var drawsPictures: Bool
    /// Why this way of drawing was chosen.
    var graphicsReason: String

    // MARK: Options

    /// The box in cells; named `size`, or `show-size` where `--size` means pixels (dream, canvas, mask).
    static func box(_ name: String) -> Option<(columns: Int, rows: Int)?> {
        let spec = OptionSpec(name, value: "WxH", help: "Fit the picture into W×H terminal cells (default: the terminal's size)",
                              rangeText: "1x1–4096x4096")
        return .single(spec, fallback: nil) { text in
            let parts = text.lowercased().split(separator: "x", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 2, let w = Int(parts[0]), let h = Int(parts[1]), (1...4096).contains(w), (1...4096).contains(h) else {
                throw UsageError("--\(name) expects columns×rows like 80x40 (each 1–4096), got '\(text)'")
            }
            return (w, h)
        }
    }

    static let colors: Option<ColorMode?> = .single(
        OptionSpec("colors", value: "MODE", help: "Colour mode (default: detected from COLORTERM, TERM and NO_COLOR)",
                   rangeText: "truecolor, 256, 16 or none"), fallback: nil) { text in
        guard let mode = ColorMode(argument: text) else { throw UsageError("--colors must be truecolor, 256, 16 or none, got '\(text)'") }
        return mode
    }
    static let linear = Option<Bool>(flag: "linear", help: "Average pixels in linear light (truer fine detail, a little slower)")
    static let exact = Option<Bool>(flag: "exact",
                                    help: "Reproduce every 24-bit colour exactly (default: reuse colours within 1/255, which saves bytes invisibly)")
    static let graphics: Option<GraphicsMode?> = .single(
        OptionSpec("graphics", value: "MODE",
                   help: "How pictures are drawn: real pixels (kitty, sixel, iTerm2) or half-blocks (default: MLWB_GRAPHICS, else auto — "
                       + "asks the terminal, half-blocks when it does not answer, in tmux or into a pipe)",
                   rangeText: "auto, kitty, sixel, iterm, halfblock or none"), fallback: nil) { text in
        guard let mode = GraphicsMode(argument: text) else {
            throw UsageError("--graphics must be auto, kitty, sixel, iterm, halfblock or none, got '\(text)'")
        }
        return mode
    }
    static let dither = Option<Bool>(flag: "dither", help: "With sixel: Floyd–Steinberg dithering of the 256-colour palette")

    /// The shared options, with the box option named `boxName`.
    static func specs(boxName: String = "size") -> [OptionSpec] {
        [box(boxName).spec, colors.spec, graphics.spec, dither.spec, linear.spec, exact.spec]
    }

    // MARK: Reading

    /// Reads the shared options; `defaultRows` caps the height when no box is given.
    init(_ arguments: ParsedArguments, context: CommandContext, boxName: String = "size", defaultRows: Int? = nil) throws {
        mode = try arguments[Self.colors] ?? DisplayOptions.detectMode(context.environment)
        if let box = try arguments[Self.box(boxName)] {
            columns = box.columns
            rows = box.rows
        } else {
            let terminal = context.terminalSize
            columns = terminal.columns
            // Fit the terminal's width; on a terminal also its height (minus a line for the prompt).
            rows = context.stdoutIsTTY ? max(1, terminal.rows - 1) : 4096
            if let cap = defaultRows { rows = min(rows, cap) }
        }
        linearLight = try arguments[Self.linear]
        tolerance = try arguments[Self.exact] ? 0 : 1
        let environment = context.environment
        var mode = try arguments[Self.graphics]
        if mode == nil, let name = environment["MLWB_GRAPHICS"], !name.isEmpty {
            guard let named = GraphicsMode(argument: name) else {
                throw UsageError("MLWB_GRAPHICS must be auto, kitty, sixel, iterm, halfblock or none, got '\(name)'")
            }
            mode = named
        }
        let choice = GraphicsDetector.choose(mode ?? .auto, environment: environment, isTTY: context.stdoutIsTTY) {
            let tty = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC)
            guard tty >= 0 else { return GraphicsDetector.Answer() }
            defer { close(tty) }
            return GraphicsDetector.ask(fd: tty)
        }
        drawsPictures = mode != GraphicsMode.none
        graphicsReason = choice.reason
        pixels = choice.graphicsProtocol.map {
            PixelRenderer($0, cell: GraphicsDetector.cellPixelSize(environment: environment), tmuxPassthrough: choice.tmuxPassthrough,
                          dither: (try? arguments[Self.dither]) ?? false, rasterizer: HalfBlockRasterizer(linearLight: linearLight))
        }
    }

    /// The colour mode for this terminal: environment first, then its terminfo entry.
    static func detectMode(_ environment: [String: String]) -> ColorMode {
        let guess = ColorMode.detect(environment: environment)
        guard guess == .ansi16, let term = environment["TERM"] else { return guess }
        let colors = TerminalInfo.colors(term: term)
        return ColorMode.detect(environment: environment, terminfoColors: colors)
    }

    var rasterizer: HalfBlockRasterizer { HalfBlockRasterizer(linearLight: linearLight) }
    var encoder: ANSIEncoder { ANSIEncoder(mode: mode, tolerance: tolerance) }

    // MARK: Drawing

    /// The bytes that draw a plot made for `columns × (2·rows)` pixels over exactly that box of cells,
    /// ending on a new line (nothing with `--graphics none`).
    func plot(_ picture: Image, columns: Int, rows: Int) throws -> [UInt8] {
        guard drawsPictures else { return [] }
        if let pixels {
            return try pixels.encode(pixels.stretch(picture, columns: columns, rows: rows)) + Array("\n".utf8)
        }
        return encoder.encodeLines(rasterizer.grid(for: picture, width: picture.width, height: picture.height))
    }

    /// The bytes that draw 8-bit pixels fitted into the display's box, ending on a new line.
    func picture(_ image: PackedPixels) throws -> [UInt8] {
        guard drawsPictures else { return [] }
        if let pixels { return try pixels.encode(pixels.place(image, columns: columns, rows: rows)) + Array("\n".utf8) }
        return encoder.encodeLines(rasterizer.grid(for: image, columns: columns, rows: rows))
    }

    /// The bytes that draw a float image fitted into the display's box, ending on a new line.
    func picture(_ image: Image) throws -> [UInt8] {
        guard drawsPictures else { return [] }
        if let pixels { return try pixels.encode(pixels.place(image, columns: columns, rows: rows)) + Array("\n".utf8) }
        return encoder.encodeLines(rasterizer.grid(for: image, columns: columns, rows: rows))
    }
}
