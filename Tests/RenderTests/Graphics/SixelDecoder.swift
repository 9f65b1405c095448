@testable import Render

/// A small sixel reader for tests: palette registers, colour selection, repeats, `$` and `-`.
struct SixelDecoder {
    var width = 0, height = 0
    var pixels: [RGB8?] = []

    init(_ bytes: [UInt8]) throws {
        guard bytes.starts(with: [0x1B, UInt8(ascii: "P")]), let q = bytes.firstIndex(of: UInt8(ascii: "q")) else { throw DecodeError("no DCS q") }
        var i = q + 1
        var palette = [RGB8](repeating: RGB8(0, 0, 0), count: 256)
        var colour = 0, x = 0, band = 0
        func number() -> Int {
            var n = 0
            while i < bytes.count, (48...57).contains(bytes[i]) { n = n * 10 + Int(bytes[i] - 48); i += 1 }
            return n
        }
        func numbers() -> [Int] {
            var list = [number()]
            while i < bytes.count, bytes[i] == UInt8(ascii: ";") { i += 1; list.append(number()) }
            return list
        }
        func paint(_ ch: UInt8, count: Int) throws {
            guard (63...126).contains(ch) else { throw DecodeError("bad sixel character \(ch)") }
            let bits = ch - 63
            for _ in 0..<count {
                for r in 0..<6 where bits & (1 << r) != 0 {
                    let y = band * 6 + r
                    guard x < width, y < height else { throw DecodeError("pixel (\(x), \(y)) outside \(width)×\(height)") }
                    pixels[y * width + x] = palette[colour]
                }
                x += 1
            }
        }
        while i < bytes.count {
            let c = bytes[i]
            switch c {
            case 0x1B: return
            case UInt8(ascii: "\""):
                i += 1
                let p = numbers()
                width = p[2]; height = p[3]
                pixels = [RGB8?](repeating: nil, count: width * height)
            case UInt8(ascii: "#"):
                i += 1
                let p = numbers()
                if p.count == 5 {
                    guard p[1] == 2 else { throw DecodeError("only RGB registers") }
                    let v = { (pc: Int) in UInt8((pc * 255 + 50) / 100) }
                    palette[p[0]] = RGB8(v(p[2]), v(p[3]), v(p[4]))
                } else { colour = p[0] }
            case UInt8(ascii: "!"):
                i += 1
                let n = number()
                try paint(bytes[i], count: n); i += 1
            case UInt8(ascii: "$"): x = 0; i += 1
            case UInt8(ascii: "-"): x = 0; band += 1; i += 1
            default: try paint(c, count: 1); i += 1
            }
        }
        throw DecodeError("no ST")
    }

    struct DecodeError: Error, CustomStringConvertible {
        var description: String
        init(_ d: String) { description = d }
    }
}
