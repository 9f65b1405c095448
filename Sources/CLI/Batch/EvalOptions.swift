import Media

/// The options of `eval-notes|eval-beats|eval-chords --ref DIR --est DIR`, declared once, and the run they
/// share: pair the folders, score every pair, print the table, write CSV/JSON, exit 1 when a pair failed.
enum EvalOptions {
    static let reference = Option<String?>("ref", value: "DIR", help: "Dataset mode: the folder of reference files, or dataset:ID[:train|test] for a catalog dataset's own (with --est)")
    static let estimate = Option<String?>("est", value: "DIR", help: "Dataset mode: the folder of estimates, paired with --ref by relative path")
    static let csv = Option<String?>("csv", value: "FILE", output: .file, help: "Dataset mode: write the per-item scores and means as CSV")
    static let json = Option<String?>("json", value: "FILE", output: .file, help: "Dataset mode: write the per-item scores, means and unpaired files as JSON")

    /// The help entries.
    static let specs = [reference.spec, estimate.spec, csv.spec, json.spec]

    /// The paragraph the eval commands' help ends with.
    static let discussion = "With --ref DIR --est DIR every file under the two folders is paired by its relative path (the same "
        + "path, else the same name without extension and kind suffix, so a.notes.csv pairs with a.mid); --ref dataset:ID[:train|test] "
        + "takes a catalog dataset's own label files from the store (a batch run's --out mirrors its tree). The table lists every "
        + "item and the means, files without a pair are listed, and --csv/--json keep the lot."

    /// The two folders when dataset mode is asked for (nil: the REF EST form); outputs are checked first.
    static func folders(_ arguments: ParsedArguments) throws -> (reference: String, estimate: String, csv: String?, json: String?)? {
        let csvPath = try arguments[csv], jsonPath = try arguments[json]
        let ref = try arguments[reference], est = try arguments[estimate]
        guard ref != nil || est != nil else {
            if csvPath != nil || jsonPath != nil { throw UsageError("--csv and --json are for dataset mode (--ref DIR --est DIR)") }
            if arguments.positionals.count != 2 { throw UsageError("give REF and EST files, or --ref DIR --est DIR") }
            return nil
        }
        guard let ref, let est else { throw UsageError("dataset mode needs both --ref DIR and --est DIR") }
        guard arguments.positionals.isEmpty else { throw UsageError("with --ref and --est give no REF EST files") }
        for folder in [ref, est] where !folder.hasPrefix("dataset:") && !FileAccess.isDirectory(folder) {
            throw FileAccess.exists(folder) ? MediaError.unsupported(path: folder, detail: "not a folder") : MediaError.fileNotFound(path: folder)
        }
        return (trimmed(ref), trimmed(est), csvPath, jsonPath)
    }

    /// Prints and writes `report`; the exit status is 1 when a pair failed or nothing was paired.
    static func finish(_ report: EvalReport, csv: String?, json: String?, shown: [String]? = nil, context: CommandContext) throws -> Int32 {
        report.print(to: context, shown: shown)
        if let csv { try AtomicFile.write(Array(report.csv().utf8), to: csv) }
        if let json { try AtomicFile.write(try report.json(), to: json) }
        if report.pairs.pairs.isEmpty { context.printError("no reference and estimate files pair up"); return ExitStatus.failure }
        return report.failures.isEmpty ? ExitStatus.success : ExitStatus.failure
    }

    /// Pairs the two sides for an eval command reading `extensions`.
    static func pairs(_ reference: String, _ estimate: String, extensions: Set<String>, preference: [String],
                      context: CommandContext) throws -> EvalPairs {
        try EvalPairs(reference: reference, estimate: estimate, extensions: extensions, preference: preference, environment: context.environment)
    }

    private static func trimmed(_ path: String) -> String {
        path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
    }
}
