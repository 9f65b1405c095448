/// The state of one checkpoint in the local store, as cheap to learn as possible
/// (no hashing unless the file changed since it was last verified).
public enum CheckpointStatus: Sendable, Equatable, CustomStringConvertible {
    /// No file in the store.
    case absent
    /// A file of the right size that has not been verified since it last changed.
    case presentUnverified
    /// The file's sha256 matched the catalog and it has not changed since.
    case verified
    /// The file does not match the catalog (`reason` says how).
    case corrupt(reason: String)

    public var description: String {
        switch self {
        case .absent: return "absent"
        case .presentUnverified: return "present (not verified)"
        case .verified: return "verified"
        case .corrupt(let reason): return "corrupt: \(reason)"
        }
    }
}

/// One row of `CheckpointStore.list()`: a catalog entry and its state in the store.
public struct CheckpointListing: Sendable, Equatable {
    /// The catalog entry.
    public var entry: CheckpointEntry
    /// Where the file lives (or would live) in the store.
    public var path: String
    /// Its state.
    public var status: CheckpointStatus
    /// Bytes of an unfinished download (`<file>.part`), if one exists.
    public var partialBytes: Int?
}

/// What `CheckpointStore.importFile` did.
public struct ImportResult: Sendable, Equatable {
    /// The catalog entry the file was identified as.
    public var entry: CheckpointEntry
    /// The file's path in the store.
    public var path: String
    /// True if an identical verified copy was already in the store (nothing was copied).
    public var alreadyPresent: Bool
}
