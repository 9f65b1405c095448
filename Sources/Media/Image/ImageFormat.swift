/// The image formats mlwb reads, recognised by their first bytes (never by the file's name).
public enum ImageFormat: String, Sendable, CaseIterable {
    case png = "PNG"
    case jpeg = "JPEG"
    case webp = "WebP"
    case gif = "GIF"

    /// Bytes of a file's head that `detect` needs.
    public static let headLength = 12
    /// What a user is told when a file is in none of them.
    public static let supportedList = "JPEG/PNG/WebP/GIF are read"
    /// File name extensions of these formats (for listings; decoding goes by the bytes).
    public static let extensions: Set<String> = ["png", "jpg", "jpeg", "jpe", "jfif", "webp", "gif"]

    /// The format whose signature `head` starts with, or nil.
    public static func detect<C: Collection>(_ head: C) -> ImageFormat? where C.Element == UInt8 {
        let b = Array(head.prefix(headLength))
        if b.starts(with: [0x89, 0x50, 0x4E, 0x47]) { return .png }
        if b.starts(with: [0xFF, 0xD8, 0xFF]) { return .jpeg }
        if b.count >= 12, b.starts(with: Array("RIFF".utf8)), Array(b[8..<12]) == Array("WEBP".utf8) { return .webp }
        if b.starts(with: Array("GIF87a".utf8)) || b.starts(with: Array("GIF89a".utf8)) { return .gif }
        return nil
    }

    // MARK: Decompression budget

    /// Pixels any file may decode to whatever its size (16.7 Mpx, a 4096² picture).
    public static let budgetFloor = 1 << 24
    /// Pixels per byte of file beyond which a picture is refused: well above what JPEG, WebP or GIF reach
    /// on real pictures, far below what a crafted header claims for a few hundred bytes.
    public static let pixelsPerByte = 4096

    /// Refuses a picture of `pixels` pixels from a file of `fileBytes` bytes when no real file of that size
    /// holds that many (a decompression bomb, or a header damaged into a huge size), before anything is allocated.
    public func checkBudget(pixels: Int, fileBytes: Int, source: String) throws {
        let (scaled, overflow) = fileBytes.multipliedReportingOverflow(by: Self.pixelsPerByte)
        let limit = overflow ? Int.max : max(Self.budgetFloor, scaled)
        guard pixels <= limit else {
            throw MediaError.tooLarge(path: source, detail: "its header claims \(pixels) pixels from only \(fileBytes) bytes of \(rawValue), more than any real picture of that size holds (damaged, or a decompression bomb)")
        }
    }
}
