import Engine
import Media

// MARK: - ImageNet preprocessing (torchvision conventions)

/// The input pipeline of torchvision's ImageNet classifiers, reproduced exactly:
/// RGB in [0, 1] → shorter side to 256 (bilinear, antialiased) → centre crop 224 → (x − mean) / std, NCHW.
public enum ImageNetPreprocessing {
    /// Side the shorter edge is resized to.
    public static let resizeSide = 256
    /// Side of the square centre crop.
    public static let cropSide = 224

    /// The size torchvision's `Resize(side)` gives: the shorter side becomes `side`, the longer one
    /// `int(side * long / short)` (truncated, as torchvision does).
    public static func resizedSize(width: Int, height: Int, shorterSide side: Int) -> (width: Int, height: Int) {
        if width <= height {
            return (side, max(1, Int(Double(side) * Double(height) / Double(width))))
        }
        return (max(1, Int(Double(side) * Double(width) / Double(height))), side)
    }

    /// Python's `round` (halves to even), which torchvision's `CenterCrop` uses for the offsets.
    static func pythonRound(_ x: Double) -> Int { Int(x.rounded(.toNearestOrEven)) }

    /// The resized and centre-cropped RGB image (no normalisation), as torchvision produces it.
    public static func cropped(_ image: Image, resize: Int = resizeSide, crop: Int = cropSide) throws -> Image {
        let rgb = image.hasAlpha ? dropAlpha(image) : image
        let size = resizedSize(width: rgb.width, height: rgb.height, shorterSide: resize)
        var resized = rgb.resized(width: size.width, height: size.height, filter: .bilinear)
        if resized.width < crop || resized.height < crop {
            // torchvision pads with zeros when the crop is larger than the image.
            let padX = max(0, crop - resized.width), padY = max(0, crop - resized.height)
            resized = resized.padded(top: padY / 2, left: padX / 2, bottom: padY - padY / 2, right: padX - padX / 2,
                                     mode: .color(SIMD4(0, 0, 0, 1)))
        }
        let top = pythonRound(Double(resized.height - crop) / 2)
        let left = pythonRound(Double(resized.width - crop) / 2)
        return try resized.cropped(x: left, y: top, width: crop, height: crop)
    }

    /// The network input [1, 3, 224, 224] for `image`.
    public static func classificationInput(_ image: Image) throws -> Tensor {
        try normalizedTensor(cropped(image))
    }

    /// An RGB image as a normalised NCHW tensor [1, 3, H, W] ((x − mean) / std per channel).
    public static func normalizedTensor(_ image: Image, mean: [Float] = MobileNetV2.mean,
                                        std: [Float] = MobileNetV2.std) -> Tensor {
        let w = image.width, h = image.height, c = image.channels, n = w * h
        var planar = [Float](repeating: 0, count: 3 * n)
        image.pixels.withUnsafeBufferPointer { src in
            for k in 0..<3 {
                let m = mean[k], s = 1 / std[k]
                for i in 0..<n { planar[k * n + i] = (src[i * c + k] - m) * s }
            }
        }
        return Tensor(shape: [1, 3, h, w], scalars: planar)
    }

    /// RGB without the alpha channel (what PIL's `convert("RGB")` keeps).
    static func dropAlpha(_ image: Image) -> Image {
        let n = image.width * image.height
        var data = [Float](repeating: 0, count: n * 3)
        for i in 0..<n { for k in 0..<3 { data[i * 3 + k] = image.pixels[i * 4 + k] } }
        return Image(width: image.width, height: image.height, hasAlpha: false, pixels: data)
    }
}
