import Glibc
import Remote

/// How a checkpoint came to be in the store.
public struct CheckpointDownload: Sendable, Equatable {
    /// The verified path in the store.
    public var path: String
    /// Whether bytes were fetched (false: a verified copy was already there).
    public var fetched: Bool
    /// Bytes taken over from an earlier partial download.
    public var resumedBytes: Int64
    /// Where the bytes came from (the catalog URL, a mirror URL or a mirror file).
    public var source: String
}

extension CheckpointStore {
    // MARK: Downloading

    /// The request that fetches checkpoint `id`: the catalog's URL, size and sha256; bytes stream to
    /// `<file>.part` in the store and are renamed to `<file>` only once complete and verified.
    public func downloadRequest(for id: String) throws -> DownloadRequest {
        let entry = try catalog.entry(id)
        return DownloadRequest(url: entry.url, destination: try path(for: id), expectedSize: Int64(entry.size),
                               sha256: entry.sha256, expectBinary: true, label: entry.file)
    }

    /// The one way a checkpoint is downloaded, for the CLI and the workbench alike. A verified copy is
    /// returned at once (re-hashed only if it changed); otherwise the file is fetched with Remote's
    /// `Downloader` under `options` (`MLWB_MIRROR` first, `MLWB_OFFLINE`, retries, timeouts, `--sync`),
    /// resuming an earlier `.part`, checked for size and sha256 while the bytes arrive, renamed into
    /// place and recorded as verified with the digest the transfer computed — never hashed twice.
    /// `control` pauses (keeping the `.part`) or cancels; `events` receives progress and states.
    /// Transfer failures are `RemoteError`s (`.paused` when stopped with the `.part` kept).
    public func download(_ id: String, options: DownloadOptions, control: DownloadControl = DownloadControl(),
                         events: DownloadEventHandler? = nil) async throws -> CheckpointDownload {
        let entry = try catalog.entry(id)
        let path = try path(for: id)
        switch try verify(id) {
        case .verified:
            return CheckpointDownload(path: path, fetched: false, resumedBytes: 0, source: path)
        case .corrupt:
            // The store's own copy is known to be wrong: replace it rather than let the downloader hash it again.
            try removeStoredFile(entry)
        case .absent, .presentUnverified:
            break
        }
        try prepare()
        let result = try await Downloader.fetch(try downloadRequest(for: id), options: options, control: control, events: events)
        guard let sha256 = result.sha256, sha256 == entry.sha256, result.size == Int64(entry.size) else {
            // The downloader verified against the catalog already; this is a defensive second look.
            throw CheckpointError.checksumMismatch(id: id, path: path, expected: entry.sha256, actual: result.sha256 ?? "unknown")
        }
        try recordVerified(entry, sha256: sha256)
        return CheckpointDownload(path: path, fetched: !result.alreadyPresent, resumedBytes: result.resumedBytes, source: result.source)
    }

    /// Deletes the stored file of `entry` and its verification marker (not a partial download).
    private func removeStoredFile(_ entry: CheckpointEntry) throws {
        for file in [directory + "/" + entry.file, markerPath(entry)] where unlink(file) != 0 && errno != ENOENT {
            throw StoreFiles.failure(file, "cannot delete")
        }
    }
}
