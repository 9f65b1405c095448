import Media
import Models

extension Reducer {
    // MARK: Form fields

    static func setValue(_ s: inout AppState, _ value: ParameterValue, for parameter: ModelParameter, of model: ModelEntry) {
        s.models.values[model.id, default: [:]][parameter.name] = value
        s.models.errors[model.id + "/" + parameter.name] = nil
    }

    static func adjustField(_ s: inout AppState, by delta: Int) -> [Effect] {
        guard s.focus == .models, s.models.section == .form, let model = s.models.current,
              s.models.field < model.parameters.count else { return [] }
        let parameter = model.parameters[s.models.field]
        let current = s.models.value(of: parameter, model: model.id)
        guard let next = ParameterEditing.adjusted(current, of: parameter, by: delta) else {
            s.post(.info, "\(parameter.label): press Enter to type a value")
            return []
        }
        do {
            try parameter.validate(next)
            setValue(&s, next, for: parameter, of: model)
        } catch {
            s.models.errors[model.id + "/" + parameter.name] = "\(error)"
        }
        return []
    }

    static func resetField(_ s: inout AppState) -> [Effect] {
        guard s.models.section == .form, let model = s.models.current, s.models.field < model.parameters.count else { return [] }
        let parameter = model.parameters[s.models.field]
        s.models.values[model.id]?[parameter.name] = nil
        s.models.errors[model.id + "/" + parameter.name] = nil
        s.post(.info, "\(parameter.label) reset to \(ParameterEditing.text(parameter.defaultValue))")
        return []
    }

    /// Sets parameter `name` of `model` from typed text; returns the error message, if any.
    @discardableResult
    static func setParameter(_ s: inout AppState, model: ModelEntry, name: String, text: String) -> String? {
        guard let parameter = model.parameters.first(where: { $0.name == name || $0.label == name }) else {
            let names = model.parameters.map(\.name).joined(separator: ", ")
            return "\(model.name) has no parameter '\(name)' (parameters: \(names))"
        }
        do {
            let value = try parameter.parse(text)
            setValue(&s, value, for: parameter, of: model)
            return nil
        } catch {
            s.models.errors[model.id + "/" + parameter.name] = "\(error)"
            return "\(error)"
        }
    }

    // MARK: Line editors

    static func edit(_ s: inout AppState, _ key: Key) -> [Effect] {
        if s.savePrompt != nil { return editSavePrompt(&s, key) }
        if var editor = s.commandLine {
            if key == .up { return update(&s, .history(-1)) }
            if key == .down { return update(&s, .history(1)) }
            switch editor.handle(key) {
            case .editing:
                s.commandLine = editor
                return []
            case .cancel:
                s.commandLine = nil
                return []
            case .commit:
                s.commandLine = nil
                let text = editor.text.trimmingCharacters(in: .whitespaces)
                guard !text.isEmpty else { return [] }
                if s.commandHistory.last != text { s.commandHistory.append(text) }
                return execute(&s, text)
            }
        }
        if var filter = s.filterEditing {
            let outcome = filter.editor.handle(key)
            let text = outcome == .cancel ? "" : filter.editor.text
            if filter.pane == .models {
                s.models.filter = text
                if !s.models.visible.contains(s.models.selected) { s.models.selected = s.models.visible.first ?? 0 }
            } else {
                s.media.filter = text
                // Land on the first entry whose name matches (folders stay listed for navigation).
                let f = text.lowercased()
                if !f.isEmpty, !(s.media.current?.name.lowercased().contains(f) ?? false),
                   let match = s.media.visible.first(where: { s.media.entries[$0].name.lowercased().contains(f) }) {
                    s.media.selected = match
                } else if !s.media.visible.contains(s.media.selected) {
                    s.media.selected = s.media.visible.first ?? 0
                }
            }
            s.filterEditing = outcome == .editing ? filter : nil
            if outcome == .commit && filter.pane == .media { return previewSelectedMedia(&s) }
            return []
        }
        if let candidate = s.models.picking, let model = s.models.current, s.models.field < model.parameters.count {
            return pick(&s, key, candidate: candidate, parameter: model.parameters[s.models.field], of: model)
        }
        if var editor = s.models.editing, let model = s.models.current, s.models.field < model.parameters.count {
            switch editor.handle(key) {
            case .editing:
                s.models.editing = editor
            case .cancel:
                s.models.editing = nil
            case .commit:
                s.models.editing = nil
                let parameter = model.parameters[s.models.field]
                if let error = setParameter(&s, model: model, name: parameter.name, text: editor.text) {
                    s.post(.error, error)
                }
            }
            return []
        }
        s.models.editing = nil
        s.models.picking = nil
        return []
    }

    /// The picker's keys: ←/→ (or ↑/↓, Space) change the candidate, Enter sets it, Esc keeps the old value.
    static func pick(_ s: inout AppState, _ key: Key, candidate: ParameterValue, parameter: ModelParameter, of model: ModelEntry) -> [Effect] {
        switch key {
        case .left, .up, .right, .down, .character(" "), .tab, .backTab:
            let delta = key == .left || key == .up || key == .backTab ? -1 : 1
            s.models.picking = ParameterEditing.adjusted(candidate, of: parameter, by: delta) ?? candidate
        case .enter:
            s.models.picking = nil
            do {
                try parameter.validate(candidate)
                setValue(&s, candidate, for: parameter, of: model)
                s.post(.info, "\(parameter.label) = \(ParameterEditing.text(candidate))")
            } catch {
                s.models.errors[model.id + "/" + parameter.name] = "\(error)"
            }
        case .escape:
            s.models.picking = nil
            s.post(.info, "\(parameter.label) kept at \(ParameterEditing.text(s.models.value(of: parameter, model: model.id)))")
        default:
            break
        }
        return []
    }

    // MARK: Running

    /// Builds the request for running `modelID` with the form's values and the picked input.
    static func makeRunRequest(_ s: inout AppState, modelID: String) -> RunRequest? {
        guard let model = s.models.entries.first(where: { $0.id == modelID }) else { return nil }
        var input: String? = nil
        if let kind = model.inputKind {
            let accepted: Set<MediaKind> = kind == .image ? [.image, .mask] : [.audio]
            if let picked = s.media.input, accepted.contains(MediaClassifier.kind(ofFile: picked)) {
                input = picked
            } else if let entry = s.media.current, accepted.contains(entry.kind) {
                input = entry.path
                s.media.input = entry.path
            } else if case .media(let path, let shown) = s.preview.source, accepted.contains(shown) {
                // The file Preview shows (opened with :show) is the obvious input.
                input = path
                s.media.input = path
            } else {
                return nil
            }
        }
        let request = RunRequest(runID: s.nextRunID, modelID: model.id, inputPath: input, parameters: s.models.parameters(for: model))
        s.nextRunID += 1
        return request
    }

    static func run(_ s: inout AppState) -> [Effect] {
        guard let model = s.models.current else {
            s.post(.warning, "no model selected (the registry is empty)")
            return []
        }
        if let invalid = model.parameters.first(where: { s.models.error(model: model.id, parameter: $0.name) != nil }) {
            s.post(.error, "fix \(invalid.label) first: \(s.models.error(model: model.id, parameter: invalid.name)!)")
            return []
        }
        var effects: [Effect] = []
        if let job = s.job, job.phase.isLive {
            effects.append(.cancelRun(runID: job.request.runID))
            s.job?.enter(.cancelled, at: s.now)
        }
        let missing = model.missingCheckpoints
        if !missing.isEmpty {
            let active = missing.filter { s.downloads.transfer("checkpoint:" + $0.id)?.phase.isActive ?? false }
            if active.count == missing.count, let request = makeRunRequest(&s, modelID: model.id) {
                s.job = JobState(request: request, modelName: model.name, phase: .waitingForCheckpoint, startedAt: s.now)
                s.job?.status = "waiting for \(missing.map(\.id).joined(separator: ", "))"
                s.post(.info, "\(model.name) starts when its checkpoint is verified")
                return effects
            }
            let total = missing.reduce(0) { $0 + $1.size }
            let names = missing.map { "\($0.id) (\(HumanReadable.bytes($0.size)), \($0.licence))" }.joined(separator: ", ")
            s.overlay = .confirm(.downloadCheckpoints(ids: missing.map(\.id), modelID: model.id,
                message: "\(model.name) needs \(names) — \(HumanReadable.bytes(total)) to download. Download now and run when verified?"))
            return effects
        }
        guard let request = makeRunRequest(&s, modelID: model.id) else {
            let kind = model.inputKind?.rawValue ?? "input"
            s.post(.warning, "pick an \(kind) for \(model.name): select one in Media (2) and press Enter")
            return effects
        }
        return effects + startRun(&s, request, modelName: model.name)
    }

    static func startRun(_ s: inout AppState, _ request: RunRequest, modelName: String) -> [Effect] {
        var effects: [Effect] = []
        if s.animating { s.animating = false; effects.append(.stopAnimation) }
        s.job = JobState(request: request, modelName: modelName, phase: .running, startedAt: s.now)
        s.preview.source = .run
        s.preview.title = "run \(request.runID): \(modelName)"
        s.preview.info = ["starting…"]
        s.preview.generation += 1
        s.preview.picture = nil
        s.preview.annotation = nil
        s.preview.stretch = false
        s.preview.scrub = nil
        s.preview.version += 1
        effects.append(.historyBegin(historyRecord(s, request, modelName: modelName)))
        if s.preview.compare, let path = request.inputPath {
            s.preview.before = nil
            effects.append(.loadComparison(path: path, generation: s.preview.generation))
        }
        let input = request.inputPath.map { " on " + ($0.split(separator: "/").last.map(String.init) ?? $0) } ?? ""
        s.post(.info, "running \(modelName)\(input)")
        effects.append(.startRun(request))
        return effects
    }

    static func togglePause(_ s: inout AppState) -> [Effect] {
        guard let job = s.job else { s.post(.info, "nothing is running (r runs the selected model)"); return [] }
        switch job.phase {
        case .running:
            s.job?.enter(.paused, at: s.now)
            s.post(.info, "\(job.modelName) paused (p resumes)")
            return [.pauseRun(runID: job.request.runID, paused: true)]
        case .paused:
            s.job?.enter(.running, at: s.now)
            s.job?.lastFrameAt = nil
            s.post(.info, "\(job.modelName) resumed")
            return [.pauseRun(runID: job.request.runID, paused: false)]
        default:
            s.post(.info, "\(job.modelName) is \(job.phase.label)")
            return []
        }
    }

    static func stop(_ s: inout AppState) -> [Effect] {
        guard let job = s.job, job.phase.isLive else {
            if s.animating { return toggleAnimation(&s) }
            s.post(.info, "nothing to stop")
            return []
        }
        s.job?.enter(.cancelled, at: s.now)
        s.post(.info, "\(job.modelName) stopped after \(job.frames) frame\(job.frames == 1 ? "" : "s")")
        return [.cancelRun(runID: job.request.runID)]
    }

    /// `s`: what Preview shows (a run's result or frame, or the previewed file's picture) goes to a
    /// save-as prompt whose default name, under `MLWB_HOME/outputs`, no file has yet.
    static func saveFrame(_ s: inout AppState) -> [Effect] {
        let job = s.preview.source == .run || s.preview.picture == nil ? s.job : nil
        if let job {
            let stem = job.request.inputPath.map { fileStem($0) }.map { "-" + $0 } ?? ""
            let base = "\(job.request.modelID)\(stem)-run\(job.request.runID)"
            if let value = job.resultValue, !isPicture(value) {
                return [.proposeSave(.result(value, view: job.resultView?.picture), directory: s.outputsDirectory, base: base)]
            }
            if let frame = job.latestFrame {
                let suffix = job.phase == .finished ? "" : "-frame\(job.frames)"
                return [.proposeSave(.picture(frame), directory: s.outputsDirectory, base: base + suffix)]
            }
        }
        if let picture = s.preview.picture, s.preview.source != .empty {
            return [.proposeSave(.picture(picture), directory: s.outputsDirectory, base: "preview-" + fileStem(s.preview.title))]
        }
        s.post(.info, "nothing to save yet (run a model, or preview a file)")
        return []
    }

    static func isPicture(_ result: ModelResult) -> Bool {
        if case .image = result { return true } else { return false }
    }

    /// A file name without folders and extension, safe in a file name ("run 3: x" → "run-3-x").
    static func fileStem(_ path: String) -> String {
        var name = path.split(separator: "/").last.map(String.init) ?? path
        if let dot = name.lastIndex(of: "."), dot != name.startIndex { name = String(name[..<dot]) }
        let safe = name.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "-" }
        return String(safe).split(separator: "-", omittingEmptySubsequences: true).joined(separator: "-")
    }

    /// The save-as prompt's keys: Enter saves (never over an existing file), Esc abandons.
    static func editSavePrompt(_ s: inout AppState, _ key: Key) -> [Effect] {
        guard var prompt = s.savePrompt else { return [] }
        switch prompt.editor.handle(key) {
        case .editing:
            prompt.problem = nil
            s.savePrompt = prompt
            return []
        case .cancel:
            s.savePrompt = nil
            s.post(.info, "not saved")
            return []
        case .commit:
            s.savePrompt = nil
            let path = prompt.editor.text.trimmingCharacters(in: .whitespaces)
            guard !path.isEmpty else { s.post(.info, "not saved (no name)"); return [] }
            return [.save(prompt.item, path: path, directory: s.outputsDirectory)]
        }
    }

    // MARK: Model events

    static func modelEvent(_ s: inout AppState, runID: Int, event: ModelEvent, at time: Double) -> [Effect] {
        guard var job = s.job, job.request.runID == runID, job.phase.isLive else { return [] }
        var effects: [Effect] = []
        switch event {
        case .progress(let fraction, let status):
            job.progress = fraction
            job.status = status
        case .frame(let image, let label):
            job.frames += 1
            if let last = job.lastFrameAt, time > last {
                let instant = 1 / (time - last)
                job.framesPerSecond = job.framesPerSecond == 0 ? instant : job.framesPerSecond * 0.7 + instant * 0.3
            }
            job.lastFrameAt = time
            job.latestFrame = image
            job.frameLabel = label
            if let keep = keepFrame(&job, image, at: time) { effects.append(keep) }
            if s.preview.source == .run && s.preview.scrub == nil {
                s.preview.picture = image
                s.preview.version += 1
                s.preview.annotation = nil
                s.preview.stretch = false
                s.preview.title = "run \(runID): \(job.modelName)"
                s.preview.info = ["\(label) · frame \(job.frames) · \(image.width)×\(image.height)"]
            }
        case .log(let text):
            s.post(.info, "\(job.modelName): \(text)")
        case .finished(let result):
            job.enter(.finished, at: s.now)
            job.progress = 1
            let summary = describe(result)
            job.result = summary
            job.resultValue = result
            if case .image(let image) = result {
                job.latestFrame = image
                if let keep = keepFrame(&job, image, at: time, final: true) { effects.append(keep) }
                if s.preview.source == .run && s.preview.scrub == nil {
                    s.preview.picture = image
                    s.preview.version += 1
                }
            }
            if s.preview.source == .run { s.preview.info = [summary] }
            if case .chords(let segments) = result {
                for segment in segments { s.post(.info, "  " + chordLine(segment)) }
            }
            s.post(.info, "\(job.modelName) finished: \(summary) (s saves, r reruns)")
        case .failed(let message):
            job.enter(.failed(message), at: s.now)
            s.post(.error, "\(job.modelName) failed: \(message)")
        }
        s.job = job
        return effects
    }

    static func describe(_ result: ModelResult) -> String {
        switch result {
        case .image(let image):
            return "image \(image.width)×\(image.height)"
        case .classes(let scores):
            return scores.prefix(3).map { "\($0.label) \(HumanReadable.fixed(Double($0.probability) * 100, digits: 1))%" }.joined(separator: ", ")
        case .notes(let notes):
            return "\(notes.count) notes"
        case .pitch(let frames):
            return "\(frames.count) pitch frames, \(frames.filter(\.voiced).count) voiced"
        case .chords(let segments):
            let chords = segments.filter { $0.label != "N" }
            let names = chords.prefix(6).map(\.label).joined(separator: " ")
            return ChordsSummary.count(chords.count, "chord") + ": " + (names.isEmpty ? "none" : names + (chords.count > 6 ? " …" : ""))
        case .beats(let beats, let meter):
            let bpm = TempoSegments.overall(beats.map(\.time))
            return "\(beats.count) beats, \(beats.filter { $0.position == 1 }.count) bars of \(meter), \(HumanReadable.fixed(bpm, digits: 1)) BPM"
        }
    }

    /// One chord segment as a log line: `  12.33–13.50 s  G:7/3`.
    static func chordLine(_ segment: ChordSegment) -> String {
        HumanReadable.fixed(segment.start, digits: 2) + "–" + HumanReadable.fixed(segment.end, digits: 2) + " s  " + segment.label
    }

    static func modelsLoaded(_ s: inout AppState, _ entries: [ModelEntry], catalog: [CheckpointInfo]) -> [Effect] {
        let selectedID = s.models.current?.id
        s.models.entries = entries
        s.models.catalog = catalog
        s.models.selected = entries.firstIndex { $0.id == selectedID } ?? min(s.models.selected, max(0, entries.count - 1))
        // A run waiting for its checkpoints starts once they are all there.
        if let job = s.job, job.phase == .waitingForCheckpoint,
           let model = entries.first(where: { $0.id == job.request.modelID }), model.missingCheckpoints.isEmpty {
            return startRun(&s, job.request, modelName: model.name)
        }
        return []
    }
}

extension Reducer {
    // MARK: Result views

    /// A finished run's result view: kept for saving, shown when Preview follows the run.
    static func resultView(_ s: inout AppState, runID: Int, view: ResultView) -> [Effect] {
        guard var job = s.job, job.request.runID == runID else { return [] }
        job.resultView = view
        job.frameLabel = view.label
        s.job = job
        guard s.preview.source == .run else { return [] }
        showRun(&s)
        return []
    }

    /// Points Preview at the run: its result view if it has one, else its latest frame.
    /// A model's whole card as lines of at most `width` cells: what it does, its checkpoints, and
    /// every parameter with its range, default and help.
    static func modelCard(_ model: ModelEntry, width: Int) -> [String] {
        var lines = ["task: " + model.task.rawValue, ""]
        lines += TextWidth.wrap(model.summary, width: width)
        lines += ["", "Checkpoints"]
        if model.checkpoints.isEmpty { lines.append("  none needed") }
        for c in model.checkpoints {
            let state: String
            switch c.state {
            case .ready: state = "ready"
            case .missing: state = "missing — :checkpoints get \(c.id)"
            case .corrupt(let why): state = "corrupt (\(why))"
            case .unknown: state = "not in the catalog"
            }
            lines += TextWidth.wrap("  \(c.id): \(c.name), \(HumanReadable.bytes(c.size)), \(c.licence) — \(state)", width: width)
        }
        lines += ["", "Parameters (CLI: --NAME VALUE)"]
        for p in model.parameters {
            lines += TextWidth.wrap("  --\(p.name)  \(p.label) · \(ParameterEditing.rangeText(p)) · default \(ParameterEditing.text(p.defaultValue))", width: width)
            lines += TextWidth.wrap(p.help, width: max(10, width - 6)).map { "      " + $0 }
        }
        return lines
    }

    static func showRun(_ s: inout AppState) {
        guard let job = s.job else { return }
        s.preview.source = .run
        s.preview.error = nil
        s.preview.loading = false
        if let view = job.resultView {
            s.preview.picture = view.picture
            s.preview.annotation = view.annotation
            s.preview.stretch = view.stretch
            s.preview.title = "run \(job.request.runID): \(job.modelName) · \(view.label)"
        } else {
            s.preview.picture = job.latestFrame
            s.preview.annotation = nil
            s.preview.stretch = false
            s.preview.title = "run \(job.request.runID): \(job.modelName)"
        }
        s.preview.info = [job.result ?? job.frameLabel]
        s.preview.version += 1
    }
}
