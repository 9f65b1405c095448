import Render

/// Where the workbench draws: a grid of styled text cells plus a raw channel for the preview.
///
/// Drawing is immediate-mode: every frame the workbench clears the screen, draws every pane and
/// calls `present()`; a backend sends only what changed. The preview picture is not text: it is
/// written with `writeRaw` after `present()` (cursor-addressed escape sequences from Render's
/// `FrameDiffer`), into a region the text layer leaves blank.
public protocol Screen: AnyObject {
    /// The current size in cells.
    var size: TerminalSize { get }
    /// The colour mode raw preview output should be encoded for.
    var colorMode: ColorMode { get }
    /// Uses `theme` for the roles of everything drawn from now on.
    func apply(theme: Theme)
    /// Blanks the whole screen (to the theme's background).
    func clear()
    /// Draws `text` from (row, column) on one line, clipped to the screen and to `maxWidth` cells.
    func put(_ text: String, row: Int, column: Int, style: TextStyle, maxWidth: Int?)
    /// Fills a rectangle with one character.
    func fill(_ rect: CellRect, character: Character, style: TextStyle)
    /// Sends the text layer to the terminal. Returns whether the terminal may have moved rows
    /// while doing so (curses scrolls a region when lines moved up or down, taking the raw
    /// preview cells in it along): raw output must then be drawn again in full.
    @discardableResult
    func present() -> Bool
    /// Writes raw terminal output (the preview's escape sequences) after `present()`.
    func writeRaw(_ bytes: [UInt8])
    /// Forgets what the terminal shows, so the next `present()` repaints everything.
    func invalidate()
}

extension Screen {
    /// Draws `text` without a width limit beyond the screen's edge.
    public func put(_ text: String, row: Int, column: Int, style: TextStyle = .text) {
        put(text, row: row, column: column, style: style, maxWidth: nil)
    }
}

/// Where keys come from: the terminal, or a script in tests.
public protocol KeySource: AnyObject {
    /// The next key, waiting at most `milliseconds` (0: do not wait); nil when none arrived.
    func nextKey(timeoutMilliseconds milliseconds: Int) -> Key?
}
