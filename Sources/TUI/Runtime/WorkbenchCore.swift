import Foundation
import Media
import Render

/// The workbench without a terminal: state, the update loop, effects and drawing into any `Screen`.
/// The ncurses front end (`Workbench.run`) and the tests drive the same core.
public final class WorkbenchCore {
    // MARK: State

    public private(set) var state: AppState
    public let inbox: Inbox
    public let runner: EffectRunner
    public private(set) var painter: PreviewPainter
    /// Every effect performed, in order (tests read it; trimmed to the last 1000).
    public private(set) var effects: [Effect] = []
    /// Whether effects are performed (tests of pure key handling may switch this off).
    public var performsEffects = true
    private var textDirty = true
    private var appliedTheme: String?
    private var overlayOpen = false
    private var tooSmall = false
    private var lastTick: Double = 0
    private let clock: () -> Double

    /// A core for a screen of `size`; `directory` is where the Media pane starts.
    public init(size: TerminalSize, services: WorkbenchServices, themes: ThemeLibrary = ThemeLibrary(themes: []),
                themeName: String? = nil, colorMode: ColorMode = .truecolor, directory: String = ".",
                assetsDirectory: String? = nil, pixels: PixelRenderer? = nil, clock: @escaping () -> Double = MonotonicClock.seconds) {
        self.clock = clock
        inbox = Inbox()
        runner = EffectRunner(inbox: inbox, services: services, assetsDirectory: assetsDirectory)
        painter = PreviewPainter(mode: colorMode, pixels: pixels)
        state = AppState(size: size, themes: themes, colorMode: colorMode)
        state.media.directory = directory
        state.workingDirectory = FileManager.default.currentDirectoryPath
        state.homeDirectory = services.environment["HOME"] ?? ""
        state.outputsDirectory = DataHome.root(environment: services.environment) + "/outputs"
        state.downloadsDirectory = DataHome.root(environment: services.environment) + "/downloads"
        state.now = clock()
        state.wallClockOffset = Date().timeIntervalSince1970 - state.now
        for problem in services.problems { state.post(.warning, problem) }
        // Only the theme asked for is an error; other broken files are skipped with a warning that
        // names them (they do not change what is shown).
        let chosen = themeName ?? "default"
        for problem in themes.problems where problem.name != chosen { state.post(.warning, problem.asSkipped) }
        if let name = themeName {
            if themes.theme(named: name) != nil {
                state.themeIndex = themes.index(of: name)
            } else if let problem = themes.problem(named: name) {
                state.post(.error, problem.asChosen)
            } else {
                state.post(.error, "no theme '\(name)' (themes: \(themes.names.joined(separator: ", "))); using the default theme")
            }
        } else if let problem = themes.problem(named: "default") {
            state.post(.error, problem.asChosen)
        }
    }

    /// Loads what the panes show at start: the directory listing, the models and the datasets.
    public func start() {
        let (entries, catalog) = runner.services.modelEntries()
        dispatch(.modelsLoaded(entries, catalog: catalog))
        if let datasets = runner.services.datasets { dispatch(.datasetsLoaded(datasets.list())) }
        state.media.loading = true
        perform(.loadDirectory(state.media.directory))
    }

    // MARK: Input

    /// Applies an action and performs the effects it returns.
    public func dispatch(_ action: Action) {
        state.now = clock()
        let produced = Reducer.update(&state, action)
        textDirty = true
        for effect in produced { perform(effect) }
    }

    /// Handles a key press.
    public func handle(_ key: Key) {
        for action in Keymap.actions(for: key, in: state) { dispatch(action) }
    }

    /// The terminal changed size.
    public func resize(to size: TerminalSize) {
        dispatch(.resized(size))
        painter.invalidate()
        runner.needsFullRedraw = true
    }

    /// Applies every action background tasks posted; returns how many.
    @discardableResult
    public func drainInbox() -> Int {
        let actions = inbox.drain()
        for action in actions { dispatch(action) }
        return actions.count
    }

    /// Waits (polling the inbox) until `condition` holds or `timeout` seconds pass; for tests.
    @discardableResult
    public func waitUntil(timeout: Double = 5, _ condition: (AppState) -> Bool) -> Bool {
        let deadline = MonotonicClock.seconds() + timeout
        while MonotonicClock.seconds() < deadline {
            drainInbox()
            if condition(state) { return true }
            usleep(2000)
        }
        drainInbox()
        return condition(state)
    }

    private func perform(_ effect: Effect) {
        effects.append(effect)
        if effects.count > 1000 { effects.removeFirst(effects.count - 1000) }
        if performsEffects { runner.perform(effect) }
    }

    // MARK: Drawing

    /// Draws what changed: the text layer when the state changed, then the preview's changed
    /// cells. Returns whether anything was sent to the screen.
    @discardableResult
    public func render(on screen: Screen) -> Bool {
        let text = renderText(on: screen)
        return renderPreview(on: screen) || text
    }

    /// Draws the text layer if the state changed (the part a key press changes).
    @discardableResult
    public func renderText(on screen: Screen) -> Bool {
        let now = clock()
        state.now = now
        var fullRedraw = runner.needsFullRedraw
        runner.needsFullRedraw = false
        if appliedTheme != state.theme.name {
            screen.apply(theme: state.theme)
            appliedTheme = state.theme.name
            fullRedraw = true
        }
        let overlayNow = state.overlay != nil
        if overlayNow != overlayOpen { overlayOpen = overlayNow; painter.invalidate() }
        let smallNow = !state.fitsMinimum
        if smallNow != tooSmall { tooSmall = smallNow; fullRedraw = true }
        if let job = state.job, job.phase.isLive, now - lastTick >= 0.5 { textDirty = true }
        if fullRedraw {
            screen.invalidate()
            painter.invalidate()
            textDirty = true
        }
        if !runner.terminalOutput.isEmpty {
            screen.writeRaw(runner.terminalOutput)
            runner.terminalOutput = []
        }
        guard textDirty else { return false }
        WorkbenchView.draw(state, on: screen)
        if screen.present() && painter.hasPainted {
            // The terminal scrolled rows, and the picture's cells with them (some now outside the
            // picture): repaint the screen, then the picture, in full.
            screen.invalidate()
            painter.invalidate()
            WorkbenchView.draw(state, on: screen)
            screen.present()
        }
        textDirty = false
        lastTick = now
        return true
    }

    /// Writes the preview's changed cells (rasterising a new picture if there is one).
    @discardableResult
    public func renderPreview(on screen: Screen) -> Bool {
        let now = clock()
        var wrote = false
        switch painter.paint(state, on: screen, now: now) {
        case .painted:
            wrote = true
        case .needsClear:
            screen.invalidate()
            WorkbenchView.draw(state, on: screen)
            screen.present()
            _ = painter.paint(state, on: screen, now: now + 1)
            wrote = true
        case .unchanged, .throttled:
            break
        }
        return wrote
    }

    /// Deletes pixel images the terminal still shows (before the workbench closes).
    public func removeImages(on screen: Screen) { painter.removeImages(on: screen) }

    /// Whether a preview frame is waiting for its turn (the loop should come back soon).
    public var hasPendingWork: Bool { textDirty || !inbox.isEmpty }
}

import Glibc
