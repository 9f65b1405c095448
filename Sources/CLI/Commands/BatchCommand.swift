import Media

/// `mlwb batch merge DIR…`: the batch runs' manifests, checked and merged.
enum BatchCommand: CommandGroup {
    static let spec = CommandSpec(
        name: "batch",
        abstract: "Check and merge the manifests of batch runs (shards of a job array, or runs on several machines)",
        discussion: "A batch run ('mlwb transcribe DIR --out OUT', pitch, beats, chords, classify, dream) writes mlwb-COMMAND.json "
            + "in OUT, or mlwb-COMMAND.shard-K-of-N.json with --shard K/N.",
        examples: ["mlwb batch merge notes/", "mlwb batch merge /scratch/node1/notes /scratch/node2/notes --into notes/"])

    static let subcommands: [any Command.Type] = [Merge.self]

    /// `mlwb batch merge DIR… [--into DIR]`.
    enum Merge: Command {
        static let into = Option<String?>("into", value: "DIR", output: .folder,
                                          help: "Write the merged manifest (and copy the outputs) here (default: the first DIR)")
        static let spec = CommandSpec(
            name: "merge", abstract: "Check the manifests in DIRs (every shard there, one set of settings, every output as recorded) and merge them",
            positionals: [.init("DIR", "Output folders of batch runs (--out), or one folder all shards wrote to", variadic: true)],
            options: [into.spec],
            discussion: "Each command's manifests are merged on their own. A check that fails (a missing shard, items made with "
                + "different parameters or checkpoints, an output missing or changed, two folders with different results for one "
                + "item) is listed and nothing is written (exit status 1). Otherwise the merged mlwb-COMMAND.json is written to the "
                + "target, outputs found only in other folders are copied there, and the target's shard manifests are removed. "
                + "Failed items stay recorded as failed and make the exit status 1.",
            examples: ["mlwb batch merge notes/", "mlwb batch merge a/notes b/notes --into notes/"])

        static func run(_ arguments: ParsedArguments, in context: CommandContext) throws -> Int32 {
            let target = try arguments[into] ?? arguments.positionals[0]
            let folders = arguments.positionals
            for folder in folders where !FileAccess.isDirectory(folder) {
                throw MediaError.fileNotFound(path: folder)
            }
            let commands = Array(Set(folders.flatMap(BatchManifest.commands(in:)))).sorted()
            guard !commands.isEmpty else {
                throw MediaError.unsupported(path: folders.joined(separator: ", "), detail: "no batch manifest (mlwb-COMMAND.json) there")
            }
            var status = ExitStatus.success
            for command in commands {
                let report = try BatchMerge.merge(command: command, folders: folders, into: target)
                let files = report.sources.map { $0.folder + "/" + $0.name }
                if !report.problems.isEmpty {
                    context.printError("mlwb batch merge: \(command): \(report.problems.count) problem\(report.problems.count == 1 ? "" : "s") in "
                        + "\(files.joined(separator: ", ")); nothing written:")
                    for problem in report.problems.prefix(50) { context.printError("  " + problem) }
                    if report.problems.count > 50 { context.printError("  … and \(report.problems.count - 50) more") }
                    status = ExitStatus.failure
                    continue
                }
                guard let merged = report.merged else { continue }
                context.print("\(command): \(files.count) manifest\(files.count == 1 ? "" : "s") checked, \(merged.items.count) items "
                    + "(\(merged.items.count - report.failed.count) ok, \(report.failed.count) failed)"
                    + (report.copied > 0 ? ", \(report.copied) outputs copied" : "")
                    + " → \(target)/\(BatchManifest.fileName(command: command, shard: nil))")
                if !report.failed.isEmpty {
                    context.printError("mlwb batch merge: \(command): failed items (see their errors in the manifest): "
                        + report.failed.prefix(10).joined(separator: ", ") + (report.failed.count > 10 ? ", …" : ""))
                    status = ExitStatus.failure
                }
            }
            return status
        }
    }
}
