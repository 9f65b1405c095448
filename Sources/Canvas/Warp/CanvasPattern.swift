import Media

// MARK: - CanvasPattern

/// Test images for canvas warps.
public enum CanvasPattern {
    /// ml4a's `make_image_grid`: black with red lines every `spacing` pixels, `thickness` wide, and a
    /// green 16-pixel cross at the centre — shows clearly how a warp moves things.
    public static func grid(width: Int, height: Int, spacing: Int = 15, thickness: Int = 3) -> Image {
        let step = max(1, spacing)
        let cx = width / 2, cy = height / 2
        return Image(width: width, height: height) { x, y in
            let dx = x - cx, dy = y - cy
            if dx >= -8, dx < 8, dy == dx || dy == -dx - 1 { return SIMD4(0, 1, 0, 1) }
            let onLine = x % step < thickness || y % step < thickness
            return onLine ? SIMD4(1, 0, 0, 1) : SIMD4(0, 0, 0, 1)
        }
    }
}
