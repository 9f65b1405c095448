import CNCurses
import Synchronization
import Glibc

/// The termination signal that arrived (0: none); set by the signal handler, read by the main loop.
private let pendingSignal = Atomic<Int32>(0)
/// The terminal modes of fd 0 before curses started (written once, before the handlers exist).
nonisolated(unsafe) private let savedModes = UnsafeMutablePointer<termios>.allocate(capacity: 1)
private let haveSavedModes = Atomic<Bool>(false)
/// Whether curses owns the terminal (the last-resort paths restore it only then).
private let cursesActive = Atomic<Bool>(false)

/// Makes sure the terminal is given back: SIGINT, SIGTERM, SIGHUP and SIGQUIT set a flag the main
/// loop reads (it then leaves curses normally); crashes (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT,
/// SIGTRAP) and `exit` without cleanup restore the terminal modes and leave the alternate screen
/// directly, with async-signal-safe calls only.
public enum TerminalGuard {
    static let stopSignals: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT]
    static let crashSignals: [Int32] = [SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP]

    /// Saves the terminal modes (before curses starts).
    public static func saveModes() {
        if tcgetattr(0, savedModes) == 0 { haveSavedModes.store(true, ordering: .sequentiallyConsistent) }
    }

    /// Installs the handlers (after `initscr`, replacing the ones curses installed).
    public static func install() {
        cursesActive.store(true, ordering: .sequentiallyConsistent)
        pendingSignal.store(0, ordering: .relaxed)
        for sig in stopSignals {
            _ = mlwb_install_signal(sig) { sig in pendingSignal.store(sig, ordering: .relaxed) }
        }
        for sig in crashSignals {
            _ = mlwb_install_signal(sig) { sig in
                TerminalGuard.emergencyRestore()
                mlwb_reraise(sig)
            }
        }
        atexit { TerminalGuard.emergencyRestore() }
    }

    /// Curses has ended normally: the last-resort paths have nothing left to do.
    public static func released() {
        cursesActive.store(false, ordering: .sequentiallyConsistent)
        for sig in stopSignals { signal(sig, SIG_DFL) }
    }

    /// The signal that asked the workbench to stop, if any.
    public static var pending: Int32? {
        let s = pendingSignal.load(ordering: .relaxed)
        return s == 0 ? nil : s
    }

    /// Restores the saved modes and resets the screen state without curses (async-signal-safe).
    static func emergencyRestore() {
        guard cursesActive.exchange(false, ordering: .sequentiallyConsistent) else { return }
        // Reset colours, show the cursor, leave the alternate screen, keypad off.
        let bytes: StaticString = "\u{1B}[0m\u{1B}[?25h\u{1B}[?1049l\u{1B}[?1l\u{1B}>\r\n"
        _ = write(1, bytes.utf8Start, bytes.utf8CodeUnitCount)
        if haveSavedModes.load(ordering: .sequentiallyConsistent) { tcsetattr(0, TCSAFLUSH, savedModes) }
    }
}
