/// "Did you mean …?" for mistyped options and subcommands: the closest known word by edit distance.
enum Suggestion {
    /// The known word closest to `word` (at most a third of its letters off, or a word it starts), or nil.
    static func closest(to word: String, among known: [String]) -> String? {
        let target = Array(word.lowercased())
        var best: (word: String, distance: Int)?
        for candidate in known {
            let distance = editDistance(target, Array(candidate.lowercased()))
            if best == nil || distance < best!.distance { best = (candidate, distance) }
        }
        guard let best else { return nil }
        if best.distance <= max(1, target.count / 3) { return best.word }
        if target.count >= 3, let prefixed = known.first(where: { $0.hasPrefix(word) || word.hasPrefix($0) }) { return prefixed }
        return nil
    }

    /// `" (did you mean PREFIXword?)"`, or an empty string when nothing is close.
    static func phrase(for word: String, among known: [String], prefix: String = "") -> String {
        closest(to: word, among: known).map { " (did you mean \(prefix)\($0)?)" } ?? ""
    }

    /// The usage error (exit 2) for an id that names nothing: `unknown KIND 'ID' (did you mean …?); HINT`.
    static func unknownID(_ id: String, kind: String, among known: [String], hint: String) -> UsageError {
        UsageError("unknown \(kind) '\(id)'" + phrase(for: id, among: known) + "; " + hint)
    }

    /// Edit distance with adjacent transpositions (optimal string alignment): `gte` is one edit from `get`.
    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var table = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { table[i][0] = i }
        for j in 0...b.count { table[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1)
                }
            }
        }
        return table[a.count][b.count]
    }
}
