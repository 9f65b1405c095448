import CNCurses
import Glibc

/// Display widths of text in terminal cells (wide East Asian characters take two, combining marks none).
public enum TextWidth {
    /// Cells `character` occupies.
    @inlinable public static func of(_ character: Character) -> Int {
        guard let scalar = character.unicodeScalars.first else { return 0 }
        if scalar.isASCII { return scalar.value < 0x20 || scalar.value == 0x7F ? 0 : 1 }
        let w = Int(mlwb_wcwidth(scalar.value))
        return w < 0 ? 1 : w
    }

    /// Cells `text` occupies.
    public static func of(_ text: String) -> Int {
        var total = 0
        for ch in text { total += of(ch) }
        return total
    }

    /// `text` cut to at most `width` cells, ending with `…` when something was cut.
    public static func truncate(_ text: String, to width: Int, ellipsis: Bool = true) -> String {
        guard width > 0 else { return "" }
        if of(text) <= width { return text }
        var out = ""
        var used = 0
        let limit = ellipsis ? width - 1 : width
        for ch in text {
            let w = of(ch)
            if used + w > limit { break }
            out.append(ch)
            used += w
        }
        return ellipsis ? out + "…" : out
    }

    /// `text` cut at the front to at most `width` cells, starting with "…" when cut (paths: the end matters).
    public static func truncateLeading(_ text: String, to width: Int) -> String {
        guard width > 0 else { return "" }
        if of(text) <= width { return text }
        var kept: [Character] = []
        var used = 0
        for ch in text.reversed() {
            let w = of(ch)
            if used + w > width - 1 { break }
            kept.append(ch)
            used += w
        }
        return "…" + String(kept.reversed())
    }

    /// `text` cut or padded with spaces to exactly `width` cells.
    public static func pad(_ text: String, to width: Int) -> String {
        let cut = truncate(text, to: width)
        let w = of(cut)
        return w < width ? cut + String(repeating: " ", count: width - w) : cut
    }

    /// `text` right-aligned in `width` cells.
    public static func padLeft(_ text: String, to width: Int) -> String {
        let cut = truncate(text, to: width)
        let w = of(cut)
        return w < width ? String(repeating: " ", count: width - w) + cut : cut
    }

    /// `text` cut into pieces of at most `width` cells, spaces kept (tables stay aligned); "" stays one line.
    public static func hardWrap(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        var pieces: [String] = []
        var rest = Substring(text)
        repeat {
            let piece = truncate(String(rest), to: width, ellipsis: false)
            pieces.append(piece)
            rest = rest.dropFirst(max(1, piece.count))
        } while !rest.isEmpty
        return pieces
    }

    /// `text` broken into lines of at most `width` cells at spaces (long words are cut).
    public static func wrap(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        var lines: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = ""
            for word in paragraph.split(separator: " ") {
                let w = String(word)
                if line.isEmpty {
                    line = w
                } else if of(line) + 1 + of(w) <= width {
                    line += " " + w
                } else {
                    lines.append(line)
                    line = w
                }
                while of(line) > width {
                    lines.append(truncate(line, to: width, ellipsis: false))
                    line = String(line.dropFirst(truncate(line, to: width, ellipsis: false).count))
                }
            }
            lines.append(line)
        }
        return lines
    }
}
