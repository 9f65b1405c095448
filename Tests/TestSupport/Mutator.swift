import Media

/// Deterministic mutation of seed inputs for fuzz tests: bit flips, interesting integers written
/// over header fields, deleted, duplicated and spliced runs, truncation, and (for text formats)
/// numbers replaced by hostile ones. Draws every choice from the generator it is given, so the
/// same generator state gives the same mutant.
public enum Mutator {
    // MARK: Mutants

    /// `count` mutants of `seeds` (cycled), reproducible from `seed`.
    public static func mutants(of seeds: [[UInt8]], count: Int, seed: UInt64, text: Bool = false) -> [[UInt8]] {
        precondition(!seeds.isEmpty, "no seeds to mutate")
        var generator = SeededGenerator(seed: seed)
        return (0..<count).map { index in
            mutate(seeds[index % seeds.count], using: &generator, text: text, others: seeds)
        }
    }

    /// One mutant of `bytes`: one to four stacked mutations. `others` are spliced from; `text`
    /// adds mutations that replace or insert numbers and punctuation.
    public static func mutate<G: RandomNumberGenerator>(_ bytes: [UInt8], using generator: inout G,
                                                        text: Bool = false, others: [[UInt8]] = []) -> [UInt8] {
        var result = bytes
        for _ in 0..<Int.random(in: 1...4, using: &generator) {
            mutateOnce(&result, using: &generator, text: text, others: others)
        }
        return result
    }

    /// A generator seeded with `seed` (the one `mutants(of:count:seed:)` uses), for other mutators.
    public static func seededGenerator(_ seed: UInt64) -> SeededGenerator { SeededGenerator(seed: seed) }

    // MARK: Mutations

    /// Values that break size arithmetic and range checks.
    static let interesting: [UInt64] = [0, 1, 0x7F, 0x80, 0xFF, 0x100, 0x7FFF, 0x8000, 0xFFFF, 0x1_0000,
                                        0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF, 0x1_0000_0000,
                                        0x7FFF_FFFF_FFFF_FFFF, 0x8000_0000_0000_0000, UInt64.max]

    /// Numbers that break parsers of decimal text.
    static let hostileNumbers = ["0", "-1", "-0", "1e400", "-1e400", "nan", "inf", "-inf", "9223372036854775807",
                                 "9223372036854775808", "18446744073709551616", "2147483648", "4294967295",
                                 "0.0000001", "1e-320", "99999999999999999999999999", "+", "-", ".", "0x10"]

    private static func mutateOnce<G: RandomNumberGenerator>(_ bytes: inout [UInt8], using g: inout G, text: Bool,
                                                             others: [[UInt8]]) {
        if bytes.isEmpty { bytes = [UInt8.random(in: 0...255, using: &g)]; return }
        let kinds = text ? 11 : 8
        switch Int.random(in: 0..<kinds, using: &g) {
        case 0:  // flip one bit
            let i = Int.random(in: 0..<bytes.count, using: &g)
            bytes[i] ^= 1 << UInt8.random(in: 0...7, using: &g)
        case 1:  // random byte
            bytes[Int.random(in: 0..<bytes.count, using: &g)] = UInt8.random(in: 0...255, using: &g)
        case 2:  // interesting integer, 1/2/4/8 bytes, either byte order
            let width = [1, 2, 4, 8].randomElement(using: &g)!
            guard bytes.count >= width else { return }
            let value = interesting.randomElement(using: &g)!
            let at = Int.random(in: 0...(bytes.count - width), using: &g)
            let bigEndian = Bool.random(using: &g)
            for k in 0..<width {
                let shift = UInt64(8 * (bigEndian ? width - 1 - k : k))
                bytes[at + k] = UInt8(truncatingIfNeeded: value >> shift)
            }
        case 3:  // delete a run
            let (start, length) = run(in: bytes.count, using: &g)
            bytes.removeSubrange(start..<(start + length))
        case 4:  // duplicate a run in place
            let (start, length) = run(in: bytes.count, using: &g)
            bytes.insert(contentsOf: bytes[start..<(start + length)], at: start)
        case 5:  // truncate
            bytes.removeLast(Int.random(in: 1...bytes.count, using: &g))
        case 6:  // splice a run of another seed (or of itself) over a position
            let donor = others.randomElement(using: &g) ?? bytes
            guard !donor.isEmpty else { return }
            let (start, length) = run(in: donor.count, using: &g)
            let at = Int.random(in: 0..<bytes.count, using: &g)
            let end = min(bytes.count, at + length)
            bytes.replaceSubrange(at..<end, with: donor[start..<(start + length)])
        case 7:  // insert random bytes
            let at = Int.random(in: 0...bytes.count, using: &g)
            bytes.insert(contentsOf: (0..<Int.random(in: 1...16, using: &g)).map { _ in UInt8.random(in: 0...255, using: &g) }, at: at)
        case 8:  // replace a run of digits by a hostile number
            let digits = digitRuns(bytes)
            guard let (start, end) = digits.randomElement(using: &g) else { return }
            bytes.replaceSubrange(start..<end, with: Array(hostileNumbers.randomElement(using: &g)!.utf8))
        case 9:  // insert structural punctuation
            let at = Int.random(in: 0...bytes.count, using: &g)
            let pieces = ["=", ".", ",", "\n", "\r\n", "#", ":", "\"", "{", "}", "[", "]", " ", "\0", "\t", "/", ".."]
            bytes.insert(contentsOf: Array(pieces.randomElement(using: &g)!.utf8), at: at)
        default:  // duplicate or drop a whole line
            let lines = lineRanges(bytes)
            guard let line = lines.randomElement(using: &g) else { return }
            if Bool.random(using: &g) {
                bytes.insert(contentsOf: bytes[line], at: line.lowerBound)
            } else {
                bytes.removeSubrange(line)
            }
        }
    }

    // MARK: Helpers

    /// A random run (start, length ≥ 1) inside `count` bytes, mostly short.
    private static func run<G: RandomNumberGenerator>(in count: Int, using g: inout G) -> (Int, Int) {
        let start = Int.random(in: 0..<count, using: &g)
        let cap = min(count - start, Bool.random(using: &g) ? 8 : 256)
        return (start, Int.random(in: 1...cap, using: &g))
    }

    private static func digitRuns(_ bytes: [UInt8]) -> [(Int, Int)] {
        var runs: [(Int, Int)] = []
        var i = 0
        while i < bytes.count {
            guard (0x30...0x39).contains(bytes[i]) else { i += 1; continue }
            var j = i
            while j < bytes.count, (0x30...0x39).contains(bytes[j]) { j += 1 }
            runs.append((i, j))
            i = j
        }
        return runs
    }

    private static func lineRanges(_ bytes: [UInt8]) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var start = 0
        for (i, byte) in bytes.enumerated() where byte == 0x0A {
            ranges.append(start..<(i + 1))
            start = i + 1
        }
        if start < bytes.count { ranges.append(start..<bytes.count) }
        return ranges
    }
}
