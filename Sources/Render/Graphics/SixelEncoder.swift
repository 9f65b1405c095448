/// DEC sixel graphics: a palette of at most 256 registers and, for each band of six pixel rows, one
/// pass per colour present in the band, run-length encoded.
///
/// Output: `ESC P 0;1;0 q "1;1;W;H`, registers `#i;2;r;g;b` (percent), then per band `#i` + sixel
/// characters (`?`…`~`, bit k = row k of the band; `!n c` repeats c n times), `$` back to the band's
/// start for the next colour, `-` to the next band, and `ESC \`. P2 = 1 leaves unpainted pixels alone.
public struct SixelEncoder: Sendable {
    /// The palette and dithering.
    public var quantizer: MedianCutQuantizer

    /// An encoder with at most `maxColors` registers, dithering when `dither`.
    public init(maxColors: Int = 256, dither: Bool = false) {
        quantizer = MedianCutQuantizer(maxColors: maxColors, dither: dither)
    }

    /// The escape sequence that draws `bitmap` at the cursor.
    public func display(_ bitmap: Bitmap, into writer: inout EscapeWriter) {
        let q = quantizer.quantize(bitmap)
        writer.sequence { out in encode(bitmap.width, bitmap.height, q, into: &out) }
    }

    /// The escape sequence alone, for tests and benchmarks.
    public func encode(_ bitmap: Bitmap) -> [UInt8] {
        var writer = EscapeWriter(tmuxPassthrough: false)
        display(bitmap, into: &writer)
        return writer.bytes
    }

    // MARK: Encoding

    private func encode(_ width: Int, _ height: Int, _ q: MedianCutQuantizer.Result, into out: inout [UInt8]) {
        out.reserveCapacity(out.count + width * height / 3)
        out.append(contentsOf: [0x1B, UInt8(ascii: "P")])
        out.append(ascii: "0;1;0q\"1;1;")
        out.append(decimal: width); out.append(UInt8(ascii: ";")); out.append(decimal: height)
        for (i, c) in q.palette.enumerated() {
            out.append(UInt8(ascii: "#")); out.append(decimal: i); out.append(ascii: ";2;")
            out.append(decimal: Self.percent(c.r)); out.append(UInt8(ascii: ";"))
            out.append(decimal: Self.percent(c.g)); out.append(UInt8(ascii: ";"))
            out.append(decimal: Self.percent(c.b))
        }
        let colours = q.palette.count
        var masks = [UInt8](repeating: 0, count: colours * width)
        var low = [Int](repeating: Int.max, count: colours), high = [Int](repeating: -1, count: colours)
        var used: [Int] = []
        used.reserveCapacity(colours)
        q.indices.withUnsafeBufferPointer { indices in
            masks.withUnsafeMutableBufferPointer { masks in
                var top = 0
                while top < height {
                    let bandRows = min(6, height - top)
                    for r in 0..<bandRows {
                        let row = indices.baseAddress! + (top + r) * width
                        let bit = UInt8(1) << UInt8(r)
                        for x in 0..<width {
                            let c = Int(row[x])
                            if high[c] < 0 { used.append(c) }
                            masks[c * width + x] |= bit
                            if x < low[c] { low[c] = x }
                            if x > high[c] { high[c] = x }
                        }
                    }
                    used.sort()
                    for (n, c) in used.enumerated() {
                        out.append(UInt8(ascii: "#")); out.append(decimal: c)
                        Self.appendRun(UInt8(ascii: "?"), count: low[c], to: &out)
                        let line = masks.baseAddress! + c * width
                        var x = low[c]
                        while x <= high[c] {
                            let m = line[x]
                            var end = x + 1
                            while end <= high[c], line[end] == m { end += 1 }
                            Self.appendRun(63 + m, count: end - x, to: &out)
                            x = end
                        }
                        for i in low[c]...high[c] { line[i] = 0 }
                        low[c] = Int.max; high[c] = -1
                        if n + 1 < used.count { out.append(UInt8(ascii: "$")) }
                    }
                    used.removeAll(keepingCapacity: true)
                    out.append(UInt8(ascii: "-"))
                    top += 6
                }
            }
        }
        out.append(contentsOf: [0x1B, UInt8(ascii: "\\")])
    }

    /// `count` copies of `char`: `!count char` when that is shorter.
    @inline(__always) private static func appendRun(_ char: UInt8, count: Int, to out: inout [UInt8]) {
        if count > 3 {
            out.append(UInt8(ascii: "!")); out.append(decimal: count); out.append(char)
        } else {
            for _ in 0..<count { out.append(char) }
        }
    }

    /// A colour channel as sixel's 0–100 percent.
    @inline(__always) static func percent(_ v: UInt8) -> Int { (Int(v) * 100 + 127) / 255 }
}
