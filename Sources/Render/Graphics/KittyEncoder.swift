/// The kitty graphics protocol: raw 24-bit RGB sent in base64 chunks of 4096 bytes, placed over a box of cells.
///
/// `ESC _G a=T,f=24,s=W,v=H,q=2,c=C,r=R,…;<base64> ESC \` transmits and displays (`q=2`: no replies),
/// `m=1` marks that more chunks follow; `a=d,d=I,i=ID` deletes an image and frees its data. Raw RGB
/// rather than PNG: encoding a PNG of a photo costs more time than sending its bytes saves on a local
/// or LAN link (and 3 bytes a pixel is already ¾ of what RGBA senders such as chafa write).
public struct KittyEncoder: Sendable {
    /// The largest base64 payload of one escape sequence, as the protocol asks.
    public static let chunkSize = 4096

    public init() {}

    /// The escape sequences that show `bitmap` over `columns × rows` cells at the cursor. With an
    /// `imageID` the image can be deleted later; with `moveCursor: false` the cursor stays where it was.
    public func display(_ bitmap: Bitmap, columns: Int, rows: Int, imageID: UInt32? = nil, moveCursor: Bool = true,
                        into writer: inout EscapeWriter) {
        var payload: [UInt8] = []
        payload.reserveCapacity((bitmap.pixels.count + 2) / 3 * 4 * 3)
        if MemoryLayout<RGB8>.stride == 3 {
            bitmap.pixels.withUnsafeBytes { Base64.append($0, to: &payload) }  // r, g, b in order: the bytes as they are
        } else {
            bitmap.rgbBytes.withUnsafeBytes { Base64.append($0, to: &payload) }
        }
        var offset = 0
        repeat {
            let end = min(payload.count, offset + Self.chunkSize)
            let more = end < payload.count
            writer.sequence { out in
                out.append(contentsOf: [0x1B, UInt8(ascii: "_"), UInt8(ascii: "G")])
                if offset == 0 {
                    out.append(ascii: "a=T,f=24,s=")
                    out.append(decimal: bitmap.width)
                    out.append(ascii: ",v=")
                    out.append(decimal: bitmap.height)
                    out.append(ascii: ",q=2,c=")
                    out.append(decimal: columns)
                    out.append(ascii: ",r=")
                    out.append(decimal: rows)
                    if let imageID { out.append(ascii: ",i="); out.append(decimal: Int(imageID)) }
                    if !moveCursor { out.append(ascii: ",C=1") }
                    out.append(ascii: more ? ",m=1" : "")
                } else {
                    out.append(ascii: more ? "m=1" : "m=0")
                }
                out.append(UInt8(ascii: ";"))
                out.append(contentsOf: payload[offset..<end])
                out.append(contentsOf: [0x1B, UInt8(ascii: "\\")])
            }
            offset = end
        } while offset < payload.count
    }

    /// The escape sequence that deletes image `imageID` from the screen and the terminal's memory.
    public func delete(imageID: UInt32, into writer: inout EscapeWriter) {
        writer.sequence { out in
            out.append(contentsOf: [0x1B, UInt8(ascii: "_"), UInt8(ascii: "G")])
            out.append(ascii: "a=d,d=I,q=2,i=")
            out.append(decimal: Int(imageID))
            out.append(contentsOf: [0x1B, UInt8(ascii: "\\")])
        }
    }
}
