import Foundation
import Media
import Models

/// The options every batch-capable command shares, declared once, and the rule that turns a command line
/// into a batch run: several inputs, a folder, a `dataset:ID[:split]` or `--out DIR` (a single file with
/// `-o` runs exactly as before).
enum BatchOptions {
    // MARK: Options

    static let out = Option<String?>("out", value: "DIR", output: .folder,
                                     help: "Batch mode: results under DIR, mirroring the inputs' tree, with a manifest that lets reruns resume")
    static let jobs = Option<Int>("jobs", value: "N", default: 1, in: 1...64,
                                  help: "Batch mode: items processed at once (the compute threads are split between them)")
    static let shard = Option<String?>("shard", value: "K/N",
                                       help: "Batch mode: only the items whose path hashes to K of N (K from 0), for job arrays")

    /// The `--format` option of a command writing `formats` (the first is the default).
    static func format(_ formats: [BatchFormat]) -> Option<String?> {
        Option<String?>("format", value: "LIST",
                        help: "Batch mode: what to write per input, comma-separated: " + formats.map { "\($0.name) (*\($0.suffix))" }.joined(separator: ", ")
                            + " (default: \(formats[0].name))")
    }

    /// The paragraph every batch command's help ends with.
    static let discussion = "Batch mode (several inputs, a folder, dataset:ID[:train|test] or --out DIR): one result per input under "
        + "DIR, mirroring the input tree; the model is loaded once. A manifest in DIR (mlwb-COMMAND.json) records each item's input "
        + "(size, mtime, sha256), the checkpoint's sha256, the parameters and the outcome, so a rerun redoes only what changed; "
        + "Ctrl-C stops after the current item. A failed item is reported, recorded and skipped (exit status 1 at the end). "
        + "--shard K/N runs a stable 1/N of the items (Slurm: --shard $SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT); "
        + "'mlwb batch merge DIR' checks and merges the shards' manifests."

    /// The help entries, `--format` included.
    static func specs(format: Option<String?>) -> [OptionSpec] { [out.spec, format.spec, jobs.spec, shard.spec] }

    // MARK: Reading

    /// A command line asking for a batch run.
    struct Request: Sendable {
        var command: String
        var inputs: [String]
        var out: String
        var jobs: Int
        var shard: BatchShard?
        var formats: [BatchFormat]
    }

    /// Whether these arguments ask for batch mode: several inputs (unless `severalFiles` is false), a folder,
    /// a dataset or `--out`.
    static func isBatch(_ arguments: ParsedArguments, severalFiles: Bool = true) -> Bool {
        (severalFiles && arguments.positionals.count > 1) || arguments.contains(out.spec.long)
            || arguments.positionals.contains { $0.hasPrefix("dataset:") || FileAccess.isDirectory($0) }
    }

    /// The batch request these arguments make, or nil for a single-file run (which must not use batch
    /// options). `singleOnly` are options that name one output or draw one result (`output`, `show`): a
    /// usage error in batch mode. `--out` is read (and checked) first, before any input is looked at.
    /// `severalFilesAreBatch: false` keeps several plain files a non-batch run (`classify a.png b.png` prints).
    static func request(_ arguments: ParsedArguments, command: String, formats: [BatchFormat], formatOption: Option<String?>,
                        singleOnly: [String], severalFilesAreBatch: Bool = true) throws -> Request? {
        guard isBatch(arguments, severalFiles: severalFilesAreBatch) else {
            for option in [jobs.spec.long, shard.spec.long, formatOption.spec.long] where arguments.contains(option) {
                throw UsageError("--\(option) is for batch mode: give several inputs, a folder or dataset:ID, and --out DIR")
            }
            return nil
        }
        guard let folder = try arguments[out] else {
            throw UsageError("several inputs, a folder or a dataset need --out DIR (where the results and the manifest go)")
        }
        for option in singleOnly where arguments.contains(option) {
            throw UsageError("--\(option) is for one input; in batch mode the results go under --out DIR"
                + (formats.count > 1 ? " (choose them with --format)" : ""))
        }
        guard !arguments.positionals.isEmpty else { throw UsageError("name the inputs: files, folders or dataset:ID[:train|test]") }
        var chosen: [BatchFormat] = [formats[0]]
        if let list = try arguments[formatOption] {
            chosen = []
            for name in list.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
                guard let format = formats.first(where: { $0.name == name }) else {
                    throw UsageError("--format: no format '\(name)'; choose from \(formats.map(\.name).joined(separator: ", "))"
                        + Suggestion.phrase(for: name, among: formats.map(\.name)))
                }
                if !chosen.contains(format) { chosen.append(format) }
            }
            guard !chosen.isEmpty else { throw UsageError("--format needs at least one of \(formats.map(\.name).joined(separator: ", "))") }
        }
        return Request(command: command, inputs: arguments.positionals, out: folder, jobs: try arguments[jobs],
                       shard: try arguments[shard].map(BatchShard.init(parsing:)), formats: chosen)
    }

    /// A model's parameter values as the manifest records them, with the chosen formats.
    static func recorded(_ parameters: ModelParameters, formats: [BatchFormat]) -> [String: String] {
        var result = parameters.values.mapValues(\.description)
        result["format"] = formats.map(\.name).joined(separator: ",")
        return result
    }
}
