import Media
/// Pane 2: the file browser — folders, images, masks, audio and MIDI with size and dimensions/duration.
public enum MediaPane {
    public static func draw(_ state: AppState, on screen: Screen, in rect: CellRect) {
        let media = state.media
        let focused = state.focus == .media
        var title = "2 Media"
        if !media.filter.isEmpty { title += " /" + media.filter }
        PaneChrome.box(screen, rect, title: title, focused: focused)
        let inside = rect.inset(1)
        guard !inside.isEmpty else { return }
        let (lines, cursor) = content(state, width: inside.width)
        PaneChrome.lines(screen, inside, lines, cursor: cursor)
    }

    /// The pane's lines (the folder, then its entries) and the index of the cursor line.
    static func content(_ state: AppState, width: Int) -> ([StyledLine], Int?) {
        let media = state.media
        let focused = state.focus == .media
        let path = displayPath(media.directory, workingDirectory: state.workingDirectory, home: state.homeDirectory)
        var lines: [StyledLine] = [StyledLine(TextWidth.truncateLeading(path, to: width), TextStyle(.muted))]
        var cursor: Int?
        if media.loading && media.entries.isEmpty { lines.append(StyledLine("reading…", TextStyle(.muted))) }
        for i in media.visible {
            let entry = media.entries[i]
            let selected = i == media.selected
            var mark = ""
            if entry.path == media.input { mark = " ◂in" }
            if entry.path == media.mask { mark += " ◂mask" }
            let right = entry.kind == .directory ? entry.detail : entry.detail + "  " + HumanReadable.bytes(entry.bytes)
            let name = entry.name + mark
            // The name comes first: it keeps up to 60% of the row (or all it needs when the details fit).
            let available = width - 3
            let nameWidth = max(4, max(min(TextWidth.of(name), available * 3 / 5), available - TextWidth.of(right)))
            let rightWidth = max(0, available - nameWidth)
            var line = StyledLine([(icon(entry.kind) + " ", TextStyle(role(entry.kind))),
                                   (TextWidth.pad(name, to: nameWidth) + " ", entry.kind == .directory ? TextStyle(.header) : .text),
                                   (TextWidth.padLeft(right, to: rightWidth), TextStyle(.muted))], target: .media(i))
            if selected {
                line.fill = PaneChrome.selection(focused: focused)
                cursor = lines.count
            }
            lines.append(line)
        }
        if !media.loading && media.visible.count <= (media.entries.first?.name == "../" ? 1 : 0) {
            lines.append(StyledLine(media.filter.isEmpty ? "no media files here" : "nothing matches /\(media.filter)", TextStyle(.muted)))
        }
        return (lines, cursor)
    }

    static func icon(_ kind: MediaKind) -> String {
        switch kind {
        case .directory: return "▸"
        case .image: return "▣"
        case .mask: return "◐"
        case .audio: return "♪"
        case .midi: return "♫"
        case .other: return "·"
        }
    }

    static func role(_ kind: MediaKind) -> StyleRole {
        switch kind {
        case .directory: return .header
        case .image, .mask: return .success
        case .audio, .midi: return .accent
        case .other: return .muted
        }
    }

    /// The folder as a user knows it: absolute, `..` and `.` resolved, the home folder as `~`.
    static func displayPath(_ path: String, workingDirectory: String, home: String) -> String {
        var parts: [Substring] = []
        let full = path.hasPrefix("/") ? path : workingDirectory + "/" + path
        for part in full.split(separator: "/") {
            switch part {
            case ".": continue
            case "..": if !parts.isEmpty { parts.removeLast() }
            default: parts.append(part)
            }
        }
        let absolute = "/" + parts.joined(separator: "/")
        if !home.isEmpty, home != "/" {
            if absolute == home { return "~/" }
            if absolute.hasPrefix(home + "/") { return "~" + absolute.dropFirst(home.count) + "/" }
        }
        return absolute == "/" ? "/" : absolute + "/"
    }
}
