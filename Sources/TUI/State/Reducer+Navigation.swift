import Media
import Models

extension Reducer {
    // MARK: Moving the selection

    static func move(_ s: inout AppState, by delta: Int) -> [Effect] {
        switch s.focus {
        case .models:
            if s.models.section == .form, let model = s.models.current {
                s.models.field = min(max(s.models.field + delta, 0), model.parameters.count)  // last row: [ Run ]
            } else {
                let before = s.models.selected
                s.models.selected = step(before, in: s.models.visible, by: delta)
                if s.models.selected != before { s.models.field = 0 }
            }
            return []
        case .media:
            let before = s.media.selected
            s.media.selected = step(before, in: s.media.visible, by: delta)
            return s.media.selected != before ? previewSelectedMedia(&s) : []
        case .downloads:
            s.downloads.selected = min(max(s.downloads.selected + delta, 0), max(0, s.downloads.rowCount - 1))
            return []
        case .preview:
            return []
        }
    }

    // MARK: Clicks

    /// Selects the clicked row, focusing its pane; clicking the row already selected in the focused
    /// pane is Enter (opens a folder or the form, edits a field, runs on `[ Run ]`).
    static func select(_ s: inout AppState, _ target: RowTarget) -> [Effect] {
        let wasFocused: Bool
        switch target {
        case .model(let i):
            guard s.models.entries.indices.contains(i) else { return [] }
            wasFocused = s.focus == .models && s.models.section == .list && s.models.selected == i
            s.focus = .models
            if wasFocused { return activate(&s) }
            s.models.section = .list
            if s.models.selected != i { s.models.field = 0 }
            s.models.selected = i
            return []
        case .field(let i):
            guard let model = s.models.current, (0...model.parameters.count).contains(i) else { return [] }
            wasFocused = s.focus == .models && s.models.section == .form && s.models.field == i
            s.focus = .models
            s.models.section = .form
            s.models.field = i
            return wasFocused ? activate(&s) : []
        case .media(let i):
            guard s.media.entries.indices.contains(i) else { return [] }
            wasFocused = s.focus == .media && s.media.selected == i
            s.focus = .media
            if wasFocused { return activate(&s) }
            s.media.selected = i
            return previewSelectedMedia(&s)
        case .download(let i):
            guard i >= 0, i < s.downloads.rowCount else { return [] }
            wasFocused = s.focus == .downloads && s.downloads.selected == i
            s.focus = .downloads
            if wasFocused { return activate(&s) }
            s.downloads.selected = i
            return []
        }
    }

    // MARK: Enter, Space, back

    static func activate(_ s: inout AppState) -> [Effect] {
        switch s.focus {
        case .models:
            guard let model = s.models.current else { return [] }
            if s.models.section == .list {
                s.models.section = .form
                s.models.field = 0
                return []
            }
            if s.models.field >= model.parameters.count { return run(&s) }
            let parameter = model.parameters[s.models.field]
            switch parameter.kind {
            case .bool, .choice:
                // Enter always opens an editor: here a picker, so a value never changes unseen.
                s.models.picking = s.models.value(of: parameter, model: model.id)
                return []
            default:
                s.models.editing = LineEditor(ParameterEditing.text(s.models.value(of: parameter, model: model.id)))
                return []
            }
        case .media:
            guard let entry = s.media.current else { return [] }
            switch entry.kind {
            case .directory:
                s.media.loading = true
                return [.loadDirectory(entry.path)]
            case .image, .audio:
                s.media.input = entry.path
                s.post(.info, "input: \(entry.name) — press r to run \(s.models.current?.name ?? "the selected model")")
                return previewIfNotShown(&s, entry)
            case .mask:
                return pickMask(&s, entry)
            case .midi, .other:
                return previewIfNotShown(&s, entry)
            }
        case .downloads:
            if s.downloads.currentTransfer != nil { return transferToggle(&s) }
            if let row = s.downloads.currentDataset {
                return row.state == .verified ? verifyDataset(&s, row.id) : getDataset(&s, row.id)
            }
            return []
        case .preview:
            if s.preview.source != .run, s.job != nil {
                showRun(&s)
                return []
            }
            if let entry = s.media.current, entry.kind != .directory { return previewMedia(&s, entry) }
            return []
        }
    }

    static func toggle(_ s: inout AppState) -> [Effect] {
        switch s.focus {
        case .models:
            guard s.models.section == .form, let model = s.models.current, s.models.field < model.parameters.count else { return [] }
            let parameter = model.parameters[s.models.field]
            switch parameter.kind {
            case .bool, .choice:
                return adjustField(&s, by: 1)
            case .path(let kind) where kind == "mask":
                if s.models.value(of: parameter, model: model.id).description.isEmpty, let mask = s.media.mask {
                    setValue(&s, .string(mask), for: parameter, of: model)
                } else {
                    setValue(&s, .string(""), for: parameter, of: model)
                }
                return []
            default:
                return []
            }
        case .media:
            guard let entry = s.media.current else { return [] }
            if entry.kind == .mask || entry.kind == .image { return pickMask(&s, entry) }
            return []
        case .downloads:
            return transferToggle(&s)
        case .preview:
            return toggleAnimation(&s)
        }
    }

    static func back(_ s: inout AppState) -> [Effect] {
        switch s.focus {
        case .models:
            s.models.section = .list
            return []
        case .media:
            let parent = parentDirectory(of: s.media.directory)
            guard parent != s.media.directory else { return [] }
            s.media.loading = true
            return [.loadDirectory(parent)]
        default:
            return []
        }
    }

    /// The parent of `path` ("." goes to "..", "/" stays).
    static func parentDirectory(of path: String) -> String {
        if path == "/" { return "/" }
        if path == "." || path.isEmpty { return ".." }
        if path == ".." || path.hasSuffix("/..") { return path + "/.." }
        var trimmed = path
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed.removeLast() }
        guard let slash = trimmed.lastIndex(of: "/") else { return "." }
        if slash == trimmed.startIndex { return "/" }
        return String(trimmed[..<slash])
    }

    // MARK: Media → Preview

    /// The preview effect for the selected media entry (directories clear nothing).
    static func previewSelectedMedia(_ s: inout AppState) -> [Effect] {
        guard let entry = s.media.current, entry.kind != .directory, entry.kind != .other else { return [] }
        return previewMedia(&s, entry)
    }

    static func previewIfNotShown(_ s: inout AppState, _ entry: MediaEntry) -> [Effect] {
        if s.preview.source == .media(path: entry.path, kind: entry.kind) { return [] }
        return previewMedia(&s, entry)
    }

    static func previewMedia(_ s: inout AppState, _ entry: MediaEntry) -> [Effect] {
        var effects: [Effect] = []
        if s.animating { s.animating = false; effects.append(.stopAnimation) }
        s.preview.generation += 1
        s.preview.source = .media(path: entry.path, kind: entry.kind)
        s.preview.title = entry.name
        s.preview.loading = true
        s.preview.error = nil
        s.preview.annotation = nil
        s.preview.stretch = false
        s.preview.zoom = 1
        s.preview.centre = (0.5, 0.5)
        let pixels = s.layout.picturePixels
        s.preview.plotSize = pixels
        effects.append(.loadPreview(generation: s.preview.generation, path: entry.path, kind: entry.kind, pixels: pixels))
        return effects
    }

    static func showFile(_ s: inout AppState, _ path: String) -> [Effect] {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        let kind = MediaClassifier.kind(ofFile: path)
        guard kind != .other, kind != .directory else {
            s.post(.error, "cannot preview '\(path)': not an image, mask, audio or MIDI file")
            return []
        }
        s.focus = .preview
        return previewMedia(&s, MediaEntry(name: name, path: path, kind: kind, bytes: 0, detail: ""))
    }

    /// Audio and MIDI plots are drawn for the pane's pixel size: redraw them after a resize.
    static func reloadPlotIfNeeded(_ s: inout AppState) -> [Effect] {
        guard s.fitsMinimum, case .media(let path, let kind) = s.preview.source, kind == .audio || kind == .midi else { return [] }
        let pixels = s.layout.picturePixels
        guard pixels != s.preview.plotSize else { return [] }
        s.preview.plotSize = pixels
        s.preview.generation += 1
        return [.loadPreview(generation: s.preview.generation, path: path, kind: kind, pixels: pixels)]
    }

    static func pickMask(_ s: inout AppState, _ entry: MediaEntry) -> [Effect] {
        if s.media.mask == entry.path {
            s.media.mask = nil
            s.post(.info, "mask cleared")
        } else {
            s.media.mask = entry.path
            s.post(.info, "mask: \(entry.name)")
        }
        // Fill the selected model's mask parameter, if it has one.
        if let model = s.models.current, let parameter = model.parameters.first(where: { $0.kind == .path("mask") }) {
            setValue(&s, .string(s.media.mask ?? ""), for: parameter, of: model)
        }
        return previewIfNotShown(&s, entry)
    }

    static func directoryLoaded(_ s: inout AppState, path: String, entries: [MediaEntry], error: String?) -> [Effect] {
        s.media.loading = false
        if let error {
            s.post(.error, error)
            return []
        }
        let previous = s.media.current?.name
        let sameDirectory = path == s.media.directory
        if !sameDirectory { s.media.filter = "" }
        s.media.directory = path
        s.media.entries = entries
        if sameDirectory, let previous, let i = entries.firstIndex(where: { $0.name == previous }) {
            s.media.selected = i
        } else {
            s.media.selected = s.media.visible.first ?? 0
        }
        return []
    }

    // MARK: Preview view

    static func toggleFullscreen(_ s: inout AppState) -> [Effect] {
        s.preview.fullscreen.toggle()
        if s.preview.fullscreen {
            s.focus = .preview
            s.post(.info, "Preview fullscreen — f or Esc returns; + - zoom, arrows pan, 0 fits")
        }
        return reloadPlotIfNeeded(&s)
    }

    /// Back to the four panes (focus keys and Tab do this), unless `keep`.
    static func leaveFullscreen(_ s: inout AppState, unless keep: Bool = false) -> [Effect] {
        guard s.preview.fullscreen, !keep else { return [] }
        s.preview.fullscreen = false
        return reloadPlotIfNeeded(&s)
    }

    static func zoom(_ s: inout AppState, _ step: Int) -> [Effect] {
        guard s.preview.picture != nil else { return [] }
        if s.preview.stretch {
            s.post(.info, "plots fit the pane; zoom works on pictures")
            return []
        }
        let before = s.preview.zoom
        switch step {
        case 0: s.preview.zoom = 1
        case let n where n > 0: s.preview.zoom = min(PreviewState.maximumZoom, s.preview.zoom * 2)
        default: s.preview.zoom = max(1, s.preview.zoom / 2)
        }
        if s.preview.zoom == 1 { s.preview.centre = (0.5, 0.5) }
        if s.preview.zoom != before { s.post(.info, s.preview.zoom == 1 ? "whole picture" : "zoom \(s.preview.zoom)× — arrows pan, 0 fits") }
        return []
    }

    static func pan(_ s: inout AppState, dx: Int, dy: Int) -> [Effect] {
        guard s.preview.zoom > 1 else { return [] }
        let step = 0.25 / Double(s.preview.zoom)
        let half = 0.5 / Double(s.preview.zoom)
        s.preview.centre.x = min(max(half, s.preview.centre.x + Double(dx) * step), 1 - half)
        s.preview.centre.y = min(max(half, s.preview.centre.y + Double(dy) * step), 1 - half)
        return []
    }

    // MARK: Canvas animation

    static func toggleAnimation(_ s: inout AppState) -> [Effect] {
        if s.animating {
            s.animating = false
            s.post(.info, "animation stopped")
            return [.stopAnimation]
        }
        let path: String
        if case .media(let p, let kind) = s.preview.source, kind == .image || kind == .mask {
            path = p
        } else if let entry = s.media.current, entry.kind == .image || entry.kind == .mask {
            path = entry.path
        } else {
            s.post(.info, "select an image in Media to animate it")
            return []
        }
        s.animating = true
        s.preview.generation += 1
        s.preview.source = .animation(path: path)
        s.preview.annotation = nil
        s.preview.stretch = false
        s.preview.title = "canvas: " + (path.split(separator: "/").last.map(String.init) ?? path)
        return [.startAnimation(generation: s.preview.generation, path: path)]
    }
}
