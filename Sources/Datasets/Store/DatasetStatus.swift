/// Where a dataset stands in the local store.
public enum DatasetStatus: Sendable, Equatable, CustomStringConvertible {
    /// Nothing on disk.
    case absent
    /// Some files or a `.part` download are present, but not all (or an extraction was interrupted).
    case partial(detail: String)
    /// Every file is downloaded; nothing extracted yet.
    case downloaded
    /// Extracted (or placed by hand) but not verified since the tree last changed.
    case extracted
    /// Validated against the layout and checksums, and unchanged since.
    case verified

    /// The one-word name used in tables (`absent`, `partial`, …).
    public var name: String {
        switch self {
        case .absent: return "absent"
        case .partial: return "partial"
        case .downloaded: return "downloaded"
        case .extracted: return "extracted"
        case .verified: return "verified"
        }
    }

    public var description: String {
        if case .partial(let detail) = self { return "partial (\(detail))" }
        return name
    }
}
