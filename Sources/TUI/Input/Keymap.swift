/// Turns keys into actions, given what is on screen (an overlay, a line editor, the focused pane).
///
/// Precedence: a too-small terminal (only quit works), an open overlay, an active line editor
/// (command line, filter, form field), then global keys, then the focused pane's keys.
public enum Keymap {
    /// One row of the help overlay.
    public struct Binding: Equatable, Sendable {
        public var keys: String
        public var scope: String
        public var action: String
    }

    /// Every binding, as the help overlay lists them.
    public static let bindings: [Binding] = [
        Binding(keys: "Tab / Shift-Tab", scope: "everywhere", action: "focus the next / previous pane"),
        Binding(keys: "1 2 3 4", scope: "everywhere", action: "focus Models, Media, Downloads, Preview"),
        Binding(keys: "↑ ↓ / k j", scope: "lists", action: "move the selection"),
        Binding(keys: "PgUp PgDn", scope: "lists", action: "move by a page"),
        Binding(keys: "Home End", scope: "lists", action: "first / last row"),
        Binding(keys: "Enter", scope: "Models list", action: "open the model's parameter form"),
        Binding(keys: "Enter", scope: "Models form", action: "edit the field: type a number or text, or pick a choice/yes-no with ← →; Enter sets, Esc keeps the old value; on [ Run ] runs"),
        Binding(keys: "← → / h l / - +", scope: "Models form", action: "step a number down / up, the previous / next choice (without opening the editor)"),
        Binding(keys: "→ / l", scope: "Models list", action: "open the model's parameter form"),
        Binding(keys: "i", scope: "Models", action: "the model's whole card: summary, checkpoints, every parameter with its help"),
        Binding(keys: "Space", scope: "Models form", action: "toggle a yes/no field, cycle a choice, set/clear the mask"),
        Binding(keys: "D", scope: "Models form", action: "reset the field to its default"),
        Binding(keys: "Esc / Backspace", scope: "Models form", action: "back to the model list"),
        Binding(keys: "Enter / → / l", scope: "Media", action: "open a folder; pick a file as the model's input"),
        Binding(keys: "Backspace / ← / h", scope: "Media", action: "parent folder"),
        Binding(keys: "Space", scope: "Media", action: "pick / clear the selected mask"),
        Binding(keys: "a", scope: "Media, Preview", action: "play / stop a canvas feedback animation of the image"),
        Binding(keys: "Space / p", scope: "Downloads", action: "pause / resume the selected transfer"),
        Binding(keys: "x", scope: "Downloads", action: "cancel the selected transfer"),
        Binding(keys: "r", scope: "Downloads", action: "retry a failed or stopped transfer"),
        Binding(keys: "g / Enter", scope: "Downloads", action: "get the selected dataset"),
        Binding(keys: "v", scope: "Downloads", action: "verify the selected dataset"),
        Binding(keys: "Enter", scope: "Preview", action: "switch between the run's frames and the media selection"),
        Binding(keys: "f", scope: "everywhere", action: "Preview fullscreen and back (Esc returns too)"),
        Binding(keys: "[ ]", scope: "everywhere", action: "step back / forward through the run's kept frames (past the newest: live again)"),
        Binding(keys: "c", scope: "everywhere", action: "before | after: the run's input beside its frame, or the frame alone"),
        Binding(keys: "H", scope: "everywhere", action: "past runs with their parameters: Enter reruns one, e loads its parameters"),
        Binding(keys: "+ - 0", scope: "Preview", action: "zoom in / out of a picture, 0 shows all of it"),
        Binding(keys: "← → ↑ ↓ / h l k j", scope: "Preview, zoomed", action: "pan the zoomed picture"),
        Binding(keys: "r", scope: "everywhere*", action: "run the selected model (again, with the current parameters)"),
        Binding(keys: "p", scope: "everywhere*", action: "pause / resume the run"),
        Binding(keys: "x", scope: "everywhere*", action: "stop the run"),
        Binding(keys: "s", scope: "everywhere", action: "save what Preview shows: a frame as PNG, a result as MIDI/CSV/.lab (save-as prompt)"),
        Binding(keys: "/", scope: "Models, Media", action: "filter the list (Enter keeps, Esc clears)"),
        Binding(keys: ":", scope: "everywhere", action: "command line: show FILE, dream [IMAGE] --NAME VALUE, dream params, set NAME V, checkpoints [get ID], datasets [get|verify ID], theme NAME, cd DIR, run, stop, save, history, preset save|load|list|rm NAME, quit, or any mlwb subcommand"),
        Binding(keys: "↑ ↓", scope: "command line", action: "earlier / later commands"),
        Binding(keys: "t", scope: "everywhere", action: "cycle the colour theme"),
        Binding(keys: "L", scope: "everywhere", action: "show the log (errors and messages, with their times)"),
        Binding(keys: "↑ ↓ / y", scope: "log", action: "select an entry / copy it to the clipboard (OSC 52: works over SSH and in tmux)"),
        Binding(keys: "y", scope: "command output", action: "copy the whole output to the clipboard"),
        Binding(keys: "?", scope: "everywhere", action: "this help (Esc, q or ? closes; ↑ ↓ scroll)"),
        Binding(keys: "Ctrl-L", scope: "everywhere", action: "redraw the screen"),
        Binding(keys: "q", scope: "everywhere", action: "quit (asks first if a run or download is going)"),
        Binding(keys: "Ctrl-C", scope: "everywhere", action: "quit now, stopping work"),
        Binding(keys: "y / n", scope: "questions", action: "answer yes / no (Enter = yes, Esc = no)"),
        Binding(keys: "click", scope: "mouse", action: "focus a pane and select a row; click the selected row again for Enter (MLWB_MOUSE=0 turns the mouse off)"),
        Binding(keys: "wheel", scope: "mouse", action: "scroll the list under the pointer, or the help / log / output"),
    ]

    /// The actions for `key` in `state` (usually one; none for unbound keys).
    public static func actions(for key: Key, in state: AppState) -> [Action] {
        if key == .resize { return [] }  // the runtime handles resizes itself
        if key == .control("c") { return [.interrupt] }
        if !state.fitsMinimum {
            switch key {
            case .character("q"), .character("Q"): return [.requestQuit]
            case .control("l"): return [.redraw]
            default: return []
            }
        }
        if case .mouse(let event) = key { return mouseActions(event, state) }
        if let overlay = state.overlay { return overlayActions(key, overlay) }
        if state.isEditingText { return [.edit(key)] }
        if let global = globalActions(key, state) { return global }
        return paneActions(key, state)
    }

    // MARK: Overlays

    static func overlayActions(_ key: Key, _ overlay: Overlay) -> [Action] {
        if case .confirm = overlay {
            switch key {
            case .character("y"), .character("Y"), .enter: return [.answer(true)]
            case .character("n"), .character("N"), .escape, .character("q"): return [.answer(false)]
            default: return []
            }
        }
        if case .command = overlay, key == .character("x") { return [.cancelCommand] }
        if case .history = overlay {
            switch key {
            case .enter: return [.rerunSelected(run: true)]
            case .character("e"): return [.rerunSelected(run: false)]
            case .character("H"): return [.closeOverlay]
            default: break
            }
        }
        if key == .character("y") {
            switch overlay {
            case .log, .command, .output: return [.copyOverlay]
            default: return []
            }
        }
        switch key {
        case .escape, .character("q"), .enter: return [.closeOverlay]
        case .character("?"):
            if case .help = overlay { return [.closeOverlay] }
            return [.showHelp]
        case .character("L"):
            if case .log = overlay { return [.closeOverlay] }
            return [.showLog]
        case .up, .character("k"): return [.scrollOverlay(-1)]
        case .down, .character("j"): return [.scrollOverlay(1)]
        case .pageUp: return [.scrollOverlay(-10)]
        case .pageDown, .character(" "): return [.scrollOverlay(10)]
        case .home: return [.scrollOverlay(-1_000_000)]
        case .end: return [.scrollOverlay(1_000_000)]
        case .control("l"): return [.redraw]
        default: return []
        }
    }

    // MARK: Mouse

    /// A click focuses the pane under it and selects the row (a second click acts as Enter); the
    /// wheel moves the selection of the list under it, or scrolls an open overlay.
    static func mouseActions(_ event: MouseEvent, _ state: AppState) -> [Action] {
        if let overlay = state.overlay {
            if case .confirm = overlay { return [] }
            return event.kind == .click ? [] : [.scrollOverlay(event.wheelRows)]
        }
        // Typing goes on until Enter or Esc; the mouse does not end it unseen.
        if state.isEditingText { return [] }
        guard let hit = HitTest.hit(row: event.row, column: event.column, in: state) else { return [] }
        switch event.kind {
        case .click:
            if let target = hit.target { return [.select(target)] }
            return hit.pane == state.focus ? [] : [.focus(hit.pane)]
        case .wheelUp, .wheelDown:
            if hit.pane == .preview { return [.focus(.preview)] }
            return (hit.pane == state.focus ? [] : [.focus(hit.pane)]) + [.move(event.wheelRows)]
        }
    }

    // MARK: Global keys

    static func globalActions(_ key: Key, _ state: AppState) -> [Action]? {
        let pane = state.focus
        switch key {
        case .tab: return [.focusNext]
        case .backTab: return [.focusPrevious]
        case .character("1"): return [.focus(.models)]
        case .character("2"): return [.focus(.media)]
        case .character("3"): return [.focus(.downloads)]
        case .character("4"): return [.focus(.preview)]
        case .character("?"), .function(1): return [.showHelp]
        case .character(":"): return [.beginCommand]
        case .character("/"): return [.beginFilter]
        case .character("q"): return [.requestQuit]
        case .character("t"): return [.cycleTheme]
        case .character("L"): return [.showLog]
        case .control("l"): return [.redraw]
        case .character("s"): return [.saveFrame]
        case .character("f"): return [.toggleFullscreen]
        case .character("["): return [.scrub(-1)]
        case .character("]"): return [.scrub(1)]
        case .character("c"): return [.toggleCompare]
        case .character("H"): return [.showHistory]
        case .escape where state.preview.fullscreen: return [.toggleFullscreen]
        case .character("r") where pane != .downloads: return [.run]
        case .character("p") where pane != .downloads: return [.togglePause]
        case .character("x") where pane != .downloads: return [.stop]
        default: return nil
        }
    }

    // MARK: Pane keys

    static func paneActions(_ key: Key, _ state: AppState) -> [Action] {
        if state.focus == .preview, state.preview.zoom > 1 {
            switch key {
            case .left, .character("h"): return [.pan(dx: -1, dy: 0)]
            case .right, .character("l"): return [.pan(dx: 1, dy: 0)]
            case .up, .character("k"): return [.pan(dx: 0, dy: -1)]
            case .down, .character("j"): return [.pan(dx: 0, dy: 1)]
            default: break
            }
        }
        switch key {
        case .up, .character("k"): return [.move(-1)]
        case .down, .character("j"): return [.move(1)]
        case .pageUp: return [.page(-1)]
        case .pageDown: return [.page(1)]
        case .home: return [.jump(toTop: true)]
        case .end: return [.jump(toTop: false)]
        case .enter: return [.activate]
        case .character(" "): return [.toggle]
        default: break
        }
        switch state.focus {
        case .models:
            let inForm = state.models.section == .form
            switch key {
            case .left, .character("h"): return inForm ? [.adjust(-1)] : []
            case .right, .character("l"): return inForm ? [.adjust(1)] : [.activate]
            case .character("-"): return inForm ? [.adjust(-1)] : []
            case .character("+"), .character("="): return inForm ? [.adjust(1)] : []
            case .character("D"): return inForm ? [.resetField] : []
            case .character("i"): return [.showModelCard]
            case .escape, .backspace: return inForm ? [.back] : []
            default: return []
            }
        case .media:
            switch key {
            case .left, .character("h"), .backspace: return [.back]
            case .right, .character("l"):
                return state.media.current?.kind == .directory ? [.activate] : []
            case .character("a"): return [.toggleAnimation]
            default: return []
            }
        case .downloads:
            switch key {
            case .character("p"): return [.transferToggle]
            case .character("x"): return [.transferCancel]
            case .character("r"): return [.transferRetry]
            case .character("g"): return [.datasetGet]
            case .character("v"): return [.datasetVerify]
            default: return []
            }
        case .preview:
            switch key {
            case .character("a"): return [.toggleAnimation]
            case .character("+"), .character("="): return [.zoom(1)]
            case .character("-"): return [.zoom(-1)]
            case .character("0"): return [.zoom(0)]
            default: return []
            }
        }
    }
}
