/// The reconstruction filter used when resizing.
public enum ResizeFilter: String, Sendable, CaseIterable {
    /// Area averaging when shrinking, bicubic when enlarging (decided per axis).
    case automatic
    /// Exact area averaging: each output pixel is the mean of the input area it covers.
    case area
    /// Nearest neighbour.
    case nearest
    /// Triangle filter; antialiased (support widened) when shrinking, like PIL and torchvision.
    case bilinear
    /// Keys cubic (a = -0.5); antialiased when shrinking.
    case bicubic
    /// Lanczos with three lobes; the sharpest, antialiased when shrinking.
    case lanczos3

    /// The filter's radius in input pixels at scale 1.
    var support: Double {
        switch self {
        case .automatic, .area, .nearest: return 0.5
        case .bilinear: return 1
        case .bicubic: return 2
        case .lanczos3: return 3
        }
    }

    /// The filter kernel evaluated at distance `x` (in filter units).
    func kernel(_ x: Double) -> Double {
        let ax = abs(x)
        switch self {
        case .automatic, .area, .nearest:
            return ax < 0.5 ? 1 : 0
        case .bilinear:
            return max(0, 1 - ax)
        case .bicubic:
            let a = -0.5
            if ax < 1 { return ((a + 2) * ax - (a + 3)) * ax * ax + 1 }
            if ax < 2 { return (((ax - 5) * ax + 8) * ax - 4) * a }
            return 0
        case .lanczos3:
            if ax < 1e-9 { return 1 }
            if ax >= 3 { return 0 }
            let px = Double.pi * ax
            return 3 * sin(px) * sin(px / 3) / (px * px)
        }
    }
}

import Glibc
