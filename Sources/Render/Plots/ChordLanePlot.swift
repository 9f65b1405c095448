import Audio
import Glibc
import Media

/// Chords over time for the terminal: a lane of coloured blocks (hue from the root on the circle of
/// fifths, so related chords look related; minor-like qualities darker; `N` dim grey), a chromagram
/// heat map, and a text line of labels placed under their blocks.
public enum ChordLanePlot {
    /// One labelled stretch of time (`label` in Harte syntax, e.g. `G:7/3`, `N`).
    public struct Span: Sendable, Equatable {
        /// Start and end in seconds, and the label.
        public var start: Double
        public var end: Double
        public var label: String
        /// A span from `start` to `end` seconds.
        public init(start: Double, end: Double, label: String) { self.start = start; self.end = end; self.label = label }
    }

    // MARK: Pictures

    /// The lane: each span a block across `width × height` pixels, a dark line at every change.
    public static func lane(_ spans: [Span], duration: Double, width: Int, height: Int) -> Image {
        let background = SIMD4<Float>(0.05, 0.05, 0.08, 1)
        var image = Image(width: max(1, width), height: max(1, height), fill: [background.x, background.y, background.z])
        guard width > 0, height > 0, duration > 0 else { return image }
        for span in spans {
            let x0 = column(span.start, duration: duration, width: width), x1 = column(span.end, duration: duration, width: width)
            let c = color(of: span.label)
            guard x1 > x0 else { continue }
            for x in x0..<x1 {
                let edge = x == x0 && x0 > 0
                let v = edge ? c * 0.25 : c
                for y in 0..<height { image.setPixel(x, y, SIMD4(v.x, v.y, v.z, 1)) }
            }
        }
        return image
    }

    /// A chromagram (`frameCount × 12`, C = 0, one frame every `1 / frameRate` s) as a heat map with C
    /// at the bottom; each frame scaled to its own maximum.
    public static func chromagram(_ chroma: [Float], frameCount: Int, frameRate: Double, duration: Double,
                                  width: Int, height: Int, colormap: Colormap = .ember) -> Image {
        var image = Image(width: max(1, width), height: max(1, height), fill: [0, 0, 0.02])
        guard frameCount > 0, chroma.count >= frameCount * 12, width > 0, height > 0, duration > 0 else { return image }
        for x in 0..<width {
            // Average the frames under this column.
            let t0 = Double(x) / Double(width) * duration, t1 = Double(x + 1) / Double(width) * duration
            let f0 = max(0, min(frameCount - 1, Int((t0 * frameRate).rounded(.down))))
            let f1 = max(f0, min(frameCount - 1, Int((t1 * frameRate).rounded(.down))))
            var column = [Float](repeating: 0, count: 12)
            for f in f0...f1 { for pc in 0..<12 { column[pc] += chroma[f * 12 + pc] } }
            let peak = column.max() ?? 0
            for y in 0..<height {
                let pc = min(11, (height - 1 - y) * 12 / height)
                let v = peak > 0 ? column[pc] / peak : 0
                let c = colormap.color(v)
                image.setPixel(x, y, SIMD4(c.x, c.y, c.z, 1))
            }
        }
        return image
    }

    /// Waveform on top, the chromagram (if given) in the middle and the chord lane at the bottom,
    /// `width × height` pixels in all.
    public static func overview(_ clip: AudioClip, chroma: [Float]? = nil, frameCount: Int = 0, frameRate: Double = 1,
                                spans: [Span], width: Int, height: Int) -> Image {
        let duration = clip.duration
        let laneHeight = max(2, height / 5)
        let chromaHeight = chroma == nil ? 0 : max(12, (height - laneHeight) * 3 / 5)
        let waveHeight = max(2, height - laneHeight - chromaHeight)
        var parts = [AudioPlot.waveform(WaveformSummary(clip.mono(), columns: width), width: width, height: waveHeight)]
        if let chroma {
            parts.append(chromagram(chroma, frameCount: frameCount, frameRate: frameRate, duration: duration, width: width, height: chromaHeight))
        }
        parts.append(lane(spans, duration: duration, width: width, height: laneHeight))
        var out = Image(width: width, height: parts.reduce(0) { $0 + $1.height })
        var offset = 0
        for part in parts {
            out.pixels.replaceSubrange(offset..<(offset + part.pixels.count), with: part.pixels)
            offset += part.pixels.count
        }
        return out
    }

    // MARK: Text

    /// The labels placed at their spans' first columns across `columns` cells, each cut short where the
    /// next one begins (a label that would not fit at all is left out; `N` is shown as a dot).
    public static func labelLine(_ spans: [Span], duration: Double, columns: Int) -> String {
        guard columns > 0, duration > 0 else { return "" }
        var cells = [Character](repeating: " ", count: columns)
        var free = 0
        for (i, span) in spans.enumerated() {
            let start = max(free, column(span.start, duration: duration, width: columns))
            let end = i + 1 < spans.count ? column(spans[i + 1].start, duration: duration, width: columns) : columns
            let text = Array(span.label == "N" ? "·" : span.label)
            let room = min(end, columns) - start - 1   // keep a space before the next label
            guard start < columns, room >= min(2, text.count) else { continue }
            let shown = text.prefix(room)
            for (j, ch) in shown.enumerated() { cells[start + j] = ch }
            free = start + shown.count + 1
        }
        var line = String(cells)
        while line.hasSuffix(" ") { line.removeLast() }
        return line
    }

    // MARK: Colours

    /// The colour of a chord label: hue from its root on the circle of fifths, darker for minor,
    /// diminished and half-diminished chords, dim grey for `N` and `X`.
    public static func color(of label: String) -> SIMD3<Float> {
        let letters: [Character: Int] = ["C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11]
        guard let first = label.first, let natural = letters[first] else { return SIMD3(0.22, 0.22, 0.26) }
        var pc = natural
        for ch in label.dropFirst() {
            if ch == "#" { pc += 1 } else if ch == "b" { pc -= 1 } else { break }
        }
        pc = ((pc % 12) + 12) % 12
        let fifths = (pc * 7) % 12
        let quality = label.split(separator: ":").dropFirst().first.map { String($0.prefix { $0 != "/" && $0 != "(" }) } ?? "maj"
        let darker = quality.hasPrefix("min") || quality.hasPrefix("dim") || quality.hasPrefix("hdim")
        return hsv(hue: Float(fifths) / 12, saturation: darker ? 0.65 : 0.55, value: darker ? 0.62 : 0.95)
    }

    static func hsv(hue: Float, saturation s: Float, value v: Float) -> SIMD3<Float> {
        let h = hue * 6, i = Int(h) % 6, f = h - Float(Int(h))
        let p = v * (1 - s), q = v * (1 - s * f), t = v * (1 - s * (1 - f))
        switch i {
        case 0: return SIMD3(v, t, p)
        case 1: return SIMD3(q, v, p)
        case 2: return SIMD3(p, v, t)
        case 3: return SIMD3(p, q, v)
        case 4: return SIMD3(t, p, v)
        default: return SIMD3(v, p, q)
        }
    }

    static func column(_ time: Double, duration: Double, width: Int) -> Int {
        max(0, min(width, Int((time / duration * Double(width)).rounded())))
    }
}
