import Glibc

/// Ctrl-C and SIGTERM for long-running commands: the handler only sets a flag, which loops poll so
/// they can stop cleanly (restore the terminal, keep partial files) and exit with status 130.
public enum InterruptFlag {
    // Written by the signal handler and read by polling loops: a lone word-sized flag, the one
    // kind of state a signal handler may touch (hence `nonisolated(unsafe)`).
    nonisolated(unsafe) private static var raised: sig_atomic_t = 0

    /// Installs the handler for SIGINT and SIGTERM.
    public static func install() {
        raised = 0
        signal(SIGINT) { _ in InterruptFlag.raised = 1 }
        signal(SIGTERM) { _ in InterruptFlag.raised = 1 }
    }

    /// Whether Ctrl-C or SIGTERM arrived since `install()`.
    public static var isRaised: Bool { raised != 0 }

    /// Restores the default handlers.
    public static func uninstall() {
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}
