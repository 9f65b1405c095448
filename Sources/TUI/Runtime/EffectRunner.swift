import Audio
import Canvas
import Foundation
import Media
import Models
import Render
import Synchronization

/// Performs the effects `Reducer.update` returns: starts background tasks (model runs, loads,
/// transfers, animations) whose results come back as actions through the `Inbox`, and does the
/// few synchronous things (saving a frame, running a CLI command with its output captured).
/// Lives on the main loop's thread.
public final class EffectRunner {
    // MARK: State

    public let inbox: Inbox
    public let services: WorkbenchServices
    /// The assets folder offered at the top of the Media pane.
    public let assetsDirectory: String?
    private var runTask: (id: Int, task: Task<Void, Never>, gate: PauseGate)?
    private var animationTask: Task<Void, Never>?
    private var transferTasks: [String: Task<Void, Never>] = [:]
    /// The stop switch of each `:` command started (read on the command's thread).
    private var commandStops: [Int: StopSwitch] = [:]
    /// Set by `.redrawAll`; the core repaints everything on the next frame.
    public var needsFullRedraw = false
    /// Past runs on disk (`MLWB_HOME/history`) and parameter presets (`MLWB_HOME/presets`).
    public private(set) lazy var history = RunHistory(root: DataHome.root(environment: services.environment) + "/history")
    public private(set) lazy var presets = PresetStore(root: DataHome.root(environment: services.environment) + "/presets")
    /// Bytes for the terminal itself (a clipboard copy), written with the next frame.
    public var terminalOutput: [UInt8] = []

    public init(inbox: Inbox, services: WorkbenchServices, assetsDirectory: String?) {
        self.inbox = inbox
        self.services = services
        self.assetsDirectory = assetsDirectory
    }

    deinit {
        runTask?.task.cancel()
        animationTask?.cancel()
        for t in transferTasks.values { t.cancel() }
    }

    // MARK: Performing

    /// Performs one effect.
    public func perform(_ effect: Effect) {
        let inbox = self.inbox
        switch effect {
        case .loadDirectory(let path):
            let assets = assetsDirectory
            Task.detached(priority: .userInitiated) {
                do {
                    let entries = try MediaScanner.scan(path, assets: assets)
                    inbox.post(.directoryLoaded(path: path, entries: entries, error: nil))
                } catch {
                    inbox.post(.directoryLoaded(path: path, entries: [], error: "cannot list \(path): \(error)"))
                }
            }
        case .loadPreview(let generation, let path, let kind, let pixels):
            Task.detached(priority: .userInitiated) {
                let name = path.split(separator: "/").last.map(String.init) ?? path
                do {
                    let loaded = try PreviewLoader.load(path, kind: kind, pixels: pixels)
                    inbox.post(.previewLoaded(generation: generation, picture: loaded.picture, title: name, info: loaded.info, error: nil))
                } catch {
                    inbox.post(.previewLoaded(generation: generation, picture: nil, title: name, info: [], error: "cannot preview \(name): \(error)"))
                }
            }
        case .startRun(let request):
            startRun(request)
        case .pauseRun(let runID, let paused):
            if let run = runTask, run.id == runID { run.gate.set(paused: paused) }
        case .cancelRun(let runID):
            if let run = runTask, run.id == runID {
                run.task.cancel()
                run.gate.set(paused: false)
                runTask = nil
            }
        case .proposeSave(let item, let directory, let base):
            do {
                let path = try SaveLocation.freeName(in: directory, base: base, extension: item.defaultExtension)
                inbox.post(.savePrompt(path: path, item: item))
            } catch {
                inbox.post(.frameSaved(path: nil, error: "\(error)"))
            }
        case .save(let item, let path, let directory):
            let full = SaveLocation.resolve(path, in: directory, environment: services.environment)
            do {
                try SaveLocation.write(item, to: full)
                inbox.post(.frameSaved(path: full, error: nil))
            } catch {
                inbox.post(.saveFailed(path: path, item: item, error: "\(error)"))
            }
        case .startTransfer(let kind, let itemID):
            startTransfer(kind: kind, itemID: itemID)
        case .stopTransfer(let id, let keepPartial):
            guard let service = services.transfers, let (kind, itemID) = Self.split(transferID: id) else { return }
            service.stop(kind: kind, itemID: itemID, keepPartial: keepPartial)
        case .verifyDataset(let id):
            guard let datasets = services.datasets else {
                inbox.post(.datasetState(id: id, state: .failed("no dataset support in this build")))
                return
            }
            Task.detached(priority: .utility) {
                let state = await datasets.verify(id)
                inbox.post(.datasetState(id: id, state: state))
            }
        case .refreshModels:
            let services = self.services
            Task.detached(priority: .utility) {
                let (entries, catalog) = services.modelEntries()
                inbox.post(.modelsLoaded(entries, catalog: catalog))
            }
        case .runCommand(let id, let words):
            runCommand(id: id, words: words)
        case .cancelCommand(let id):
            commandStops[id]?.stop()
        case .refreshDatasets:
            guard let datasets = services.datasets else { return }
            Task.detached(priority: .utility) { inbox.post(.datasetsLoaded(datasets.list())) }
        case .startDownload(let download):
            startDownload(download)
        case .startAnimation(let generation, let path):
            startAnimation(generation: generation, path: path)
        case .stopAnimation:
            animationTask?.cancel()
            animationTask = nil
        case .redrawAll:
            needsFullRedraw = true
        case .copyToClipboard(let text):
            terminalOutput += Clipboard.sequence(copying: text)
        case .historyBegin(let record):
            history.begin(record) { inbox.post(.log(.warning, $0)) }
        case .historyFrame(let runID, let frame, let picture):
            history.record(runID: runID, frame: frame, picture: picture)
        case .historyFinish(let runID, let outcome):
            history.finish(runID: runID, outcome: outcome)
        case .historyLoadFrame(let runID, let frame, let generation):
            history.frame(runID: runID, number: frame) { result in
                switch result {
                case .success(let picture): inbox.post(.historyFrameLoaded(generation: generation, frame: frame, picture: picture, error: nil))
                case .failure(let error): inbox.post(.historyFrameLoaded(generation: generation, frame: frame, picture: nil, error: "\(error)"))
                }
            }
        case .historyList:
            history.list { inbox.post(.historyLoaded($0)) }
        case .loadComparison(let path, let generation):
            Task.detached(priority: .userInitiated) {
                do {
                    inbox.post(.comparisonLoaded(generation: generation, picture: try ImageFile.load(path), error: nil))
                } catch {
                    inbox.post(.comparisonLoaded(generation: generation, picture: nil, error: "\(error)"))
                }
            }
        case .presetSave(let modelID, let name, let values):
            let presets = self.presets
            Task.detached(priority: .utility) {
                do {
                    let path = try presets.save(values, name: name, modelID: modelID)
                    inbox.post(.log(.info, "✓ preset '\(name)' saved → \(path)"))
                } catch {
                    inbox.post(.log(.error, "cannot save preset '\(name)': \(error)"))
                }
            }
        case .presetLoad(let modelID, let name):
            let presets = self.presets
            Task.detached(priority: .userInitiated) {
                do {
                    inbox.post(.presetLoaded(modelID: modelID, name: name, values: try presets.load(name: name, modelID: modelID), error: nil))
                } catch {
                    inbox.post(.presetLoaded(modelID: modelID, name: name, values: nil, error: "\(error)"))
                }
            }
        case .presetList(let modelID):
            let presets = self.presets
            Task.detached(priority: .userInitiated) { inbox.post(.presetsListed(modelID: modelID, names: presets.names(modelID: modelID))) }
        case .presetRemove(let modelID, let name):
            let presets = self.presets
            Task.detached(priority: .utility) {
                do {
                    try presets.remove(name: name, modelID: modelID)
                    inbox.post(.log(.info, "preset '\(name)' removed"))
                } catch {
                    inbox.post(.log(.error, "cannot remove preset '\(name)': \(error)"))
                }
            }
        case .quit:
            stopEverything()
        }
    }

    /// Cancels every background task (on quit).
    /// Cancels every background job; with `waiting > 0`, also waits up to that many seconds for a
    /// model run to wind down (it stops between steps), so the process never exits mid-computation.
    public func stopEverything(waiting timeout: Double = 0) {
        let running = runTask?.task
        runTask?.task.cancel()
        runTask?.gate.set(paused: false)
        runTask = nil
        animationTask?.cancel()
        animationTask = nil
        guard let running, timeout > 0 else { return }
        let finished = DispatchSemaphore(value: 0)
        Task.detached {
            await running.value
            finished.signal()
        }
        _ = finished.wait(timeout: .now() + timeout)
    }

    /// Whether a model run task is alive.
    public var isRunning: Bool { runTask != nil }

    // MARK: Model runs

    private func startRun(_ request: RunRequest) {
        runTask?.task.cancel()
        runTask?.gate.set(paused: false)
        let inbox = self.inbox
        let runID = request.runID
        guard let model = try? services.registry.model(request.modelID) else {
            inbox.post(.modelEvent(runID: runID, event: .failed("no model '\(request.modelID)'"), at: MonotonicClock.seconds()))
            return
        }
        guard var context = services.modelContext() else {
            inbox.post(.modelEvent(runID: runID, event: .failed("no checkpoint catalog found (set MLWB_ASSETS)"), at: MonotonicClock.seconds()))
            return
        }
        let gate = PauseGate()
        context.pauseGate = gate  // the model's compute loop waits here while paused
        let task = Task.detached(priority: .userInitiated) {
            await EffectRunner.consume(model: model, request: request, context: context, gate: gate, inbox: inbox)
        }
        runTask = (runID, task, gate)
    }

    /// Loads the input, runs the model and forwards its events until the stream ends or the
    /// task is cancelled; waits while the gate is paused.
    static func consume(model: any Model, request: RunRequest, context: ModelContext, gate: PauseGate, inbox: Inbox) async {
        let runID = request.runID
        let input: ModelInput
        do {
            input = try loadInput(request.inputPath)
        } catch {
            inbox.post(.modelEvent(runID: runID, event: .failed("cannot read the input: \(error)"), at: MonotonicClock.seconds()))
            inbox.post(.runEnded(runID: runID))
            return
        }
        let stream = model.run(input, parameters: request.parameters, context: context)
        for await event in stream {
            if Task.isCancelled { break }
            if gate.isPaused { await gate.wait() }
            if Task.isCancelled { break }
            inbox.post(.modelEvent(runID: runID, event: event, at: MonotonicClock.seconds()))
            // Results that are not pictures (notes, pitch, classes, chords, beats) get a view of their own.
            if case .finished(let result) = event, let view = ResultView.make(result, input: input) {
                inbox.post(.resultView(runID: runID, view: view))
            }
        }
        inbox.post(.runEnded(runID: runID))
    }

    /// The model input for a file: an image (PNG, JPEG, WebP, GIF) or an audio clip; none without a file.
    static func loadInput(_ path: String?) throws -> ModelInput {
        guard let path else { return .none }
        switch MediaClassifier.kind(ofFile: path) {
        case .image, .mask: return .image(try ImageFile.load(path))
        case .audio: return .audio(try AudioFile.load(path))
        default: throw MediaError.invalidArgument("\(path) is not an image or audio file")
        }
    }

    // MARK: Transfers

    private func startTransfer(kind: TransferKind, itemID: String) {
        let id = kind.rawValue + ":" + itemID
        let inbox = self.inbox
        guard let service = services.transfers else {
            inbox.post(.transfer(id: id, event: .failed("downloads are not available in this build"), at: MonotonicClock.seconds()))
            return
        }
        // A stopped transfer may still be winding down (releasing its lock on the .part file):
        // the new one starts only after the old one has returned.
        let previous = transferTasks[id]
        transferTasks[id] = Task.detached(priority: .utility) {
            if let previous { await previous.value }
            await service.start(kind: kind, itemID: itemID) { event in
                inbox.post(.transfer(id: id, event: event, at: MonotonicClock.seconds()))
            }
        }
    }

    static func split(transferID: String) -> (TransferKind, String)? {
        guard let colon = transferID.firstIndex(of: ":"),
              let kind = TransferKind(rawValue: String(transferID[..<colon])) else { return nil }
        return (kind, String(transferID[transferID.index(after: colon)...]))
    }

    // MARK: Canvas animation

    private func startAnimation(generation: Int, path: String) {
        animationTask?.cancel()
        let inbox = self.inbox
        animationTask = Task.detached(priority: .userInitiated) {
            do {
                var image = MediaClassifier.kind(ofFile: path) == .mask ? try Mask.load(path).colorized() : try ImageFile.load(path).flattened()
                // Animate at preview resolution: big images would only slow the feedback loop down.
                let side = 256
                if max(image.width, image.height) > side {
                    let size = image.fittingSize(maxWidth: side, maxHeight: side)
                    image = image.resized(width: size.width, height: size.height)
                }
                let mods = [CanvasMod(zoom: 1.012, rotConst: 0.012, spiralMargin: 0.002, spiralPeriods: 5)]
                var animation = CanvasAnimation(start: image, mods: mods)
                var index = 0
                while !Task.isCancelled {
                    let began = MonotonicClock.seconds()
                    guard let frame = animation.next() else { break }
                    inbox.post(.animationFrame(generation: generation, picture: frame, index: index))
                    index += 1
                    let spent = MonotonicClock.seconds() - began
                    let wait = max(0.005, 1.0 / 30 - spent)
                    try await Task.sleep(nanoseconds: UInt64(wait * 1e9))
                }
            } catch is CancellationError {
            } catch {
                inbox.post(.log(.error, "animation: \(error)"))
            }
        }
    }

    // MARK: CLI commands

    /// Runs `mlwb WORDS…` on a thread of its own (a command blocks while it waits for its work, which
    /// must not hold up the async pool): output goes to the inbox as it is written, escape sequences
    /// removed, then the exit status.
    private func runCommand(id: Int, words: [String]) {
        let inbox = self.inbox
        guard let runner = services.commandRunner else {
            inbox.post(.commandOutput(id: id, text: "unknown command '\(words.first ?? "")' (no CLI in this build)\n"))
            inbox.post(.commandFinished(id: id, status: 2))
            return
        }
        if let first = words.first, first == "--theme" || first.hasPrefix("--theme=") {
            inbox.post(.commandOutput(id: id, text: "the workbench is already open: t cycles themes, :theme NAME picks one\n"))
            inbox.post(.commandFinished(id: id, status: 2))
            return
        }
        let stop = StopSwitch()
        commandStops[id] = stop
        let decoder = CommandOutputDecoder()
        let thread = Thread {
            let invocation = CommandInvocation(words: words, output: { bytes in
                let text = decoder.decode(bytes)
                if !text.isEmpty { inbox.post(.commandOutput(id: id, text: text)) }
            }, isCancelled: { stop.isStopped })
            let status = runner(invocation)
            let rest = decoder.finish()
            if !rest.isEmpty { inbox.post(.commandOutput(id: id, text: rest)) }
            inbox.post(.commandFinished(id: id, status: status))
        }
        thread.stackSize = 16 << 20   // model code recurses deeper than a secondary thread's default stack
        thread.name = "mlwb-command-\(id)"
        thread.start()
    }

    // MARK: URL downloads

    private func startDownload(_ download: URLDownload) {
        let id = TransferKind.url.rawValue + ":" + download.destination
        let inbox = self.inbox
        guard let service = services.transfers else {
            inbox.post(.transfer(id: id, event: .failed("downloads are not available in this build"), at: MonotonicClock.seconds()))
            return
        }
        let previous = transferTasks[id]
        transferTasks[id] = Task.detached(priority: .utility) {
            if let previous { await previous.value }
            await service.fetch(download) { event in
                inbox.post(.transfer(id: id, event: event, at: MonotonicClock.seconds()))
            }
        }
    }
}

/// A command's stop request, set on the main loop and read on the command's thread.
final class StopSwitch: Sendable {
    private let flag = Mutex(false)
    func stop() { flag.withLock { $0 = true } }
    var isStopped: Bool { flag.withLock { $0 } }
}
