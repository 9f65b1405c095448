import Render

/// Everything the workbench shows and remembers; changed only by `Reducer.update`.
public struct AppState: Sendable {
    // MARK: Layout and focus

    /// The terminal size.
    public var size: TerminalSize
    /// The focused pane.
    public var focus: PaneID = .models

    // MARK: Panes

    public var models = ModelsState()
    public var media = MediaState()
    public var downloads = DownloadsState()
    public var preview = PreviewState()

    // MARK: Work

    /// The current or last model run.
    public var job: JobState?
    /// The id the next run gets.
    public var nextRunID = 1
    /// Whether a canvas animation is playing in Preview.
    public var animating = false

    // MARK: Overlays and editing

    public var overlay: Overlay?
    /// The save-as prompt while it is open, and what it saves.
    public var savePrompt: SavePrompt?
    /// Where `s` saves by default (`MLWB_HOME/outputs`).
    public var outputsDirectory = "outputs"
    /// The process's working directory (absolute), against which Media shows relative folders.
    public var workingDirectory = "/"
    /// The user's home folder, shown as `~` in paths ("" when unknown).
    public var homeDirectory = ""
    /// Where `:download URL` puts files without `-o` (`MLWB_HOME/downloads`).
    public var downloadsDirectory = "downloads"
    /// The `:` command line while it is open.
    public var commandLine: LineEditor?
    /// `:` commands run this session (the last 20), oldest first, and the id the next one gets.
    public var commands: [CommandJob] = []
    public var nextCommandID = 1
    /// Earlier commands, oldest first.
    public var commandHistory: [String] = []
    /// The pane whose `/` filter is being typed, and the editor.
    public var filterEditing: (pane: PaneID, editor: LineEditor)?

    /// Past runs for the history overlay (loaded when it opens).
    public var history: [RunRecord] = []

    // MARK: Messages

    public var log: [LogEntry] = []
    /// The status bar's message (the last thing that happened) and when it came (`now`).
    public var message: LogEntry?
    public var messageAt: Double = 0

    // MARK: Look

    public var themes: ThemeLibrary
    public var themeIndex = 0
    public var colorMode: ColorMode

    /// The runtime's clock (seconds, monotonic), set before each action so `update` stays pure.
    public var now: Double = 0
    /// Wall-clock seconds (since 1970) minus `now`: log entries get their time of day from it.
    public var wallClockOffset: Double = 0
    /// Position in `commandHistory` while browsing it with ↑/↓.
    public var historyCursor: Int?

    /// Set when the workbench should exit.
    public var shouldQuit = false
    /// The process's exit status once `shouldQuit` (130 after Ctrl-C, as for any interrupted command).
    public var exitStatus: Int32 = 0

    public init(size: TerminalSize, themes: ThemeLibrary = ThemeLibrary(themes: []), colorMode: ColorMode = .truecolor) {
        self.size = size
        self.themes = themes
        self.colorMode = colorMode
    }

    /// The theme in use.
    public var theme: Theme { themes.themes.indices.contains(themeIndex) ? themes.themes[themeIndex] : Theme.builtIn }

    /// Where the panes are now (Preview fullscreen or not).
    public var layout: Layout { Layout(size: size, previewFullscreen: preview.fullscreen) }

    /// Whether the terminal is big enough for the panes.
    public var fitsMinimum: Bool { size.fits(Layout.minimumSize) }

    /// Whether typing goes to a line editor (command line, filter or form field).
    public var isEditingText: Bool { commandLine != nil || filterEditing != nil || models.editing != nil || models.picking != nil || savePrompt != nil }

    /// What would be lost by quitting now, or nil if nothing is running.
    public var runningWorkDescription: String? {
        var parts: [String] = []
        if let job, job.phase.isLive { parts.append("\(job.modelName) is \(job.phase.label)") }
        let active = downloads.transfers.filter { $0.phase.isActive }.count
        if active > 0 { parts.append("\(active) download\(active == 1 ? "" : "s") in progress") }
        let commands = commands.filter(\.isRunning)
        if let first = commands.first { parts.append(commands.count == 1 ? "'\(first.title)' is running" : "\(commands.count) commands are running") }
        return parts.isEmpty ? nil : parts.joined(separator: " and ")
    }

    /// Shows `text` in the status bar only (a confirmation that need not stay in the log).
    public mutating func flash(_ level: LogLevel, _ text: String) {
        message = LogEntry(level: level, text: text, time: wallClockOffset == 0 ? 0 : now + wallClockOffset)
        messageAt = now
    }

    /// Adds a log line and shows it in the status bar.
    public mutating func post(_ level: LogLevel, _ text: String) {
        flash(level, text)
        log.append(message!)
        if log.count > 500 { log.removeFirst(log.count - 500) }
    }
}
