/// One frame of an animated image (GIF, animated WebP): the whole canvas as it looks while the frame shows.
public struct ImageFrame: Sendable, Equatable {
    /// The composed canvas, 8-bit RGBA.
    public let image: PackedImage
    /// How long the frame stays, in seconds.
    public let duration: Double

    /// A frame showing `image` for `duration` seconds.
    public init(image: PackedImage, duration: Double) {
        self.image = image
        self.duration = duration
    }

    /// Frames whose file asks for (almost) no delay are shown for this long, as browsers do.
    public static let defaultDuration = 0.1
    /// The most frames decoded from one file.
    public static let maxFrames = 2000
    /// The most canvas pixels decoded from one file over all its frames (1 GiB of RGBA).
    public static let maxTotalPixels = 1 << 28
}
