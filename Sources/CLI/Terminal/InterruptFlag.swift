import Foundation
import Glibc

/// Ctrl-C and SIGTERM for long-running commands: the handler only sets a flag, which loops poll so
/// they can stop cleanly (restore the terminal, keep partial files) and exit with status 130.
///
/// Inside the workbench (`hosted`) the signal handlers stay the workbench's: `install`/`uninstall`
/// do nothing, and a command's "Ctrl-C" is its job being cancelled (`whileRunning(cancelledBy:)`).
public enum InterruptFlag {
    // Written by the signal handler and read by polling loops: a lone word-sized flag, the one
    // kind of state a signal handler may touch (hence `nonisolated(unsafe)`).
    nonisolated(unsafe) private static var raised: sig_atomic_t = 0
    /// Set once, before the workbench starts, on the main thread.
    nonisolated(unsafe) public static var hosted = false

    /// Installs the handler for SIGINT and SIGTERM (not inside the workbench).
    public static func install() {
        guard !hosted else { return }
        raised = 0
        signal(SIGINT) { _ in InterruptFlag.raised = 1 }
        signal(SIGTERM) { _ in InterruptFlag.raised = 1 }
    }

    /// Whether Ctrl-C or SIGTERM arrived since `install()`, or the calling thread's job was cancelled.
    public static var isRaised: Bool {
        if raised != 0 { return true }
        return (Thread.current.threadDictionary[cancellationKey] as? Cancellation)?.check() ?? false
    }

    /// Restores the default handlers (not inside the workbench).
    public static func uninstall() {
        guard !hosted else { return }
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }

    /// Runs `body` on this thread with `isRaised` also true once `cancelled()` is.
    public static func whileRunning<T>(cancelledBy cancelled: @escaping @Sendable () -> Bool, _ body: () -> T) -> T {
        Thread.current.threadDictionary[cancellationKey] = Cancellation(check: cancelled)
        defer { Thread.current.threadDictionary[cancellationKey] = nil }
        return body()
    }

    private static let cancellationKey = "mlwb.cancellation"

    private final class Cancellation {
        let check: @Sendable () -> Bool
        init(check: @escaping @Sendable () -> Bool) { self.check = check }
    }
}
