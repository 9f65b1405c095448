import Engine
import Media

// MARK: - ImageNet preprocessing (torchvision conventions)

/// The input pipeline of torchvision's ImageNet classifiers on a PIL image, reproduced exactly:
/// 8-bit RGB → shorter side to 256 (`PILBilinearResize`, PIL's 8-bit bilinear with antialiasing) → centre
/// crop 224 → bytes / 255 → (x − mean) / std, NCHW.
///
/// The `Image`-based `cropped(_:)` resizes in float instead (torchvision's float tensor path); the classifier
/// uses the 8-bit path, which is what produced the published reference numbers.
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

    /// The network input [1, 3, 224, 224] for `image`: quantised to 8-bit RGB (lossless for images decoded
    /// from 8-bit files), then the PIL path.
    public static func classificationInput(_ image: Image) throws -> Tensor {
        classificationInput(rgb8(image))
    }

    /// The network input [1, 3, 224, 224] for 8-bit RGBA pixels (alpha dropped, as PIL's `convert("RGB")`).
    public static func classificationInput(_ image: PackedImage) -> Tensor {
        classificationInput(rgb8(image))
    }

    /// The network input [1, 3, 224, 224] for 8-bit RGB pixels.
    public static func classificationInput(_ rgb: PixelBytes) -> Tensor {
        normalizedTensor(cropped(rgb))
    }

    // MARK: 8-bit path (PIL)

    /// The resized and centre-cropped 8-bit image, byte for byte what torchvision's `Resize(resize)` +
    /// `CenterCrop(crop)` give on a PIL image.
    public static func cropped(_ image: PixelBytes, resize: Int = resizeSide, crop: Int = cropSide) -> PixelBytes {
        let size = resizedSize(width: image.width, height: image.height, shorterSide: resize)
        var resized = PILBilinearResize.resize(image, width: size.width, height: size.height)
        if resized.width < crop || resized.height < crop {
            // torchvision pads with zeros (left/top get the smaller half) when the crop is larger than the image.
            let padX = max(0, crop - resized.width), padY = max(0, crop - resized.height)
            resized = resized.padded(left: padX / 2, top: padY / 2, right: padX - padX / 2, bottom: padY - padY / 2)
        }
        let top = pythonRound(Double(resized.height - crop) / 2)
        let left = pythonRound(Double(resized.width - crop) / 2)
        return resized.cropped(x: left, y: top, width: crop, height: crop)
    }

    /// 8-bit RGB as `ToTensor` + `Normalize` make it: `(byte / 255 − mean) / std` in float32, NCHW [1, 3, H, W].
    public static func normalizedTensor(_ image: PixelBytes, mean: [Float] = MobileNetV2.mean,
                                        std: [Float] = MobileNetV2.std) -> Tensor {
        precondition(image.channels >= 3, "needs RGB")
        let w = image.width, h = image.height, c = image.channels, n = w * h
        var planar = [Float](repeating: 0, count: 3 * n)
        image.bytes.withUnsafeBufferPointer { src in
            for k in 0..<3 {
                let m = mean[k], s = std[k]
                for i in 0..<n { planar[k * n + i] = (Float(src[i * c + k]) / 255 - m) / s }
            }
        }
        return Tensor(shape: [1, 3, h, w], scalars: planar)
    }

    /// The RGB bytes of 8-bit RGBA pixels.
    public static func rgb8(_ image: PackedImage) -> PixelBytes {
        let n = image.width * image.height
        var out = [UInt8](repeating: 0, count: n * 3)
        image.bytes.withUnsafeBufferPointer { src in
            for i in 0..<n { for k in 0..<3 { out[i * 3 + k] = src[i * 4 + k] } }
        }
        return PixelBytes(width: image.width, height: image.height, bytes: out)
    }

    /// The RGB of a float image as bytes (round to nearest, clamped; alpha dropped).
    public static func rgb8(_ image: Image) -> PixelBytes {
        let n = image.width * image.height, c = image.channels
        var out = [UInt8](repeating: 0, count: n * 3)
        image.pixels.withUnsafeBufferPointer { src in
            for i in 0..<n {
                for k in 0..<3 {
                    let v = src[i * c + k] * 255
                    out[i * 3 + k] = v.isNaN || v <= 0 ? 0 : (v >= 255 ? 255 : UInt8((v + 0.5).rounded(.down)))
                }
            }
        }
        return PixelBytes(width: image.width, height: image.height, bytes: out)
    }

    // MARK: Float path

    /// The resized and centre-cropped RGB image (no normalisation), resized in float (torchvision's
    /// tensor path, not PIL's 8-bit one).
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
