/// Writes the bytes of a catalog entry to `partialPath` (the downloader may resume an existing
/// partial file) and returns the sha256 it computed while writing, or nil to have the store hash it.
public typealias CheckpointFetcher = @Sendable (_ entry: CheckpointEntry, _ partialPath: String) async throws -> Digest?

extension CheckpointStore {
    // MARK: Ensuring

    /// The path of a verified copy of `id`: returned at once if already verified, re-hashed if it
    /// changed, otherwise fetched with `fetch` into `partialPath(for:)` and installed through
    /// `install(id:from:digest:)`. Without a fetcher a missing checkpoint is an error that says how to get it.
    public func ensure(_ id: String, fetch: CheckpointFetcher? = nil) async throws -> String {
        let entry = try catalog.entry(id)
        let path = try path(for: id)
        if try verify(id) == .verified { return path }
        guard let fetch else { throw CheckpointError.notInstalled(id: entry.id, path: path) }
        try prepare()
        let partial = try partialPath(for: id)
        let digest = try await fetch(entry, partial)
        return try install(id: id, from: partial, digest: digest)
    }
}
