import Media
import Models

/// Work the runtime does on behalf of the state: I/O, background tasks, terminal changes.
/// `Reducer.update` returns effects; it never performs them.
public enum Effect: Equatable, Sendable {
    /// List a directory for the Media pane.
    case loadDirectory(String)
    /// Load a file for the Preview pane, fitted to `pixels`, tagged with `generation`.
    case loadPreview(generation: Int, path: String, kind: MediaKind, pixels: TerminalSize)
    /// Start a model run on a background task.
    case startRun(RunRequest)
    /// Pause (true) or resume a run.
    case pauseRun(runID: Int, paused: Bool)
    case cancelRun(runID: Int)
    /// Find a name in `directory` (created if missing) that no file has, `base.ext`, `base-2.ext`, …,
    /// and answer with `.savePrompt`.
    case proposeSave(SaveItem, directory: String, base: String)
    /// Write `item` to `path` (relative paths under `directory`), never over an existing file.
    case save(SaveItem, path: String, directory: String)
    /// Fetch a checkpoint or dataset (resuming any partial file).
    case startTransfer(kind: TransferKind, itemID: String)
    /// Fetch a URL into the Downloads pane (resuming any partial file).
    case startDownload(URLDownload)
    /// Stop a transfer; `keepPartial` true pauses it, false cancels it.
    case stopTransfer(id: String, keepPartial: Bool)
    case verifyDataset(String)
    /// Re-read the registry and checkpoint states (after a download).
    case refreshModels
    /// Run a CLI subcommand on its own thread, its output coming back as `.commandOutput`.
    case runCommand(id: Int, words: [String])
    /// Ask a running command to stop (as Ctrl-C would).
    case cancelCommand(id: Int)
    /// Re-read the dataset catalog's states (after a command may have changed them).
    case refreshDatasets
    /// Start a canvas animation from `path` (tagged with `generation`), or stop the current one.
    case startAnimation(generation: Int, path: String)
    case stopAnimation
    /// Repaint the whole terminal (and the preview).
    case redrawAll

    // MARK: Run history and presets
    /// Start keeping a run on disk.
    case historyBegin(RunRecord)
    /// Keep one frame of a run.
    case historyFrame(runID: Int, frame: Int, picture: Image)
    /// Note how a run ended.
    case historyFinish(runID: Int, outcome: String)
    /// Read a kept frame back for Preview (`[`/`]`).
    case historyLoadFrame(runID: Int, frame: Int, generation: Int)
    /// List past runs for the history overlay.
    case historyList
    /// Load the run's input for the before/after view (`c`).
    case loadComparison(path: String, generation: Int)
    /// Save, load, list or remove a model's parameter preset.
    case presetSave(modelID: String, name: String, values: [String: String])
    case presetLoad(modelID: String, name: String)
    case presetList(modelID: String)
    case presetRemove(modelID: String, name: String)
    /// Put `text` on the user's clipboard (OSC 52, which reaches it over SSH and through tmux).
    case copyToClipboard(String)
    case quit
}
