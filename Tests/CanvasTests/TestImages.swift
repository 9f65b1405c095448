import Media
@testable import Canvas

/// Small deterministic images for the canvas tests.
enum TestImages {
    /// Pseudo-random RGB noise.
    static func noise(width: Int, height: Int, seed: UInt64 = 7) -> Image {
        var rng = SeededGenerator(seed: seed)
        return Image(width: width, height: height) { _, _ in
            SIMD4(Float(rng.nextUnit()), Float(rng.nextUnit()), Float(rng.nextUnit()), 1)
        }
    }

    /// Red = x / (width − 1), green = y / (height − 1), blue 0 — bilinear sampling reproduces it exactly.
    static func ramp(width: Int, height: Int) -> Image {
        Image(width: width, height: height) { x, y in
            SIMD4(Float(x) / Float(width - 1), Float(y) / Float(height - 1), 0, 1)
        }
    }

    /// The largest absolute sample difference between two images of the same size.
    static func maxDifference(_ a: Image, _ b: Image) -> Float {
        zip(a.pixels, b.pixels).reduce(0) { max($0, abs($1.0 - $1.1)) }
    }
}
