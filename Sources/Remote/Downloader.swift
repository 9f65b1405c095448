import Foundation
import Synchronization

/// Fetches one file: mirrors first, then the origin (or Google Drive), streaming into `DEST.part`,
/// resuming, retrying, verifying, and renaming into place. `DownloadQueue` runs several.
public enum Downloader {
    // MARK: Checking

    /// Throws `RemoteError.invalidURL` unless `url` is something mlwb can fetch (http(s) with a host,
    /// file:// or a path, a Google Drive link or id), before anything is started.
    public static func validate(url: String) throws { _ = try DownloadSource.origin(of: url) }

    // MARK: Fetching

    /// Downloads `request` on the calling thread (blocking); events go to `events`.
    /// Throws `RemoteError.paused` if `control` paused it (the `.part` is kept) and
    /// `RemoteError.cancelled` if it was cancelled (the `.part` is deleted).
    public static func fetchBlocking(_ request: DownloadRequest, options: DownloadOptions = DownloadOptions(),
                                     control: DownloadControl = DownloadControl(), id: DownloadID = DownloadID.next(),
                                     events: DownloadEventHandler? = nil) throws -> DownloadResult {
        let job = DownloadJob(request: request, options: options, control: control, id: id, handler: events)
        return try job.run()
    }

    /// Downloads `request` on a thread of its own; cancelling the task pauses the transfer
    /// (the `.part` is kept for a later resume) and throws `RemoteError.paused`.
    public static func fetch(_ request: DownloadRequest, options: DownloadOptions = DownloadOptions(),
                             control: DownloadControl = DownloadControl(),
                             events: DownloadEventHandler? = nil) async throws -> DownloadResult {
        let id = DownloadID.next()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<DownloadResult, Error>) in
                let thread = Thread {
                    do {
                        continuation.resume(returning: try fetchBlocking(request, options: options, control: control, id: id, events: events))
                    } catch {
                        continuation.resume(throwing: error)
                    }
                }
                thread.name = "mlwb-download"
                thread.start()
            }
        } onCancel: {
            control.pause()
        }
    }
}

extension DownloadID {
    private static let counter = Atomic<Int>(0)

    /// A fresh id, unique within the process.
    public static func next() -> DownloadID {
        DownloadID(counter.add(1, ordering: .relaxed).newValue)
    }
}
