import Render

/// How pictures are drawn in the terminal: colour mode, box size and fidelity options,
/// parsed from the options every displaying command shares.
struct DisplayOptions {
    var mode: ColorMode
    var columns: Int
    var rows: Int
    var linearLight: Bool
    var tolerance: Int

    /// The options `show`, `mask --show`, `canvas --show`, `dream --show` accept.
    static let specOptions: [CommandSpec.Option] = [
        .init("size", value: "WxH", "Fit into W×H terminal cells (default: the terminal's size)"),
        .init("colors", value: "MODE", "Colour mode: truecolor, 256, 16 or none (default: detected from COLORTERM/TERM/NO_COLOR)"),
        .init("linear", "Average pixels in linear light (truer fine detail, a little slower)"),
        .init("exact", "Reproduce every 24-bit colour exactly (default: reuse colours within 1/255, which saves bytes invisibly)"),
    ]

    /// Reads the shared options; `defaultRows` caps the height when no size is given.
    init(_ arguments: ParsedArguments, context: CommandContext, defaultRows: Int? = nil) throws {
        if let text = arguments.value("colors") {
            guard let m = ColorMode(argument: text) else {
                throw UsageError("--colors must be truecolor, 256, 16 or none, got '\(text)'")
            }
            mode = m
        } else {
            mode = DisplayOptions.detectMode(context.environment)
        }
        let terminal = context.terminalSize
        if let text = arguments.value("size") {
            let parts = text.lowercased().split(separator: "x", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 2, let w = Int(parts[0]), w > 0, let h = Int(parts[1]), h > 0, w <= 4096, h <= 4096 else {
                throw UsageError("--size expects columns×rows like 80x40, got '\(text)'")
            }
            columns = w
            rows = h
        } else {
            columns = terminal.columns
            // Fit the terminal's width; on a terminal also its height (minus a line for the prompt).
            rows = context.stdoutIsTTY ? max(1, terminal.rows - 1) : 4096
            if let cap = defaultRows { rows = min(rows, cap) }
        }
        linearLight = arguments.flag("linear")
        tolerance = arguments.flag("exact") ? 0 : 1
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
}
