import Media

/// What the Preview pane shows.
public enum PreviewSource: Equatable, Sendable {
    /// Nothing selected yet.
    case empty
    /// A media file.
    case media(path: String, kind: MediaKind)
    /// The running (or last) model run's frames.
    case run
    /// A canvas feedback animation started from an image.
    case animation(path: String)
}

/// The Preview pane: its source and the latest picture to show.
public struct PreviewState: Sendable {
    public var source: PreviewSource = .empty
    public var title = "nothing selected"
    /// Lines under the picture (dimensions, duration, frame label).
    public var info: [String] = []
    /// The picture, at any resolution; the painter fits it into the pane.
    public var picture: Image?
    /// Bumped whenever `picture` changes, so the painter knows to redraw.
    public var version = 0
    /// The generation of the load in flight; results of older loads are dropped.
    public var generation = 0
    public var loading = false
    public var error: String?
    /// Axes or bars drawn around the picture (model results), nil for plain pictures.
    public var annotation: PreviewAnnotation?
    /// Whether the picture fills its area exactly (plots) instead of keeping its aspect ratio (pictures).
    public var stretch = false
    /// The pixel size plots were rendered for (audio and MIDI are re-rendered on resize).
    public var plotSize: TerminalSize?

    public init() {}
}
