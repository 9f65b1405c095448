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

    // MARK: Run frames

    /// While scrubbing, the index into the run's kept frames shown (nil: the live frame).
    public var scrub: Int?
    /// Whether the run's input shows beside its frame (`c`), and that input once loaded.
    public var compare = false
    public var before: Image?

    // MARK: View

    /// Whether Preview fills the screen (`f`).
    public var fullscreen = false
    /// Magnification (1 fits the whole picture; 2, 4, 8 show a part of it) and the centre of the
    /// part shown, as fractions of the picture's width and height.
    public var zoom = 1
    public var centre = (x: 0.5, y: 0.5)
    /// Largest magnification.
    public static let maximumZoom = 8

    /// The part of a `width`×`height` picture the view shows (all of it at zoom 1).
    public func viewport(width: Int, height: Int) -> (x: Int, y: Int, width: Int, height: Int) {
        guard zoom > 1, width > 1, height > 1 else { return (0, 0, width, height) }
        let w = max(1, width / zoom), h = max(1, height / zoom)
        let x = min(max(0, Int((centre.x * Double(width)).rounded()) - w / 2), width - w)
        let y = min(max(0, Int((centre.y * Double(height)).rounded()) - h / 2), height - h)
        return (x, y, w, h)
    }

    /// A key for what the view shows of the picture (the painter caches by it).
    public var viewKey: String { zoom == 1 ? "1" : "\(zoom)@\(centre.x),\(centre.y)" }

    public init() {}
}
