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
        var lines: [StyledLine] = []
        var cursor: Int?
        if downloads.transfers.isEmpty {
            lines.append(StyledLine("no transfers — :checkpoints get ID, or g on a dataset", TextStyle(.muted)))
        }
        for (i, t) in downloads.transfers.enumerated() {
            var line = transferLine(t, width: inside.width)
            if i == downloads.selected {
                line.fill = PaneChrome.selection(focused: focused)
                cursor = lines.count
            }
            lines.append(line)
        }
        if !downloads.datasets.isEmpty {
            lines.append(StyledLine("Datasets", TextStyle(.header)))
            for (j, d) in downloads.datasets.enumerated() {
                let (label, role) = datasetState(d.state)
                let size = d.bytes.map { HumanReadable.bytes($0) } ?? "?"
                let idWidth = min(14, max(6, inside.width / 4))
                var line = StyledLine([(TextWidth.pad(d.id, to: idWidth) + " ", .text),
                                       (TextWidth.pad(label, to: 9) + " ", TextStyle(role)),
                                       (TextWidth.padLeft(size, to: 8) + "  ", TextStyle(.muted)),
                                       (d.name, TextStyle(.muted))])
                if downloads.transfers.count + j == downloads.selected {
                    line.fill = PaneChrome.selection(focused: focused)
                    cursor = lines.count
                }
                lines.append(line)
            }
        }
        PaneChrome.lines(screen, inside, lines, cursor: cursor)
    }

    /// One transfer on one line: id, bar, percent, bytes, rate, ETA, state (less when narrow).
    static func transferLine(_ t: Transfer, width: Int) -> StyledLine {
        let pct = t.fraction.map { "\(Int(($0 * 100).rounded(.down)))%" } ?? "—"
        let bytes = HumanReadable.bytes(t.bytes) + (t.total.map { "/" + HumanReadable.bytes($0) } ?? "")
        let rate = t.rate > 0 ? HumanReadable.bytes(Int(t.rate)) + "/s" : ""
        let eta = t.eta.map { "ETA " + HumanReadable.duration($0) } ?? ""
        let (label, role) = phase(t.phase)
        let idWidth = min(16, max(6, width / 5))
        var tail = " " + TextWidth.padLeft(pct, to: 4) + " " + bytes
        if width >= 70 { tail += " " + TextWidth.padLeft(rate, to: 10) + " " + TextWidth.pad(eta, to: 10) }
        else if width >= 56 { tail += " " + TextWidth.padLeft(rate, to: 10) }
        let stateText = " " + label
        let barWidth = max(4, width - idWidth - 1 - TextWidth.of(tail) - TextWidth.of(stateText))
        var line = StyledLine([(TextWidth.pad(t.itemID, to: idWidth) + " ", .text)])
        line.runs += PaneChrome.bar(t.fraction, width: barWidth).map { (text: $0.0, style: $0.1) }
        line.add(tail, TextStyle(.muted))
        line.add(stateText, TextStyle(role))
        return line
    }

    static func phase(_ phase: TransferPhase) -> (String, StyleRole) {
        switch phase {
        case .queued: return ("queued", .muted)
        case .downloading: return ("downloading", .accent)
        case .paused: return ("paused", .warning)
        case .verifying: return ("verifying", .accent)
        case .finished: return ("verified", .success)
        case .failed(let why): return ("failed: " + why, .error)
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
