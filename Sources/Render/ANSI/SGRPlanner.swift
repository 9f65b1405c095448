/// Chooses, for a run of cells, between `▀`, `▄` and a space and which colours to reuse, so that
/// the run is written with the fewest bytes of SGR escapes (a small beam search over the
/// terminal's colour state). One planner is reused for every row of a frame.
struct SGRPlanner {
    /// The glyph of a planned cell.
    enum Glyph: UInt8 { case space, upper, lower }

    /// One planned cell: the glyph and the colour keys the terminal must have when it is written.
    struct Step {
        var glyph: Glyph
        var fg: UInt32?
        var bg: UInt32?
    }

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

    /// The key standing for "unknown colour" inside the search (keys are 24-bit or palette indices).
    private static let unknown: UInt32 = 0xFFFF_FFFF

    /// A terminal colour state reached after some cells, with its byte cost and path.
    private struct State {
        var fg: UInt32  // `unknown` when not known
        var bg: UInt32
        var cost: Int
        var path: Int32  // index into the arena, -1 before the first cell
    }

    /// One step of a path (glyph and colours, `unknown` for none) and the step before it.
    private struct Node {
        var glyph: Glyph
        var fg: UInt32
        var bg: UInt32
        var parent: Int32
    }

    /// Buffers reused from row to row: the path arena, the beam and the planned steps.
    private final class Workspace {
        var capacity = 0
        var arena = UnsafeMutablePointer<Node>.allocate(capacity: 1)
        var steps = UnsafeMutablePointer<Step>.allocate(capacity: 1)
        let beam = UnsafeMutablePointer<State>.allocate(capacity: SGRPlanner.beamWidth)
        let next = UnsafeMutablePointer<State>.allocate(capacity: 3 * SGRPlanner.beamWidth)
        let order = UnsafeMutablePointer<Int>.allocate(capacity: 3 * SGRPlanner.beamWidth)

        /// Makes room for a row of `cells` cells (at most 3 · beam width arena nodes per cell).
        func reserve(cells: Int) {
            guard cells > capacity else { return }
            arena.deallocate()
            steps.deallocate()
            capacity = max(cells, 2 * capacity)
            arena = .allocate(capacity: capacity * 3 * SGRPlanner.beamWidth)
            steps = .allocate(capacity: capacity)
        }

        deinit {
            arena.deallocate(); steps.deallocate()
            beam.deallocate(); next.deallocate(); order.deallocate()
        }
    }

    // MARK: Planning

    /// The cheapest steps for `count` cells whose top and bottom colour keys are `top[i]` and
    /// `bottom[i]`, starting from the terminal state `start`. Valid until the next call.
    func plan(top: UnsafePointer<UInt32>, bottom: UnsafePointer<UInt32>, count: Int,
              from start: (fg: UInt32?, bg: UInt32?)) -> UnsafeBufferPointer<Step> {
        let w = workspace
        w.reserve(cells: count)
        let arena = w.arena, beam = w.beam, next = w.next, order = w.order
        var nodes = 0
        beam[0] = State(fg: start.fg ?? Self.unknown, bg: start.bg ?? Self.unknown, cost: 0, path: -1)
        var beamCount = 1

        for cell in 0..<count {
            let t = top[cell], b = bottom[cell]
            let topBytes = colorBytes(t), bottomBytes = colorBytes(b)
            let pair = matches(t, b)
            // Common in photos: nothing on the beam can be reused and the pixels differ. Then the
            // cheapest state sets both colours, as ▀ and as ▄ (same bytes), and nothing else survives.
            if !pair && !(0..<beamCount).contains(where: { reusable(beam[$0], t, b) }) {
                let cost = beam[0].cost + 3 + 4 + topBytes + bottomBytes
                arena[nodes] = Node(glyph: .upper, fg: t, bg: b, parent: beam[0].path)
                arena[nodes + 1] = Node(glyph: .lower, fg: b, bg: t, parent: beam[0].path)
                beam[0] = State(fg: t, bg: b, cost: cost, path: Int32(nodes))
                beam[1] = State(fg: b, bg: t, cost: cost, path: Int32(nodes + 1))
                nodes += 2
                beamCount = 2
                continue
            }
            var nextCount = 0
            func consider(_ glyph: Glyph, fg: UInt32, bg: UInt32, from s: State, glyphBytes: Int) {
                let fgBytes = fg == s.fg ? 0 : (fg == t ? topBytes : bottomBytes)
                let bgBytes = bg == s.bg ? 0 : (bg == t ? topBytes : bottomBytes)
                var cost = s.cost + glyphBytes + fgBytes + bgBytes
                if fgBytes > 0 || bgBytes > 0 { cost += 3 }  // ESC [ … m
                if fgBytes > 0 && bgBytes > 0 { cost += 1 }  // ;
                for i in 0..<nextCount where next[i].fg == fg && next[i].bg == bg {
                    if next[i].cost <= cost { return }
                    arena[nodes] = Node(glyph: glyph, fg: fg, bg: bg, parent: s.path)
                    next[i].cost = cost
                    next[i].path = Int32(nodes)
                    nodes += 1
                    return
                }
                arena[nodes] = Node(glyph: glyph, fg: fg, bg: bg, parent: s.path)
                next[nextCount] = State(fg: fg, bg: bg, cost: cost, path: Int32(nodes))
                nodes += 1
                nextCount += 1
            }
            for i in 0..<beamCount {
                let s = beam[i]
                if pair {
                    // Both pixels look alike: a space on the background colour.
                    consider(.space, fg: s.fg, bg: keep(s.bg, t, b), from: s, glyphBytes: 1)
                }
                consider(.upper, fg: keep(s.fg, t), bg: keep(s.bg, b), from: s, glyphBytes: 3)
                consider(.lower, fg: keep(s.fg, b), bg: keep(s.bg, t), from: s, glyphBytes: 3)
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
        }

        // Walk the cheapest path back from its last step.
        let steps = w.steps
        var index = Int(beam[0].path), cell = count
        while index >= 0 {
            cell -= 1
            let node = arena[index]
            steps[cell] = Step(glyph: node.glyph, fg: node.fg == Self.unknown ? nil : node.fg,
                               bg: node.bg == Self.unknown ? nil : node.bg)
            index = Int(node.parent)
        }
        return UnsafeBufferPointer(start: steps, count: count)
    }

    /// Whether `state` has a colour that could stand for `top` or `bottom`.
    @inline(__always) private func reusable(_ state: State, _ top: UInt32, _ bottom: UInt32) -> Bool {
        matches(state.fg, top) || matches(state.fg, bottom) || matches(state.bg, top) || matches(state.bg, bottom)
    }

    /// The current colour if it passes for every wanted one, else the first wanted colour.
    @inline(__always) private func keep(_ current: UInt32, _ wanted: UInt32) -> UInt32 {
        matches(current, wanted) ? current : wanted
    }

    /// The current colour if it passes for both wanted ones, else the first wanted colour.
    @inline(__always) private func keep(_ current: UInt32, _ wanted: UInt32, _ also: UInt32) -> UInt32 {
        matches(current, wanted) && matches(current, also) ? current : wanted
    }

    /// Whether the terminal may show `b` where `a` is asked for (an unknown colour matches nothing).
    @inline(__always) func matches(_ a: UInt32, _ b: UInt32) -> Bool {
        if a == b { return a != Self.unknown }
        guard tolerance > 0, mode == .truecolor, (a | b) >> 24 == 0 else { return false }
        let t = UInt32(tolerance)
        @inline(__always) func close(_ shift: UInt32) -> Bool {
            let x = (a >> shift) & 0xFF, y = (b >> shift) & 0xFF
            return (x > y ? x - y : y - x) <= t
        }
        return close(16) && close(8) && close(0)
    }

    // MARK: Byte counts

    /// Bytes of one colour's parameters inside an SGR escape.
    @inline(__always) private func colorBytes(_ key: UInt32) -> Int {
        @inline(__always) func digits(_ v: UInt32) -> Int { v < 10 ? 1 : (v < 100 ? 2 : 3) }
        switch mode {
        case .truecolor: return 5 + digits(key >> 16) + digits((key >> 8) & 0xFF) + digits(key & 0xFF) + 2
        case .palette256: return 5 + digits(key)
        case .ansi16: return 2 + (key >= 8 ? 1 : 0)
        case .none: return 0
        }
    }
}
