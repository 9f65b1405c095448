/// iTerm2's inline images: `ESC ] 1337 ; File=inline=1;size=N;width=C;height=R;preserveAspectRatio=0 :
/// <base64 PNG> BEL`, the picture stretched over `columns × rows` cells (its pixels already have that aspect).
public struct ITermEncoder: Sendable {
    public init() {}

    /// The escape sequence that shows `png` over `columns × rows` cells at the cursor.
    public func display(png: [UInt8], columns: Int, rows: Int, into writer: inout EscapeWriter) {
        writer.sequence { out in
            out.append(contentsOf: [0x1B, UInt8(ascii: "]")])
            out.append(ascii: "1337;File=inline=1;size=")
            out.append(decimal: png.count)
            out.append(ascii: ";width=")
            out.append(decimal: columns)
            out.append(ascii: ";height=")
            out.append(decimal: rows)
            out.append(ascii: ";preserveAspectRatio=0:")
            png.withUnsafeBytes { Base64.append($0, to: &out) }
            out.append(0x07)
        }
    }
}
