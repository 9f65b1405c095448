import Media

// MARK: - CanvasAnimation

/// Feedback animation: each frame is the previous one warped by the mods (ml4a `get_canvas_frames`),
/// optionally weighted by a mask that advances in time. Lazy: call `next()` once per frame.
///
/// Frame 0 is the start image; frame `k + 1` is frame `k` warped with the mask rendered at
/// `t = startTime + k * timeStep`. The warp field is cached and rebuilt only when the mods or the
/// mask change, so a static warp costs one bilinear remap per stage and frame.
public struct CanvasAnimation: Sendable, Sequence, IteratorProtocol {
    /// The mods applied at every step (may be changed between frames).
    public var mods: [CanvasMod]
    /// The mask generator weighting the mods, or nil for an equal average (may be changed between frames).
    public var maskSpec: MaskSpec?
    /// Time added per frame.
    public var timeStep: Double
    /// The most recent frame.
    public private(set) var current: Image
    /// The index of `current` (0 before the first step).
    public private(set) var frameIndex: Int = 0
    /// The time of the next step's mask.
    public private(set) var time: Double
    /// The mask used by the most recent step.
    public private(set) var mask: Mask?

    private var startEmitted = false
    private var cache: (mods: [CanvasMod], mask: Mask?, field: WarpField)?

    /// An animation starting from `start`.
    public init(start: Image, mods: [CanvasMod], mask: MaskSpec? = nil, startTime: Double = 0, timeStep: Double = 1) {
        self.current = start
        self.mods = mods
        self.maskSpec = mask
        self.time = startTime
        self.timeStep = timeStep
    }

    // MARK: Stepping

    /// Warps the current frame once and returns the new frame.
    @discardableResult
    public mutating func step() -> Image {
        startEmitted = true
        let w = current.width, h = current.height
        let newMask = maskSpec?.render(width: w, height: h, t: time, previous: mask)
        let field: WarpField
        if let cache, cache.mods == mods, cache.mask == newMask, cache.field.width == w, cache.field.height == h {
            field = cache.field
        } else {
            field = CanvasWarp.field(width: w, height: h, mods: mods, masks: newMask)
            cache = (mods, newMask, field)
        }
        mask = newMask
        current = field.apply(to: current).clamped()
        frameIndex += 1
        time += timeStep
        return current
    }

    /// The next frame: the start image first, then one warp step per call. Never nil.
    public mutating func next() -> Image? {
        if !startEmitted { startEmitted = true; return current }
        return step()
    }

    /// The next `count` frames (the first call includes the start image).
    public mutating func frames(_ count: Int) -> [Image] {
        (0..<Swift.max(0, count)).compactMap { _ in next() }
    }
}
