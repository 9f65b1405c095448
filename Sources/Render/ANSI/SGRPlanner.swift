/// Chooses, for a run of cells, between `▀`, `▄` and a space and which colours to reuse, so that
/// the run is written with the fewest bytes of SGR escapes (a small beam search over the
/// terminal's colour state). One planner is reused for every row of a frame.
struct SGRPlanner {
    /// The glyph of a planned cell.
    enum Glyph: UInt8 { case space, upper, lower }

    /// One planned cell: the glyph and the colour keys the terminal must have when it is written
    /// (`SGRPlanner.unset` where the cell needs no particular colour).
    struct Step {
        var glyph: Glyph
        var fg: UInt32
        var bg: UInt32
    }

    /// The key standing for "unknown colour" (keys are 24-bit or palette indices): in the search,
    /// a terminal colour that is not known; in a `Step`, a colour the cell does not need.
    static let unset: UInt32 = 0xFFFF_FFFF

    let mode: ColorMode
    let tolerance: Int
    private let workspace = Workspace()

    /// Terminal colour states kept after each cell.
    static let beamWidth = 4

    init(mode: ColorMode, tolerance: Int) {
        self.mode = mode
        self.tolerance = tolerance
    }

    // MARK: Search state

    /// A terminal colour state reached after some cells, with its byte cost and path.
    private struct State {
        var fg: UInt32  // `unset` when not known
        var bg: UInt32
        var cost: Int
        var path: Int32  // index into the arena, -1 before the first cell
    }

    /// One step of a path (glyph and colours, `unset` for none) and the step before it.
    private struct Node {
        var glyph: Glyph
        var fg: UInt32
        var bg: UInt32
        var parent: Int32
    }

    /// Buffers reused from row to row: the path arena, the beam, the per-cell facts and the planned steps.
    private final class Workspace {
        var capacity = 0
        var arena = UnsafeMutablePointer<Node>.allocate(capacity: 1)
        var steps = UnsafeMutablePointer<Step>.allocate(capacity: 1)
        /// Per cell: `CellFacts`.
        var facts = UnsafeMutablePointer<UInt32>.allocate(capacity: 1)
        let beam = UnsafeMutablePointer<State>.allocate(capacity: SGRPlanner.beamWidth)
        /// Per beam state, which of its colours pass for the cell's pixels (`MatchBits`).
        let beamMatches = UnsafeMutablePointer<UInt8>.allocate(capacity: SGRPlanner.beamWidth)
        let next = UnsafeMutablePointer<State>.allocate(capacity: 3 * SGRPlanner.beamWidth)
        let order = UnsafeMutablePointer<Int>.allocate(capacity: 3 * SGRPlanner.beamWidth)

        /// Makes room for a row of `cells` cells (at most 3 · beam width arena nodes per cell).
        func reserve(cells: Int) {
            guard cells > capacity else { return }
            arena.deallocate(); steps.deallocate(); facts.deallocate()
            capacity = max(cells, 2 * capacity)
            arena = .allocate(capacity: capacity * 3 * SGRPlanner.beamWidth)
            steps = .allocate(capacity: capacity)
            facts = .allocate(capacity: capacity)
        }

        deinit {
            arena.deallocate(); steps.deallocate(); facts.deallocate()
            beam.deallocate(); beamMatches.deallocate(); next.deallocate(); order.deallocate()
        }
    }

    /// Bits of a state's match pattern against a cell: which of its colours pass for which pixel.
    private enum MatchBits {
        static let fgTop: UInt8 = 1, fgBottom: UInt8 = 2, bgTop: UInt8 = 4, bgBottom: UInt8 = 8
    }

    /// What `describeCells` works out for each cell, packed in a word: the low four bits are the
    /// `MatchBits` of the state (previous top, previous bottom) against this cell, bit 4 says whether
    /// the cell's two pixels match, bits 8… and 16… hold the SGR bytes of its top and bottom colour.
    private enum CellFacts {
        static let pair: UInt32 = 16
        static let topBytesShift: UInt32 = 8, bottomBytesShift: UInt32 = 16
    }

    // MARK: Planning

    /// The cheapest steps for `count` cells whose top and bottom colour keys are `top[i]` and
    /// `bottom[i]`, starting from the terminal state `start` (`unset`: unknown). Valid until the next call.
    func plan(top: UnsafePointer<UInt32>, bottom: UnsafePointer<UInt32>, count: Int,
              from start: (fg: UInt32, bg: UInt32)) -> UnsafeBufferPointer<Step> {
        let w = workspace
        w.reserve(cells: count)
        let matcher = ColorMatcher(mode: mode, tolerance: tolerance)
        describeCells(top: top, bottom: bottom, count: count, matcher: matcher, into: w)
        let arena = w.arena, beam = w.beam, bits = w.beamMatches, next = w.next, order = w.order
        let cellFacts = w.facts
        var nodes = 0
        beam[0] = State(fg: start.fg, bg: start.bg, cost: 0, path: -1)
        var beamCount = 1
        // Whether the beam is the two states the fast path below leaves: (t, b) and (b, t) of the
        // previous cell, whose match patterns `describeCells` has worked out already.
        var swappedPair = false

        for cell in 0..<count {
            let t = top[cell], b = bottom[cell]
            let facts = cellFacts[cell]
            let pair = facts & CellFacts.pair != 0
            // Which colours of each state could stand for the top or bottom pixel.
            var anyReusable = false
            if swappedPair {
                let m = UInt8(truncatingIfNeeded: facts & 15)
                bits[0] = m
                bits[1] = (m >> 2) | ((m & 3) << 2)
                anyReusable = m != 0
            } else {
                for i in 0..<beamCount {
                    let s = beam[i]
                    var m = matcher.matches(s.fg, t) ? MatchBits.fgTop : 0
                    if matcher.matches(s.fg, b) { m |= MatchBits.fgBottom }
                    if matcher.matches(s.bg, t) { m |= MatchBits.bgTop }
                    if matcher.matches(s.bg, b) { m |= MatchBits.bgBottom }
                    bits[i] = m
                    anyReusable = anyReusable || m != 0
                }
            }
            let topBytes = Int((facts >> CellFacts.topBytesShift) & 0xFF)
            let bottomBytes = Int((facts >> CellFacts.bottomBytesShift) & 0xFF)
            // Common in photos: nothing on the beam can be reused and the pixels differ. Then the
            // cheapest state sets both colours, as ▀ and as ▄ (same bytes), and nothing else survives.
            if !pair && !anyReusable {
                let cost = beam[0].cost &+ (3 + 4) &+ topBytes &+ bottomBytes
                let parent = beam[0].path
                arena[nodes] = Node(glyph: .upper, fg: t, bg: b, parent: parent)
                arena[nodes &+ 1] = Node(glyph: .lower, fg: b, bg: t, parent: parent)
                beam[0] = State(fg: t, bg: b, cost: cost, path: Int32(truncatingIfNeeded: nodes))
                beam[1] = State(fg: b, bg: t, cost: cost, path: Int32(truncatingIfNeeded: nodes &+ 1))
                nodes &+= 2
                beamCount = 2
                swappedPair = true
                continue
            }
            var nextCount = 0
            @inline(__always) func consider(_ glyph: Glyph, fg: UInt32, bg: UInt32, from s: State, glyphBytes: Int) {
                let fgBytes = fg == s.fg ? 0 : (fg == t ? topBytes : bottomBytes)
                let bgBytes = bg == s.bg ? 0 : (bg == t ? topBytes : bottomBytes)
                var cost = s.cost &+ glyphBytes &+ fgBytes &+ bgBytes
                if fgBytes > 0 || bgBytes > 0 { cost &+= 3 }  // ESC [ … m
                if fgBytes > 0 && bgBytes > 0 { cost &+= 1 }  // ;
                for i in 0..<nextCount where next[i].fg == fg && next[i].bg == bg {
                    if next[i].cost <= cost { return }
                    arena[nodes] = Node(glyph: glyph, fg: fg, bg: bg, parent: s.path)
                    next[i].cost = cost
                    next[i].path = Int32(truncatingIfNeeded: nodes)
                    nodes &+= 1
                    return
                }
                arena[nodes] = Node(glyph: glyph, fg: fg, bg: bg, parent: s.path)
                next[nextCount] = State(fg: fg, bg: bg, cost: cost, path: Int32(truncatingIfNeeded: nodes))
                nodes &+= 1
                nextCount &+= 1
            }
            for i in 0..<beamCount {
                let s = beam[i], m = bits[i]
                // A colour is kept when it passes for the wanted one, else the wanted one is set.
                let fgForTop = m & MatchBits.fgTop != 0 ? s.fg : t
                let fgForBottom = m & MatchBits.fgBottom != 0 ? s.fg : b
                let bgForTop = m & MatchBits.bgTop != 0 ? s.bg : t
                let bgForBottom = m & MatchBits.bgBottom != 0 ? s.bg : b
                if pair {
                    // Both pixels look alike: a space on the background colour.
                    let both = MatchBits.bgTop | MatchBits.bgBottom
                    consider(.space, fg: s.fg, bg: m & both == both ? s.bg : t, from: s, glyphBytes: 1)
                }
                consider(.upper, fg: fgForTop, bg: bgForBottom, from: s, glyphBytes: 3)
                consider(.lower, fg: fgForBottom, bg: bgForTop, from: s, glyphBytes: 3)
            }
            // Keep the cheapest few states; ties keep their order (a stable insertion sort), so ▀ wins over ▄.
            for i in 0..<nextCount {
                var j = i
                while j > 0 && next[order[j - 1]].cost > next[i].cost {
                    order[j] = order[j - 1]
                    j -= 1
                }
                order[j] = i
            }
            beamCount = min(nextCount, Self.beamWidth)
            for i in 0..<beamCount { beam[i] = next[order[i]] }
            swappedPair = false
        }

        // Walk the cheapest path back from its last step.
        let steps = w.steps
        var index = Int(beam[0].path), cell = count
        while index >= 0 {
            cell -= 1
            let node = arena[index]
            steps[cell] = Step(glyph: node.glyph, fg: node.fg, bg: node.bg)
            index = Int(node.parent)
        }
        return UnsafeBufferPointer(start: steps, count: count)
    }

    // MARK: Per-cell facts

    /// Fills the workspace's `CellFacts` for a row, eight cells at a time where it can.
    @inline(__always)
    private func describeCells(top: UnsafePointer<UInt32>, bottom: UnsafePointer<UInt32>, count: Int,
                               matcher: ColorMatcher, into w: Workspace) {
        let out = w.facts
        @inline(__always) func one(_ i: Int) {
            let t = top[i], b = bottom[i]
            var facts = matcher.matches(t, b) ? CellFacts.pair : 0
            if i > 0 {
                let pt = top[i - 1], pb = bottom[i - 1]
                if matcher.matches(pt, t) { facts |= UInt32(MatchBits.fgTop) }
                if matcher.matches(pt, b) { facts |= UInt32(MatchBits.fgBottom) }
                if matcher.matches(pb, t) { facts |= UInt32(MatchBits.bgTop) }
                if matcher.matches(pb, b) { facts |= UInt32(MatchBits.bgBottom) }
            }
            out[i] = facts | UInt32(colorBytes(t)) << CellFacts.topBytesShift | UInt32(colorBytes(b)) << CellFacts.bottomBytesShift
        }
        guard count > 0 else { return }
        one(0)
        var i = 1
        if mode == .truecolor {
            typealias Keys = SIMD8<UInt32>
            typealias Channels = ColorMatcher.Channels
            @inline(__always) func load(_ p: UnsafePointer<UInt32>) -> Channels {
                Channels(UnsafeRawPointer(p).loadUnaligned(as: Keys.self))
            }
            // 5 + digits of R, G and B + 2: each channel has a first digit, one more above 9 and above 99.
            @inline(__always) func sgrBytes(_ c: Channels) -> SIMD8<Int32> {
                @inline(__always) func extra(_ v: SIMD8<Int32>) -> SIMD8<Int32> {
                    ((9 &- v) &>> 31) &+ ((99 &- v) &>> 31)  // -1 for each threshold passed
                }
                return 10 &- (extra(c.r) &+ extra(c.g) &+ extra(c.b))
            }
            while i + 8 <= count {
                let t = load(top + i), b = load(bottom + i), pt = load(top + i - 1), pb = load(bottom + i - 1)
                var facts = matcher.matchBits(t, b, bit: Int32(CellFacts.pair))
                facts |= matcher.matchBits(pt, t, bit: Int32(MatchBits.fgTop))
                facts |= matcher.matchBits(pt, b, bit: Int32(MatchBits.fgBottom))
                facts |= matcher.matchBits(pb, t, bit: Int32(MatchBits.bgTop))
                facts |= matcher.matchBits(pb, b, bit: Int32(MatchBits.bgBottom))
                let bytes = (sgrBytes(t) &<< Int32(CellFacts.topBytesShift)) | (sgrBytes(b) &<< Int32(CellFacts.bottomBytesShift))
                facts |= SIMD8<UInt32>(truncatingIfNeeded: bytes)
                UnsafeMutableRawPointer(out + i).storeBytes(of: facts, as: Keys.self)
                i += 8
            }
        }
        while i < count {
            one(i)
            i += 1
        }
    }

    // MARK: Byte counts

    /// Bytes of one colour's parameters inside an SGR escape.
    @inline(__always) private func colorBytes(_ key: UInt32) -> Int {
        @inline(__always) func digits(_ v: UInt32) -> Int { 1 + (v >= 10 ? 1 : 0) + (v >= 100 ? 1 : 0) }
        switch mode {
        case .truecolor: return 5 + digits(key >> 16) + digits((key >> 8) & 0xFF) + digits(key & 0xFF) + 2
        case .palette256: return 5 + digits(key)
        case .ansi16: return 2 + (key >= 8 ? 1 : 0)
        case .none: return 0
        }
    }
}
