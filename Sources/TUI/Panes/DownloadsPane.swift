import Media
/// Pane 3: transfers (bar, percent, bytes, rate, ETA, state) and the dataset catalog.
public enum DownloadsPane {
    public static func draw(_ state: AppState, on screen: Screen, in rect: CellRect) {
        let downloads = state.downloads
        let focused = state.focus == .downloads
        let active = downloads.activeCount
        PaneChrome.box(screen, rect, title: "3 Downloads" + (active > 0 ? " (\(active) active)" : ""), focused: focused)
        let inside = rect.inset(1)
        guard !inside.isEmpty else { return }
        let (lines, cursor) = content(state, width: inside.width)
        PaneChrome.lines(screen, inside, lines, cursor: cursor)
    }

    /// The pane's lines (transfers with their notes, then the datasets) and the cursor line.
    static func content(_ state: AppState, width: Int) -> ([StyledLine], Int?) {
        let downloads = state.downloads
        let focused = state.focus == .downloads
        var lines: [StyledLine] = []
        var cursor: Int?
        if downloads.transfers.isEmpty {
            lines.append(StyledLine("no transfers — :checkpoints get ID, :download URL, or g on a dataset", TextStyle(.muted)))
        }
        for (i, t) in downloads.transfers.enumerated() {
            var line = transferLine(t, width: width)
            line.target = .download(i)
            if i == downloads.selected {
                line.fill = PaneChrome.selection(focused: focused)
                cursor = lines.count
            }
            lines.append(line)
            lines += noteLines(t, width: width)
        }
        if !downloads.datasets.isEmpty {
            lines.append(StyledLine("Datasets", TextStyle(.header)))
            for (j, d) in downloads.datasets.enumerated() {
                let (label, role) = datasetState(d.state)
                let size = d.bytes.map { HumanReadable.bytes($0) } ?? "?"
                let idWidth = min(14, max(6, width / 4))
                var line = StyledLine([(TextWidth.pad(d.id, to: idWidth) + " ", .text),
                                       (TextWidth.pad(label, to: 9) + " ", TextStyle(role)),
                                       (TextWidth.padLeft(size, to: 8) + "  ", TextStyle(.muted)),
                                       (d.name, TextStyle(.muted))], target: .download(downloads.transfers.count + j))
                if downloads.transfers.count + j == downloads.selected {
                    line.fill = PaneChrome.selection(focused: focused)
                    cursor = lines.count
                }
                lines.append(line)
            }
        }
        return (lines, cursor)
    }

    /// One transfer on one line: id, bar, percent, bytes, rate, ETA, state (less when narrow).
    static func transferLine(_ t: Transfer, width: Int) -> StyledLine {
        let pct = t.fraction.map { "\(Int(($0 * 100).rounded(.down)))%" } ?? "—"
        let bytes = HumanReadable.bytes(t.bytes) + (t.total.map { "/" + HumanReadable.bytes($0) } ?? "")
        let rate = t.rate > 0 ? HumanReadable.bytes(Int(t.rate)) + "/s" : ""
        let eta = t.eta.map { "ETA " + HumanReadable.duration($0) } ?? ""
        var (label, role) = phase(t.phase)
        if t.kind == .url, t.phase == .finished, t.download?.sha256 == nil, t.download?.md5 == nil { label = "done" }
        let idWidth = min(16, max(6, width / 5))
        var tail = " " + TextWidth.padLeft(pct, to: 4) + " " + bytes
        if width >= 70 { tail += " " + TextWidth.padLeft(rate, to: 10) + " " + TextWidth.pad(eta, to: 10) }
        else if width >= 56 { tail += " " + TextWidth.padLeft(rate, to: 10) }
        let stateText = " " + label
        let barWidth = max(4, width - idWidth - 1 - TextWidth.of(tail) - TextWidth.of(stateText))
        let name = t.kind == .url ? t.title : t.itemID
        var line = StyledLine([(TextWidth.pad(name, to: idWidth) + " ", .text)])
        line.runs += PaneChrome.bar(t.fraction, width: barWidth).map { (text: $0.0, style: $0.1) }
        line.add(tail, TextStyle(.muted))
        line.add(stateText, TextStyle(role))
        return line
    }

    /// Under a transfer: its error in full (wrapped) with what to do, or the downloader's latest
    /// note while it retries ("attempt 2/6 after …").
    static func noteLines(_ t: Transfer, width: Int) -> [StyledLine] {
        var text: String
        let role: StyleRole
        switch t.phase {
        case .failed(let why):
            text = why
            role = .error
            text += t.kind == .checkpoint ? " — r retries; or fetch the file yourself and run mlwb checkpoints import FILE" : " — r retries"
        case .queued, .downloading:
            guard let note = t.note else { return [] }
            text = note
            role = .warning
        default:
            return []
        }
        return TextWidth.wrap(text, width: max(8, width - 2)).map { StyledLine("  " + $0, TextStyle(role)) }
    }

    static func phase(_ phase: TransferPhase) -> (String, StyleRole) {
        switch phase {
        case .queued: return ("queued", .muted)
        case .downloading: return ("downloading", .accent)
        case .paused: return ("paused", .warning)
        case .verifying: return ("verifying", .accent)
        case .finished: return ("verified", .success)
        case .failed: return ("failed", .error)
        case .cancelled: return ("cancelled", .muted)
        }
    }

    static func datasetState(_ state: DatasetState) -> (String, StyleRole) {
        switch state {
        case .absent: return ("absent", .muted)
        case .partial: return ("partial", .warning)
        case .verified: return ("verified", .success)
        case .checking: return ("checking", .accent)
        case .manual: return ("manual", .muted)
        case .failed: return ("failed", .error)
        }
    }
}
