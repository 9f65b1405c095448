import Media
import Models

extension Reducer {
    // MARK: Keeping runs

    /// The record a run starts on disk with.
    static func historyRecord(_ s: AppState, _ request: RunRequest, modelName: String) -> RunRecord {
        RunRecord(runID: request.runID, modelID: request.modelID, modelName: modelName, input: request.inputPath,
                  parameters: request.parameters.values.mapValues(ParameterEditing.text), started: s.now + s.wallClockOffset)
    }

    /// Keeps a frame when the last kept one is at least 0.2 s old (and the bound allows): a
    /// dream's progression is kept without encoding every one of its 16 frames a second.
    static func keepFrame(_ job: inout JobState, _ picture: Image, at time: Double, final: Bool = false) -> Effect? {
        if final, job.recorded.last == job.frames { return .historyFrame(runID: job.request.runID, frame: job.frames, picture: picture) }
        guard job.recorded.count < RunHistory.maximumFrames || final else { return nil }
        if !final, let last = job.lastRecordedAt, time - last < 0.2 { return nil }
        job.recorded.append(job.frames)
        job.lastRecordedAt = time
        return .historyFrame(runID: job.request.runID, frame: job.frames, picture: picture)
    }

    /// How a run ended, for its record.
    static func outcome(of job: JobState) -> String {
        if let result = job.result { return "finished: " + result }
        if case .failed(let message) = job.phase { return "failed: " + message }
        return job.phase.label
    }

    // MARK: Scrubbing

    /// `[` / `]`: steps through the run's kept frames; past the newest, Preview follows the run again.
    static func scrub(_ s: inout AppState, by delta: Int) -> [Effect] {
        guard let job = s.job else { s.post(.info, "no run yet: [ and ] step through a run's frames"); return [] }
        guard !job.recorded.isEmpty else { s.post(.info, "this run kept no frames (only picture models keep them)"); return [] }
        if s.preview.source != .run { showRun(&s) }
        let last = job.recorded.count - 1
        // Live shows the newest frame; when it was kept, the first `[` goes to the one before.
        let current = s.preview.scrub ?? (job.recorded.last == job.frames ? last : last + 1)
        let next = current + delta
        if next > last {
            guard s.preview.scrub != nil else { return [] }
            s.preview.scrub = nil
            s.preview.picture = job.latestFrame
            s.preview.version += 1
            s.preview.info = ["live · frame \(job.frames)"]
            s.post(.info, "following the run again")
            return []
        }
        let index = max(0, next)
        guard index != s.preview.scrub else { return [] }
        s.preview.scrub = index
        s.preview.generation += 1
        return [.historyLoadFrame(runID: job.request.runID, frame: job.recorded[index], generation: s.preview.generation)]
    }

    static func historyFrameLoaded(_ s: inout AppState, generation: Int, frame: Int, picture: Image?, error: String?) -> [Effect] {
        guard generation == s.preview.generation, let index = s.preview.scrub, let job = s.job else { return [] }
        if let error {
            s.post(.error, "cannot show frame \(frame): \(error)")
            return []
        }
        s.preview.picture = picture
        s.preview.version += 1
        s.preview.info = ["frame \(frame) · kept \(index + 1) of \(job.recorded.count) · [ older · ] newer (past the last: live)"]
        return []
    }

    // MARK: Before / after

    /// `c`: the run's input beside the frame (left before, right after), or the frame alone.
    static func toggleCompare(_ s: inout AppState) -> [Effect] {
        if s.preview.compare {
            s.preview.compare = false
            s.preview.version += 1
            s.post(.info, "before/after off")
            return []
        }
        guard let job = s.job, let input = job.request.inputPath, MediaClassifier.kind(ofFile: input) == .image else {
            s.post(.info, "c compares a picture run's input with its frames: run DeepDream first")
            return []
        }
        if s.preview.source != .run { showRun(&s) }
        s.preview.compare = true
        s.preview.generation += 1
        s.post(.info, "before | after — c shows the frame alone")
        return [.loadComparison(path: input, generation: s.preview.generation)]
    }

    static func comparisonLoaded(_ s: inout AppState, generation: Int, picture: Image?, error: String?) -> [Effect] {
        guard generation == s.preview.generation else { return [] }
        if let error {
            s.preview.compare = false
            s.post(.error, "cannot compare: \(error)")
            return []
        }
        s.preview.before = picture
        s.preview.version += 1
        return []
    }

    // MARK: The history list

    static func showHistory(_ s: inout AppState) -> [Effect] {
        if case .history = s.overlay { s.overlay = nil; return [] }
        s.overlay = .history(selected: 0)
        return [.historyList]
    }

    /// Enter: the selected run again (its model, input and parameters); `e`: its parameters only.
    static func rerunSelected(_ s: inout AppState, run: Bool) -> [Effect] {
        guard case .history(let selected)? = s.overlay, s.history.indices.contains(selected) else { return [] }
        let record = s.history[selected]
        s.overlay = nil
        guard let index = s.models.entries.firstIndex(where: { $0.id == record.modelID }) else {
            s.post(.error, "no model '\(record.modelID)' in this build: cannot rerun \(record.folder)")
            return []
        }
        s.models.filter = ""
        s.models.selected = index
        s.models.section = .form
        s.models.field = 0
        let model = s.models.entries[index]
        var problems: [String] = []
        for (name, text) in record.parameters.sorted(by: { $0.key < $1.key }) where model.parameters.contains(where: { $0.name == name }) {
            if let error = setParameter(&s, model: model, name: name, text: text) { problems.append(error) }
        }
        if let input = record.input {
            if MediaClassifier.kind(ofFile: input) == .other {
                problems.append("its input \(input) is gone")
            } else {
                s.media.input = input
            }
        }
        s.focus = .models
        if !problems.isEmpty { s.post(.warning, "run \(record.runID) of \(record.modelName): " + problems.joined(separator: "; ")) }
        guard run else {
            s.post(.info, "parameters of \(record.modelName) run \(record.runID) loaded — r runs")
            return []
        }
        return Reducer.run(&s)
    }

    // MARK: Presets

    /// `:preset save|load|list|rm [NAME]` for the selected model.
    static func preset(_ s: inout AppState, _ args: [String]) -> [Effect] {
        guard let model = s.models.current else { s.post(.error, "select a model first"); return [] }
        let usage = "usage: preset save NAME | load NAME | list | rm NAME (for the selected model)"
        guard let verb = args.first else { return [.presetList(modelID: model.id)] }
        let name = args.dropFirst().joined(separator: " ")
        if verb == "list" || verb == "ls" { return [.presetList(modelID: model.id)] }
        guard !name.isEmpty, !name.contains("/"), !name.hasPrefix(".") else {
            s.post(.error, name.isEmpty ? usage : "a preset name cannot contain '/' or start with '.'")
            return []
        }
        switch verb {
        case "save":
            let values = s.models.parameters(for: model).values.mapValues(ParameterEditing.text)
            return [.presetSave(modelID: model.id, name: name, values: values)]
        case "load":
            return [.presetLoad(modelID: model.id, name: name)]
        case "rm", "remove", "delete":
            return [.presetRemove(modelID: model.id, name: name)]
        default:
            s.post(.error, usage)
            return []
        }
    }

    static func presetLoaded(_ s: inout AppState, modelID: String, name: String, values: [String: String]?, error: String?) -> [Effect] {
        guard let values else {
            s.post(.error, "preset '\(name)': \(error ?? "cannot read it")")
            return []
        }
        guard let model = s.models.entries.first(where: { $0.id == modelID }) else { return [] }
        var problems: [String] = []
        for (parameter, text) in values.sorted(by: { $0.key < $1.key }) where model.parameters.contains(where: { $0.name == parameter }) {
            if let problem = setParameter(&s, model: model, name: parameter, text: text) { problems.append(problem) }
        }
        if problems.isEmpty {
            s.post(.info, "✓ preset '\(name)' loaded into \(model.name)")
        } else {
            s.post(.warning, "preset '\(name)' loaded, but: " + problems.joined(separator: "; "))
        }
        return []
    }
}
