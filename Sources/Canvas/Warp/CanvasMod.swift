// MARK: - CanvasMod

/// One canvas transformation (ml4a `modify_canvas` mod): for every output pixel, where to read the
/// input from. Applied in three stages — shift/stretch, then zoom/spiral/rotation about `center`, then
/// noise displacement — each stage a separate bilinear remap, as in ml4a.
///
/// Pixel units: `expand` and `noiseMargin` are in pixels, `rotDst` in radians per pixel; `shift` and
/// `center` are fractions of the image size. Positive values move content right/down/outwards; positive
/// rotations turn content counter-clockwise on screen.
public struct CanvasMod: Sendable, Equatable, Hashable, Codable {
    /// Fixed point of stretch, zoom and rotation (0–1 each; ml4a gives (y, x)).
    public var center: Vec2
    /// Translation of the content per application, as a fraction of width and height (ml4a gives (y, x)).
    public var shift: Vec2
    /// Scale about `center` per axis (> 1 enlarges; ml4a gives (y, x)).
    public var stretch: Vec2
    /// Radial scale about `center` (> 1 zooms in).
    public var zoom: Double
    /// Radial push outwards from `center`, in pixels (negative pulls inwards).
    public var expand: Double
    /// Constant rotation in radians.
    public var rotConst: Double
    /// Extra rotation proportional to each pixel's angle around `center` (swirl by sector).
    public var rotAng: Double
    /// Extra rotation proportional to each pixel's distance from `center`, radians per pixel (twirl).
    public var rotDst: Double
    /// Depth of the radial wobble `1 + spiralMargin * sin(spiralPeriods * angle)` (0 = none).
    public var spiralMargin: Double
    /// Number of wobble periods around the circle.
    public var spiralPeriods: Double
    /// Spatial frequency of the noise field per image size, for x and y displacement.
    public var noiseRate: Vec2
    /// Largest noise displacement in pixels, in x and y (0 = no noise).
    public var noiseMargin: Vec2
    /// Where in the noise field the x and y displacements are read (change it to animate the noise).
    public var noiseOffset: Vec2

    /// A mod with ml4a's defaults, which leave the image unchanged.
    public init(center: Vec2 = .center, shift: Vec2 = .zero, stretch: Vec2 = .one, zoom: Double = 1,
                expand: Double = 0, rotConst: Double = 0, rotAng: Double = 0, rotDst: Double = 0,
                spiralMargin: Double = 0, spiralPeriods: Double = 0, noiseRate: Vec2 = .zero,
                noiseMargin: Vec2 = .zero, noiseOffset: Vec2 = Vec2(x: -10, y: 10)) {
        self.center = center
        self.shift = shift
        self.stretch = stretch
        self.zoom = zoom
        self.expand = expand
        self.rotConst = rotConst
        self.rotAng = rotAng
        self.rotDst = rotDst
        self.spiralMargin = spiralMargin
        self.spiralPeriods = spiralPeriods
        self.noiseRate = noiseRate
        self.noiseMargin = noiseMargin
        self.noiseOffset = noiseOffset
    }

    /// The mod that changes nothing.
    public static let identity = CanvasMod()

    // MARK: Stages

    /// Whether the shift/stretch stage does anything.
    public var shifts: Bool { shift != .zero || stretch != .one }
    /// Whether the zoom/spiral/rotation stage does anything.
    public var turns: Bool { zoom != 1 || expand != 0 || spiralMargin != 0 || rotConst != 0 || rotAng != 0 || rotDst != 0 }
    /// Whether the noise stage does anything.
    public var displaces: Bool { noiseMargin != .zero }
    /// Whether the mod changes nothing.
    public var isIdentity: Bool { !shifts && !turns && !displaces }

    // MARK: Interpolating and checking

    /// Every parameter linearly interpolated, `(1 - r) * a + r * b` (ml4a `lerp_mod`).
    public static func lerp(_ a: CanvasMod, _ b: CanvasMod, _ r: Double) -> CanvasMod {
        func mix(_ u: Double, _ v: Double) -> Double { (1 - r) * u + r * v }
        return CanvasMod(center: .lerp(a.center, b.center, r), shift: .lerp(a.shift, b.shift, r),
                         stretch: .lerp(a.stretch, b.stretch, r), zoom: mix(a.zoom, b.zoom),
                         expand: mix(a.expand, b.expand), rotConst: mix(a.rotConst, b.rotConst),
                         rotAng: mix(a.rotAng, b.rotAng), rotDst: mix(a.rotDst, b.rotDst),
                         spiralMargin: mix(a.spiralMargin, b.spiralMargin),
                         spiralPeriods: mix(a.spiralPeriods, b.spiralPeriods),
                         noiseRate: .lerp(a.noiseRate, b.noiseRate, r),
                         noiseMargin: .lerp(a.noiseMargin, b.noiseMargin, r),
                         noiseOffset: .lerp(a.noiseOffset, b.noiseOffset, r))
    }

    /// Throws `CanvasModError` naming the first parameter that would break the warp (zero or
    /// non-finite stretch or zoom, non-finite values).
    public func validate() throws {
        let all = [center.x, center.y, shift.x, shift.y, stretch.x, stretch.y, zoom, expand, rotConst, rotAng, rotDst,
                   spiralMargin, spiralPeriods, noiseRate.x, noiseRate.y, noiseMargin.x, noiseMargin.y,
                   noiseOffset.x, noiseOffset.y]
        if all.contains(where: { !$0.isFinite }) { throw CanvasModError("canvas: every parameter must be a finite number") }
        if stretch.x == 0 || stretch.y == 0 { throw CanvasModError("canvas: stretch must not be 0") }
        if zoom == 0 { throw CanvasModError("canvas: zoom must not be 0") }
    }
}

/// An invalid canvas mod parameter, with a message naming it.
public struct CanvasModError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What is wrong.
    public let description: String
    /// An error with this message.
    public init(_ description: String) { self.description = description }
}
