import Media
import Models

/// The state machine of the workbench: `update(&state, action)` changes the state and returns the
/// effects the runtime must perform. It does no I/O and reads no clock (the runtime sets `state.now`).
public enum Reducer {
    /// Rows a PgUp/PgDn moves.
    static let pageSize = 10

    // MARK: Entry point

    /// Applies `action` to `state`; returns the effects to perform, in order.
    public static func update(_ s: inout AppState, _ action: Action) -> [Effect] {
        switch action {
        // Focus and movement
        case .focus(let pane):
            s.focus = pane
            return leaveFullscreen(&s, unless: pane == .preview)
        case .focusNext:
            s.focus = s.focus.next
            return leaveFullscreen(&s)
        case .focusPrevious:
            s.focus = s.focus.previous
            return leaveFullscreen(&s)
        case .move(let delta):
            return move(&s, by: delta)
        case .page(let pages):
            return move(&s, by: pages * pageSize)
        case .jump(let toTop):
            return move(&s, by: toTop ? -1_000_000 : 1_000_000)
        case .activate:
            return activate(&s)
        case .toggle:
            return toggle(&s)
        case .back:
            return back(&s)
        case .adjust(let delta):
            return adjustField(&s, by: delta)
        case .resetField:
            return resetField(&s)
        case .select(let target):
            return select(&s, target)
        case .scrub(let delta):
            return scrub(&s, by: delta)
        case .toggleCompare:
            return toggleCompare(&s)
        case .showHistory:
            return showHistory(&s)
        case .showModelCard:
            guard let model = s.models.current, s.models.visible.contains(s.models.selected) else { return [] }
            s.overlay = .output(title: model.name, lines: modelCard(model, width: max(20, s.size.columns - 6) - 4), scroll: 0)
            return []
        case .rerunSelected(let run):
            return rerunSelected(&s, run: run)
        case .historyFrameLoaded(let generation, let frame, let picture, let error):
            return historyFrameLoaded(&s, generation: generation, frame: frame, picture: picture, error: error)
        case .historyLoaded(let records):
            s.history = records
            if case .history(let selected)? = s.overlay { s.overlay = .history(selected: min(selected, max(0, records.count - 1))) }
            return []
        case .comparisonLoaded(let generation, let picture, let error):
            return comparisonLoaded(&s, generation: generation, picture: picture, error: error)
        case .presetLoaded(let modelID, let name, let values, let error):
            return presetLoaded(&s, modelID: modelID, name: name, values: values, error: error)
        case .presetsListed(let modelID, let names):
            let model = s.models.entries.first { $0.id == modelID }?.name ?? modelID
            s.overlay = .output(title: "presets of \(model)", lines: names.isEmpty ? ["(none yet — :preset save NAME keeps the form's values)"] : names.map { "  " + $0 + "    (:preset load \($0))" }, scroll: 0)
            return []
        case .toggleFullscreen:
            return toggleFullscreen(&s)
        case .zoom(let step):
            return zoom(&s, step)
        case .pan(let dx, let dy):
            return pan(&s, dx: dx, dy: dy)

        // Editing
        case .beginFilter:
            guard s.focus == .models || s.focus == .media else {
                s.post(.info, "/ filters the Models and Media lists")
                return []
            }
            // A new `/` starts a new filter (it replaces the old one, as in less and vim).
            if s.focus == .models { s.models.filter = "" } else { s.media.filter = "" }
            s.filterEditing = (s.focus, LineEditor())
            return []
        case .beginCommand:
            s.commandLine = LineEditor()
            s.historyCursor = nil
            return []
        case .edit(let key):
            return edit(&s, key)
        case .history(let delta):
            guard s.commandLine != nil, !s.commandHistory.isEmpty else { return [] }
            let count = s.commandHistory.count
            var i = (s.historyCursor ?? count) + delta
            i = min(max(i, 0), count)
            s.historyCursor = i
            s.commandLine = LineEditor(i < count ? s.commandHistory[i] : "")
            return []

        // Overlays
        case .showHelp:
            if case .help = s.overlay { s.overlay = nil } else { s.overlay = .help(scroll: 0) }
            return []
        case .showLog:
            if case .log = s.overlay { s.overlay = nil } else { s.overlay = .log(selected: Int.max / 2) }
            return []
        case .closeOverlay:
            s.overlay = nil
            return []
        case .scrollOverlay(let delta):
            switch s.overlay {
            case .help(let scroll)?: s.overlay = .help(scroll: clampScroll(scroll, delta))
            case .log(let selected)?:
                // ↑/↓ move the selected entry; moving past the last follows new entries again.
                let last = max(0, s.log.count - 1)
                let next = min(selected, last) + delta
                s.overlay = .log(selected: next >= last ? Int.max / 2 : max(0, next))
            case .output(let title, let lines, let scroll)?: s.overlay = .output(title: title, lines: lines, scroll: clampScroll(min(scroll, lines.count), delta))
            case .history(let selected)?: s.overlay = .history(selected: min(max(0, selected + delta), max(0, s.history.count - 1)))
            case .command(let id, let scroll)?:
                // Scrolling stops following the end; scrolling past the end follows it again.
                let count = s.commands.first { $0.id == id }?.allLines.count ?? 0
                let visible = max(1, OverlayView.frame(for: s.size, lines: count, wide: true).height - 2)
                let last = max(0, count - visible)
                let next = clampScroll(min(scroll ?? last, last), delta)
                s.overlay = .command(id: id, scroll: next >= last ? nil : next)
            default: break
            }
            return []
        case .copyOverlay:
            return copyOverlay(&s)
        case .answer(let yes):
            guard case .confirm(let question)? = s.overlay else { return [] }
            s.overlay = nil
            return answer(&s, question, yes: yes)

        // Work
        case .run:
            return run(&s)
        case .togglePause:
            return togglePause(&s)
        case .stop:
            return stop(&s)
        case .saveFrame:
            return saveFrame(&s)
        case .toggleAnimation:
            return toggleAnimation(&s)
        case .transferToggle:
            return transferToggle(&s)
        case .transferCancel:
            return transferCancel(&s)
        case .transferRetry:
            return transferRetry(&s)
        case .datasetGet:
            guard let row = s.downloads.currentDataset else { s.post(.info, "select a dataset row first"); return [] }
            return getDataset(&s, row.id)
        case .datasetVerify:
            guard let row = s.downloads.currentDataset else { s.post(.info, "select a dataset row first"); return [] }
            return verifyDataset(&s, row.id)
        case .show(let path):
            return showFile(&s, path)

        // Look and life
        case .cycleTheme:
            let count = max(1, s.themes.themes.count)
            s.themeIndex = (s.themeIndex + 1) % count
            s.post(.info, "theme: \(s.theme.name)" + (s.theme.summary.isEmpty ? "" : " — \(s.theme.summary)"))
            return []
        case .redraw:
            return [.redrawAll]
        case .resized(let size):
            s.size = size
            return reloadPlotIfNeeded(&s)
        case .requestQuit:
            if let reason = s.runningWorkDescription {
                s.overlay = .confirm(.quit(reason: reason))
                return []
            }
            s.shouldQuit = true
            return [.quit]
        case .forceQuit, .signal:
            return quitNow(&s)
        case .interrupt:
            s.exitStatus = 130
            return quitNow(&s)

        // Results
        case .directoryLoaded(let path, let entries, let error):
            return directoryLoaded(&s, path: path, entries: entries, error: error)
        case .previewLoaded(let generation, let picture, let title, let info, let error):
            guard generation == s.preview.generation else { return [] }
            s.preview.loading = false
            s.preview.picture = picture
            s.preview.title = title
            s.preview.info = info
            s.preview.error = error
            s.preview.annotation = nil
            s.preview.stretch = false
            s.preview.version += 1
            if let error { s.post(.error, error) }
            return []
        case .modelEvent(let runID, let event, let time):
            return modelEvent(&s, runID: runID, event: event, at: time)
        case .runEnded(let runID):
            guard var job = s.job, job.request.runID == runID else { return [] }
            if job.phase == .running || job.phase == .paused {
                job.enter(.failed("the model stopped without a result"), at: s.now)
                s.post(.error, "\(job.modelName): the model stopped without a result")
            }
            s.job = job
            return [.historyFinish(runID: runID, outcome: outcome(of: job))]
        case .resultView(let runID, let view):
            return resultView(&s, runID: runID, view: view)
        case .savePrompt(let path, let item):
            s.savePrompt = SavePrompt(path: path, item: item)
            let formats = item.extensions.map { "." + $0 }.joined(separator: " ")
            s.post(.info, "save as (\(formats); Enter saves, Esc cancels)")
            return []
        case .saveFailed(let path, let item, let error):
            s.savePrompt = SavePrompt(path: path, item: item, problem: error)
            s.post(.error, "not saved: \(error)")
            return []
        case .frameSaved(let path, let error):
            if let path {
                s.job?.saved.append(path)
                s.post(.info, "✓ saved \(path)")
                let folder = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
                return folder == s.media.directory ? [.loadDirectory(s.media.directory)] : []
            }
            s.post(.error, "could not save: \(error ?? "unknown error")")
            return []
        case .transfer(let id, let event, let time):
            return transferEvent(&s, id: id, event: event, at: time)
        case .modelsLoaded(let entries, let catalog):
            return modelsLoaded(&s, entries, catalog: catalog)
        case .datasetsLoaded(let rows):
            s.downloads.datasets = rows
            s.downloads.selected = min(s.downloads.selected, max(0, s.downloads.rowCount - 1))
            return []
        case .datasetState(let id, let state):
            if let i = s.downloads.datasets.firstIndex(where: { $0.id == id }) {
                s.downloads.datasets[i].state = state
                if case .failed(let why) = state { s.post(.error, "dataset \(id): \(why)") } else { s.post(.info, "dataset \(id): \(state.label)") }
            }
            return []
        case .animationFrame(let generation, let picture, let index):
            guard s.animating, generation == s.preview.generation else { return [] }
            s.preview.picture = picture
            s.preview.version += 1
            s.preview.info = ["canvas animation · frame \(index) · Space or a to stop"]
            return []
        case .commandOutput(let id, let text):
            return commandOutput(&s, id: id, text: text)
        case .commandFinished(let id, let status):
            return commandFinished(&s, id: id, status: status)
        case .cancelCommand:
            return cancelCommand(&s)
        case .log(let level, let text):
            s.post(level, text)
            return []
        }
    }

    // MARK: Helpers shared by the pane files

    static func clampScroll(_ scroll: Int, _ delta: Int) -> Int { max(0, scroll + delta) }

    /// What `y` copies: the log's selected entry, or all of a command's or listing's output. The
    /// confirmation shows in the status bar only (the log it may be copying from stays as it was).
    static func copyOverlay(_ s: inout AppState) -> [Effect] {
        let text: String
        switch s.overlay {
        case .log(let selected)?:
            guard !s.log.isEmpty else { return [] }
            text = s.log[min(selected, s.log.count - 1)].text
        case .command(let id, _)?:
            guard let job = s.commands.first(where: { $0.id == id }) else { return [] }
            text = job.allLines.joined(separator: "\n")
        case .output(_, let lines, _)?:
            text = lines.joined(separator: "\n")
        default:
            return []
        }
        let shown = text.count > 40 ? String(text.prefix(40)) + "…" : text
        s.flash(.info, "✓ copied to the clipboard: " + shown.replacingOccurrences(of: "\n", with: " ⏎ "))
        return [.copyToClipboard(text)]
    }

    /// Moves `selected` through `visible` by `delta` steps (clamped); returns the new index.
    static func step(_ selected: Int, in visible: [Int], by delta: Int) -> Int {
        guard !visible.isEmpty else { return selected }
        let position = visible.firstIndex(of: selected) ?? 0
        let next = min(max(position + delta, 0), visible.count - 1)
        return visible[next]
    }

    static func quitNow(_ s: inout AppState) -> [Effect] {
        var effects: [Effect] = []
        if let job = s.job, job.phase.isLive { effects.append(.cancelRun(runID: job.request.runID)) }
        if s.animating { effects.append(.stopAnimation) }
        for t in s.downloads.transfers where t.phase.isActive { effects.append(.stopTransfer(id: t.id, keepPartial: true)) }
        for c in s.commands where c.isRunning { effects.append(.cancelCommand(id: c.id)) }
        s.shouldQuit = true
        effects.append(.quit)
        return effects
    }

    static func answer(_ s: inout AppState, _ question: Confirmation, yes: Bool) -> [Effect] {
        switch question {
        case .quit:
            return yes ? quitNow(&s) : []
        case .downloadCheckpoints(let ids, let modelID, _):
            guard yes else {
                s.post(.info, "run cancelled: the checkpoint is needed first (download it in Downloads or with :checkpoints get ID)")
                return []
            }
            var effects: [Effect] = []
            for id in ids { effects += startCheckpointTransfer(&s, id, thenRun: modelID) }
            if let request = makeRunRequest(&s, modelID: modelID) {
                let name = s.models.entries.first { $0.id == modelID }?.name ?? modelID
                s.job = JobState(request: request, modelName: name, phase: .waitingForCheckpoint, startedAt: s.now)
                s.job?.status = "waiting for \(ids.joined(separator: ", "))"
            }
            return effects
        case .downloadDataset(let id, _):
            guard yes else { s.post(.info, "dataset \(id) not downloaded"); return [] }
            return startDatasetTransfer(&s, id)
        }
    }
}
