import Foundation
import Media

/// A dataset evaluation's results: one row of named scores per pair, the means over the pairs that were
/// scored, the pairs that failed and the files without a pair; printed as a table, written as CSV and JSON.
struct EvalReport {
    /// One scored pair.
    struct Row {
        var pair: EvalPairs.Pair
        /// Counts shown before the scores (`ref notes`, `est notes`).
        var counts: [Int]
        /// Scores in `columns` order (NaN: not defined for this pair).
        var scores: [Double]
    }

    /// What the counts are (`ref_notes`).
    var countNames: [String]
    /// The score names, in order.
    var columns: [String]
    var rows: [Row] = []
    /// Pairs that could not be scored, with the reason.
    var failures: [(pair: EvalPairs.Pair, error: String)] = []
    var pairs: EvalPairs

    /// The mean of each column over the rows where it is defined (NaN when none is).
    var means: [Double] {
        columns.indices.map { i in
            let values = rows.map { $0.scores[i] }.filter { !$0.isNaN }
            return values.isEmpty ? .nan : values.reduce(0, +) / Double(values.count)
        }
    }

    // MARK: Scoring

    /// Scores every pair with `score` (an error marks that pair failed and the rest go on).
    init(pairs: EvalPairs, countNames: [String], columns: [String],
         score: (EvalPairs.Pair) throws -> (counts: [Int], scores: [Double])) {
        self.pairs = pairs
        self.countNames = countNames
        self.columns = columns
        for pair in pairs.pairs {
            do {
                let (counts, scores) = try score(pair)
                rows.append(Row(pair: pair, counts: counts, scores: scores))
            } catch {
                failures.append((pair, "\(error)"))
            }
        }
    }

    // MARK: Terminal

    /// The per-item table (the `shown` columns, all when nil), the means, then failures and unpaired files.
    func print(to context: CommandContext, shown: [String]? = nil) {
        let picked = (shown ?? columns).compactMap { name in columns.firstIndex(of: name) }
        var table = [["item"] + countNames + picked.map { columns[$0] }]
        for row in rows {
            table.append([row.pair.key] + row.counts.map(String.init) + picked.map { Self.cell(row.scores[$0]) })
        }
        let means = self.means
        table.append(["mean of \(rows.count)"] + countNames.map { _ in "" } + picked.map { Self.cell(means[$0]) })
        TextTable.print(table, to: context)
        for (pair, error) in failures { context.printError("failed: \(pair.key): \(error)") }
        if !pairs.unpairedReferences.isEmpty {
            context.print("references without an estimate (\(pairs.unpairedReferences.count)): " + pairs.unpairedReferences.joined(separator: ", "))
        }
        if !pairs.unpairedEstimates.isEmpty {
            context.print("estimates without a reference (\(pairs.unpairedEstimates.count)): " + pairs.unpairedEstimates.joined(separator: ", "))
        }
    }

    static func cell(_ value: Double) -> String { value.isNaN ? "—" : String(format: "%.4f", value) }

    // MARK: Files

    /// `item,reference,estimate,<counts>,<scores>` per pair, then a `mean` row (empty cells where undefined).
    func csv() -> String {
        func quoted(_ text: String) -> String {
            text.contains(",") || text.contains("\"") ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
        }
        func number(_ v: Double) -> String { v.isNaN ? "" : String(v) }
        var lines = [(["item", "reference", "estimate"] + countNames + columns).map(quoted).joined(separator: ",")]
        for row in rows {
            lines.append(([row.pair.key, row.pair.reference, row.pair.estimate].map(quoted) + row.counts.map(String.init)
                + row.scores.map(number)).joined(separator: ","))
        }
        lines.append((["mean", "", ""] + countNames.map { _ in "" } + means.map(number)).joined(separator: ","))
        return lines.joined(separator: "\n") + "\n"
    }

    /// `{"items": [...], "means": {...}, "failed": [...], "unpaired": {"references": [...], "estimates": [...]}}`.
    func json() throws -> [UInt8] {
        func scores(_ values: [Double]) -> [String: Any] {
            Dictionary(uniqueKeysWithValues: zip(columns, values).map { ($0, $1.isNaN ? NSNull() as Any : $1 as Any) })
        }
        let items: [[String: Any]] = rows.map { row in
            var item: [String: Any] = ["item": row.pair.key, "reference": row.pair.reference, "estimate": row.pair.estimate,
                                       "scores": scores(row.scores)]
            for (name, count) in zip(countNames, row.counts) { item[name] = count }
            return item
        }
        let object: [String: Any] = [
            "items": items, "means": scores(means), "count": rows.count,
            "failed": failures.map { ["item": $0.pair.key, "reference": $0.pair.reference, "estimate": $0.pair.estimate, "error": $0.error] },
            "unpaired": ["references": pairs.unpairedReferences, "estimates": pairs.unpairedEstimates],
        ]
        return Array(try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) + [0x0A]
    }
}
