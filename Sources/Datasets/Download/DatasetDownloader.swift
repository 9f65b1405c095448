import Remote

/// Fetches one dataset file. `RemoteDatasetDownloader` is the real one (mlwb's Remote module:
/// resume, retries, Google Drive, verification); tests may substitute their own.
public protocol DatasetDownloader: Sendable {
    /// Downloads `request` to `request.destination` (streaming through `.part`, verified, renamed),
    /// reporting through `events`; returns what was written.
    func download(_ request: DownloadRequest, events: DownloadEventHandler?) async throws -> DownloadResult
}

/// The Remote module's downloader behind the `DatasetDownloader` protocol.
public struct RemoteDatasetDownloader: DatasetDownloader {
    /// Retry, timeout, mirror and offline settings.
    public var options: DownloadOptions

    /// A downloader with `options` (use `DownloadOptions.from(environment:)` for MLWB_MIRROR/MLWB_OFFLINE).
    public init(options: DownloadOptions = DownloadOptions()) { self.options = options }

    public func download(_ request: DownloadRequest, events: DownloadEventHandler?) async throws -> DownloadResult {
        try await Downloader.fetch(request, options: options, events: events)
    }
}
