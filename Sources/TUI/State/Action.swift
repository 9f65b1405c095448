import Media
import Models

/// What a transfer reported (from the download manager to the state).
public enum TransferEvent: Equatable, Sendable {
    /// Bytes so far and the total, if known.
    case progress(bytes: Int, total: Int?)
    /// Checking the sha256 / size.
    case verifying
    /// Verified and in place at `path`.
    case finished(path: String)
    case failed(String)
    /// A note from the downloader: a retry after an error, a resume, a mirror used.
    case note(String)
    /// Stopped on request, partial file kept for resuming.
    case paused
    /// Stopped on request, partial file deleted.
    case cancelled
}

/// Everything that can change the state: key-driven intents and results coming back from effects.
public enum Action: Sendable {
    // MARK: Focus and movement
    case focus(PaneID)
    case focusNext
    case focusPrevious
    /// Move the selection by rows (negative: up).
    case move(Int)
    /// Move by a page (negative: up).
    case page(Int)
    /// Jump to the first (true) or last row.
    case jump(toTop: Bool)
    /// Enter: open a directory, pick an input, edit a field, toggle a transfer…
    case activate
    /// Space: toggle a boolean, cycle a choice, pick a mask, pause/resume a transfer.
    case toggle
    /// Go back: the parent directory, or from the form to the model list.
    case back
    /// ←/→ on a form field: decrease/increase a number, cycle a choice.
    case adjust(Int)
    /// Reset the selected form field to its default.
    case resetField
    /// A click on a row: select it (and focus its pane); a click on the selected row acts as Enter.
    case select(RowTarget)

    // MARK: Preview view
    /// `f`: Preview fills the screen, or goes back to its pane.
    case toggleFullscreen
    /// Zoom in (+1), out (-1) or back to the whole picture (0).
    case zoom(Int)
    /// Move the zoomed view by steps (a quarter of what is shown each).
    case pan(dx: Int, dy: Int)

    // MARK: Run history
    /// `[` / `]`: the run's previous / next kept frame (past the last: live again).
    case scrub(Int)
    /// `c`: the run's input beside its frame, or the frame alone.
    case toggleCompare
    /// `H` / `:history`: past runs.
    case showHistory
    /// `i` in Models: the selected model's whole card (summary, checkpoints, every parameter).
    case showModelCard
    /// Enter in the history: run the selected record again; `e`: only load its parameters.
    case rerunSelected(run: Bool)
    case historyFrameLoaded(generation: Int, frame: Int, picture: Image?, error: String?)
    case historyLoaded([RunRecord])
    case comparisonLoaded(generation: Int, picture: Image?, error: String?)
    case presetLoaded(modelID: String, name: String, values: [String: String]?, error: String?)
    case presetsListed(modelID: String, names: [String])

    // MARK: Editing
    case beginFilter
    case beginCommand
    /// A key for the active line editor.
    case edit(Key)
    /// Earlier/later command in the history (↑/↓ on the command line).
    case history(Int)

    // MARK: Overlays
    case showHelp
    case showLog
    case closeOverlay
    case scrollOverlay(Int)
    case answer(Bool)
    /// `y`: copy the log's selected entry (or a command's output) to the clipboard.
    case copyOverlay

    // MARK: Work
    case run
    case togglePause
    case stop
    case saveFrame
    case toggleAnimation
    case transferToggle
    case transferCancel
    case transferRetry
    case datasetGet
    case datasetVerify
    /// Open a file in Preview (the command line's `show`).
    case show(String)

    // MARK: Look and life
    case cycleTheme
    case redraw
    case resized(TerminalSize)
    case requestQuit
    case forceQuit
    /// Ctrl-C: quit now, stopping work, with the shell's interrupted status (130).
    case interrupt
    /// A termination signal arrived.
    case signal(Int32)

    // MARK: Results from effects
    case directoryLoaded(path: String, entries: [MediaEntry], error: String?)
    case previewLoaded(generation: Int, picture: Image?, title: String, info: [String], error: String?)
    case modelEvent(runID: Int, event: ModelEvent, at: Double)
    /// The run's event stream ended (after finished/failed, or cancelled).
    case runEnded(runID: Int)
    /// A finished run's result drawn for Preview (a plot with axes, or the input with bars).
    case resultView(runID: Int, view: ResultView)
    /// The runtime found a free default name: open the save-as prompt with it.
    case savePrompt(path: String, item: SaveItem)
    /// Saving to the path typed failed (it exists, or cannot be written): the prompt reopens with it.
    case saveFailed(path: String, item: SaveItem, error: String)
    case frameSaved(path: String?, error: String?)
    case transfer(id: String, event: TransferEvent, at: Double)
    case modelsLoaded([ModelEntry], catalog: [CheckpointInfo])
    case datasetsLoaded([DatasetRow])
    case datasetState(id: String, state: DatasetState)
    case animationFrame(generation: Int, picture: Image, index: Int)
    /// Output of a `:` command (escape sequences removed).
    case commandOutput(id: Int, text: String)
    case commandFinished(id: Int, status: Int32)
    /// Stop the running `:` command whose output is open.
    case cancelCommand
    case log(LogLevel, String)
}
