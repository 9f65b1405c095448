// MARK: - Vec2

/// A 2-D point or vector in normalised image units (x to the right, y down) — no tuple-order ambiguity.
public struct Vec2: Sendable, Equatable, Hashable, Codable, CustomStringConvertible {
    /// Horizontal component.
    public var x: Double
    /// Vertical component (down is positive).
    public var y: Double

    /// A vector from its components.
    public init(x: Double, y: Double) { self.x = x; self.y = y }

    /// Both components equal to `value`.
    public init(_ value: Double) { self.x = value; self.y = value }

    /// (0, 0).
    public static let zero = Vec2(x: 0, y: 0)
    /// (1, 1).
    public static let one = Vec2(x: 1, y: 1)
    /// (0.5, 0.5), the middle of the image.
    public static let center = Vec2(x: 0.5, y: 0.5)

    /// "x,y".
    public var description: String { "\(x),\(y)" }

    /// `(1 - r) * a + r * b`.
    public static func lerp(_ a: Vec2, _ b: Vec2, _ r: Double) -> Vec2 {
        Vec2(x: (1 - r) * a.x + r * b.x, y: (1 - r) * a.y + r * b.y)
    }
}
