/// Chooses, for a run of cells, between `▀`, `▄` and a space and which colours to reuse, so that
/// the run is written with the fewest bytes of SGR escapes (a small beam search over the
/// terminal's colour state).
struct SGRPlanner {
    /// The glyph of a planned cell.
    enum Glyph { case space, upper, lower }

    /// One planned cell: the glyph and the colour keys the terminal must have when it is written.
    struct Step {
        var glyph: Glyph
        var fg: UInt32?
        var bg: UInt32?
    }

    let mode: ColorMode
    let tolerance: Int

    private struct State {
        var fg: UInt32?
        var bg: UInt32?
        var cost: Int
        var path: Int  // index into the path arena
    }

    /// The cheapest steps for cells given as (top, bottom) colour keys, starting from `start`.
    func plan(_ cells: [(UInt32, UInt32)], from start: (fg: UInt32?, bg: UInt32?)) -> [Step] {
        var arena: [(step: Step, parent: Int)] = []
        arena.reserveCapacity(cells.count * 6)
        var states = [State(fg: start.fg, bg: start.bg, cost: 0, path: -1)]
        var next: [State] = []
        for (top, bottom) in cells {
            next.removeAll(keepingCapacity: true)
            for s in states {
                if matches(top, bottom) {
                    // Both pixels look alike: a space on the background colour.
                    let bg = keep(s.bg, top, bottom)
                    consider(Step(glyph: .space, fg: s.fg, bg: bg), from: s, glyphBytes: 1, into: &next, arena: &arena)
                }
                consider(Step(glyph: .upper, fg: keep(s.fg, top), bg: keep(s.bg, bottom)), from: s, glyphBytes: 3, into: &next, arena: &arena)
                consider(Step(glyph: .lower, fg: keep(s.fg, bottom), bg: keep(s.bg, top)), from: s, glyphBytes: 3, into: &next, arena: &arena)
            }
            // Keep the cheapest few states (the beam); ties keep their order, so ▀ wins over ▄.
            next = next.enumerated().sorted { ($0.element.cost, $0.offset) < ($1.element.cost, $1.offset) }.prefix(4).map(\.element)
            swap(&states, &next)
        }
        var steps: [Step] = []
        steps.reserveCapacity(cells.count)
        var index = states[0].path
        while index >= 0 {
            steps.append(arena[index].step)
            index = arena[index].parent
        }
        return steps.reversed()
    }

    private func consider(_ step: Step, from s: State, glyphBytes: Int, into next: inout [State], arena: inout [(step: Step, parent: Int)]) {
        let cost = s.cost + glyphBytes + escapeBytes(fg: step.fg == s.fg ? nil : step.fg, bg: step.bg == s.bg ? nil : step.bg)
        if let i = next.firstIndex(where: { $0.fg == step.fg && $0.bg == step.bg }) {
            if next[i].cost <= cost { return }
            arena.append((step, s.path))
            next[i].cost = cost
            next[i].path = arena.count - 1
            return
        }
        arena.append((step, s.path))
        next.append(State(fg: step.fg, bg: step.bg, cost: cost, path: arena.count - 1))
    }

    /// The current colour if it passes for every wanted one, else the first wanted colour.
    private func keep(_ current: UInt32?, _ wanted: UInt32, _ also: UInt32? = nil) -> UInt32 {
        if let current, matches(current, wanted), also.map({ matches(current, $0) }) ?? true { return current }
        return wanted
    }

    /// Whether the terminal may show `b` where `a` is asked for.
    @inline(__always) func matches(_ a: UInt32, _ b: UInt32) -> Bool {
        if a == b { return true }
        guard tolerance > 0, mode == .truecolor else { return false }
        let t = UInt32(tolerance)
        @inline(__always) func close(_ shift: UInt32) -> Bool {
            let x = (a >> shift) & 0xFF, y = (b >> shift) & 0xFF
            return (x > y ? x - y : y - x) <= t
        }
        return close(16) && close(8) && close(0)
    }

    /// Bytes of the SGR escape that sets `fg` and/or `bg` (0 if neither).
    func escapeBytes(fg: UInt32?, bg: UInt32?) -> Int {
        guard fg != nil || bg != nil else { return 0 }
        var n = 3  // ESC [ … m
        if let fg { n += colorBytes(fg) }
        if let bg { n += colorBytes(bg) }
        if fg != nil && bg != nil { n += 1 }
        return n
    }

    private func colorBytes(_ key: UInt32) -> Int {
        @inline(__always) func digits(_ v: UInt32) -> Int { v < 10 ? 1 : (v < 100 ? 2 : 3) }
        switch mode {
        case .truecolor: return 5 + digits(key >> 16) + digits((key >> 8) & 0xFF) + digits(key & 0xFF) + 2
        case .palette256: return 5 + digits(key)
        case .ansi16: return 2 + (key >= 8 ? 1 : 0)
        case .none: return 0
        }
    }
}
