/// The EXIF orientation of a JPEG (TIFF tag 0x0112): how the stored pixels must be turned to stand upright.
public enum ExifOrientation: Int, Sendable, CaseIterable {
    case up = 1, mirrored = 2, down = 3, mirroredDown = 4
    case transposed = 5, right = 6, transverse = 7, left = 8

    /// Whether showing the picture upright swaps its width and height.
    public var swapsAxes: Bool { rawValue >= 5 }

    // MARK: Reading

    /// The orientation recorded in a JPEG's APP1 Exif segment, `.up` when there is none or it is malformed.
    /// Walks the markers before the first scan; every offset is checked against the bytes.
    public static func read(jpeg bytes: UnsafeRawBufferPointer) -> ExifOrientation {
        let n = bytes.count
        guard n >= 4, bytes[0] == 0xFF, bytes[1] == 0xD8 else { return .up }
        var offset = 2
        while offset + 4 <= n {
            guard bytes[offset] == 0xFF else { return .up }
            let marker = bytes[offset + 1]
            if marker == 0xFF { offset += 1; continue }            // fill byte
            if marker == 0xDA || marker == 0xD9 { return .up }      // start of scan / end of image: no Exif before it
            if (0xD0...0xD7).contains(marker) || marker == 0x01 { offset += 2; continue }
            let length = Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
            guard length >= 2, offset + 2 + length <= n else { return .up }
            let body = offset + 4, bodyLength = length - 2
            if marker == 0xE1, bodyLength >= 14,
               bytes[body] == 0x45, bytes[body + 1] == 0x78, bytes[body + 2] == 0x69, bytes[body + 3] == 0x66,
               bytes[body + 4] == 0, bytes[body + 5] == 0 {
                return tiffOrientation(UnsafeRawBufferPointer(rebasing: bytes[(body + 6)..<(body + bodyLength)])) ?? .up
            }
            offset += 2 + length
        }
        return .up
    }

    /// Tag 0x0112 of IFD0 of a TIFF structure, or nil.
    static func tiffOrientation(_ tiff: UnsafeRawBufferPointer) -> ExifOrientation? {
        let n = tiff.count
        guard n >= 8 else { return nil }
        let little: Bool
        switch (tiff[0], tiff[1]) {
        case (0x49, 0x49): little = true
        case (0x4D, 0x4D): little = false
        default: return nil
        }
        func u16(_ at: Int) -> Int? {
            guard at >= 0, at + 2 <= n else { return nil }
            return little ? Int(tiff[at]) | Int(tiff[at + 1]) << 8 : Int(tiff[at]) << 8 | Int(tiff[at + 1])
        }
        func u32(_ at: Int) -> Int? {
            guard let a = u16(at), let b = u16(at + 2) else { return nil }
            return little ? a | b << 16 : a << 16 | b
        }
        guard u16(2) == 42, let ifd = u32(4), let count = u16(ifd) else { return nil }
        for i in 0..<count {
            let entry = ifd + 2 + 12 * i
            guard let tag = u16(entry) else { return nil }
            if tag == 0x0112 {
                guard u16(entry + 2) == 3, let value = u16(entry + 8) else { return nil }   // SHORT
                return ExifOrientation(rawValue: value)
            }
        }
        return nil
    }

    // MARK: Applying

    /// The stored pixel a display pixel (u, v) comes from, for a stored image of `width` × `height`.
    @inline(__always)
    func source(u: Int, v: Int, width w: Int, height h: Int) -> (x: Int, y: Int) {
        switch self {
        case .up: return (u, v)
        case .mirrored: return (w - 1 - u, v)
        case .down: return (w - 1 - u, h - 1 - v)
        case .mirroredDown: return (u, h - 1 - v)
        case .transposed: return (v, u)
        case .right: return (v, h - 1 - u)
        case .transverse: return (w - 1 - v, h - 1 - u)
        case .left: return (w - 1 - v, u)
        }
    }
}

extension PackedImage {
    /// The picture turned upright according to `orientation` (the same image when it is `.up`).
    public func oriented(_ orientation: ExifOrientation) -> PackedImage {
        guard orientation != .up else { return self }
        let (w, h) = (width, height)
        let (outW, outH) = orientation.swapsAxes ? (h, w) : (w, h)
        var out = [UInt8](repeating: 0, count: bytes.count)
        bytes.withUnsafeBytes { src in
            out.withUnsafeMutableBytes { dst in
                let s = src.bindMemory(to: UInt32.self), d = dst.bindMemory(to: UInt32.self)
                for v in 0..<outH {
                    for u in 0..<outW {
                        let (x, y) = orientation.source(u: u, v: v, width: w, height: h)
                        d[v * outW + u] = s[y * w + x]
                    }
                }
            }
        }
        return PackedImage(width: outW, height: outH, bytes: out, isOpaque: isOpaque)
    }
}
