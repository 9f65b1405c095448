/// Standard base64 (RFC 4648, with padding), the payload encoding of kitty's and iTerm2's image escapes.
public enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// The base64 text of `bytes`, appended to `out`.
    public static func append(_ bytes: UnsafeRawBufferPointer, to out: inout [UInt8]) {
        let n = bytes.count
        let start = out.count
        let length = (n + 2) / 3 * 4
        out.append(contentsOf: repeatElement(0, count: length))
        alphabet.withUnsafeBufferPointer { table in
            out.withUnsafeMutableBufferPointer { dst in
                var o = start, i = 0
                while i + 3 <= n {
                    let v = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
                    dst[o] = table[Int(v >> 18)]; dst[o + 1] = table[Int(v >> 12 & 63)]
                    dst[o + 2] = table[Int(v >> 6 & 63)]; dst[o + 3] = table[Int(v & 63)]
                    i += 3; o += 4
                }
                let rest = n - i
                if rest > 0 {
                    let v = UInt32(bytes[i]) << 16 | (rest == 2 ? UInt32(bytes[i + 1]) << 8 : 0)
                    dst[o] = table[Int(v >> 18)]; dst[o + 1] = table[Int(v >> 12 & 63)]
                    dst[o + 2] = rest == 2 ? table[Int(v >> 6 & 63)] : UInt8(ascii: "=")
                    dst[o + 3] = UInt8(ascii: "=")
                }
            }
        }
    }

    /// The base64 text of `bytes`.
    public static func encode(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        bytes.withUnsafeBytes { append($0, to: &out) }
        return out
    }
}
