/// What kind of file a Media entry is, which decides how it previews.
public enum MediaKind: String, Equatable, Hashable, Sendable {
    case directory, image, mask, audio, midi, other
}

/// One row of the media browser.
public struct MediaEntry: Equatable, Sendable {
    public var name: String
    public var path: String
    public var kind: MediaKind
    /// Size in bytes (0 for directories).
    public var bytes: Int
    /// Dimensions or duration ("512×512", "3.50 s · 22050 Hz · 1 ch"), or "" when unknown.
    public var detail: String

    public init(name: String, path: String, kind: MediaKind, bytes: Int, detail: String) {
        self.name = name; self.path = path; self.kind = kind; self.bytes = bytes; self.detail = detail
    }
}

/// The Media pane: a directory listing with a selection and a filter.
public struct MediaState: Sendable {
    /// The directory listed.
    public var directory = "."
    public var entries: [MediaEntry] = []
    /// Index into `entries`.
    public var selected = 0
    /// Case-insensitive filter on names ("" shows all).
    public var filter = ""
    /// Whether a listing is being read.
    public var loading = false
    /// The file picked as model input (Enter on a file).
    public var input: String?
    /// The mask picked for models with a mask parameter (Space on a mask).
    public var mask: String?

    public init() {}

    /// Indices the filter lets through: names that contain it, folders included; `../` always
    /// passes so the way up stays open.
    public var visible: [Int] {
        guard !filter.isEmpty else { return Array(entries.indices) }
        let f = filter.lowercased()
        return entries.indices.filter { entries[$0].name == "../" || entries[$0].name.lowercased().contains(f) }
    }

    /// The selected entry, if any.
    public var current: MediaEntry? { entries.indices.contains(selected) ? entries[selected] : nil }
}
