import Glibc
import Media

// MARK: - SimplexNoise

/// Seeded 2-D simplex noise (values about −1…1) with fractal octaves, for the canvas noise stage.
public struct SimplexNoise: Sendable, Equatable {
    private let perm: [UInt8]

    /// A noise field determined by `seed`.
    public init(seed: UInt64 = 0x6D6C_7762) {
        var table = (0..<256).map { UInt8($0) }
        var rng = SeededGenerator(seed: seed)
        for i in stride(from: 255, to: 0, by: -1) {
            let j = Int(rng.next() % UInt64(i + 1))
            table.swapAt(i, j)
        }
        perm = table + table
    }

    private static let f2 = 0.5 * (3.0.squareRoot() - 1)
    private static let g2 = (3 - 3.0.squareRoot()) / 6

    /// Single-octave noise at (x, y).
    public func noise(_ x: Double, _ y: Double) -> Double {
        let skew = (x + y) * Self.f2
        let i = (x + skew).rounded(.down), j = (y + skew).rounded(.down)
        let unskew = (i + j) * Self.g2
        let x0 = x - (i - unskew), y0 = y - (j - unskew)
        let (i1, j1): (Int, Int) = x0 > y0 ? (1, 0) : (0, 1)
        let x1 = x0 - Double(i1) + Self.g2, y1 = y0 - Double(j1) + Self.g2
        let x2 = x0 - 1 + 2 * Self.g2, y2 = y0 - 1 + 2 * Self.g2
        let ii = Int(i) & 255, jj = Int(j) & 255

        func corner(_ dx: Double, _ dy: Double, _ hash: Int) -> Double {
            let falloff = 0.5 - dx * dx - dy * dy
            guard falloff > 0 else { return 0 }
            let dot: Double
            switch hash & 7 {  // gradients (±1, ±1), (±1, 0), (0, ±1)
            case 0: dot = dx + dy
            case 1: dot = -dx + dy
            case 2: dot = dx - dy
            case 3: dot = -dx - dy
            case 4: dot = dx
            case 5: dot = -dx
            case 6: dot = dy
            default: dot = -dy
            }
            let f2 = falloff * falloff
            return f2 * f2 * dot
        }
        let n0 = corner(x0, y0, Int(perm[ii + Int(perm[jj])]))
        let n1 = corner(x1, y1, Int(perm[ii + i1 + Int(perm[jj + j1])]))
        let n2 = corner(x2, y2, Int(perm[ii + 1 + Int(perm[jj + 1])]))
        return 70 * (n0 + n1 + n2)
    }

    /// Fractal noise sampled over a `width × height` pixel grid: value at pixel (x, y) is
    /// `fractal(offset + rate * y / height, offset + rate * x / width)`. Evaluated on a coarser lattice
    /// (at least 8 points per period of the finest octave) and bilinearly interpolated.
    public func fractalPlane(width: Int, height: Int, rate: Double, offset: Double, octaves: Int = 3) -> [Float] {
        let finest = Swift.max(abs(rate), 1e-9) * Double(1 << (Swift.max(1, octaves) - 1))
        let step = Swift.max(1, Swift.min(8, Int(Double(Swift.min(width, height)) / (finest * 8))))
        let gw = (width - 1) / step + 2, gh = (height - 1) / step + 2
        var lattice = [Double](repeating: 0, count: gw * gh)
        for j in 0..<gh {
            for i in 0..<gw {
                lattice[j * gw + i] = fractal(offset + rate * Double(j * step) / Double(height),
                                              offset + rate * Double(i * step) / Double(width), octaves: octaves)
            }
        }
        var plane = [Float](repeating: 0, count: width * height)
        let inv = 1 / Double(step)
        for y in 0..<height {
            let j = y / step, fy = Double(y % step) * inv
            for x in 0..<width {
                let i = x / step, fx = Double(x % step) * inv
                let a = lattice[j * gw + i], b = lattice[j * gw + i + 1]
                let c = lattice[(j + 1) * gw + i], d = lattice[(j + 1) * gw + i + 1]
                plane[y * width + x] = Float((a + (b - a) * fx) * (1 - fy) + (c + (d - c) * fx) * fy)
            }
        }
        return plane
    }

    /// Fractal noise: `octaves` layers, each twice the frequency and half the amplitude, normalised.
    public func fractal(_ x: Double, _ y: Double, octaves: Int = 3) -> Double {
        var total = 0.0, amplitude = 1.0, frequency = 1.0, norm = 0.0
        for _ in 0..<max(1, octaves) {
            total += amplitude * noise(x * frequency, y * frequency)
            norm += amplitude
            amplitude *= 0.5
            frequency *= 2
        }
        return total / norm
    }
}
