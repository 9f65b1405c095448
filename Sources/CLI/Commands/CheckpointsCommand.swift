import Checkpoints
import Media
import Remote

/// `mlwb checkpoints list|verify|import|get|rm|path`: the local checkpoint store.
enum CheckpointsCommand: CommandGroup {
    static let spec = CommandSpec(
        name: "checkpoints",
        abstract: "List, verify, import, download and remove model checkpoints",
        discussion: "Checkpoints live in ${MLWB_HOME:-$XDG_CACHE_HOME/mlwb}/checkpoints (default ~/.cache/mlwb). "
            + "Every file is checked against the catalog's size and sha256 before it is used.",
        examples: ["mlwb checkpoints list", "mlwb checkpoints import ~/Downloads/mobilenet_v2-b0353104.pth",
                   "mlwb checkpoints get mobilenet_v2", "mlwb checkpoints verify"])

    static let subcommands: [any Command.Type] = [List.self, Verify.self, Import.self, Get.self, Remove.self, Path.self]
    static let defaultSubcommand: (any Command.Type)? = List.self

    static let id = CommandSpec.Positional("ID", "A checkpoint id from 'mlwb checkpoints list'")

    // MARK: list

    enum List: Command {
        static let spec = CommandSpec(name: "list", aliases: ["ls"], abstract: "The catalog and what is in the store")

        static func run(_ arguments: ParsedArguments, in context: CommandContext) throws -> Int32 {
            let store = try CheckpointsSupport.store(context)
            context.print("store: \(store.directory)")
            var rows = [["ID", "SIZE", "STATUS", "NAME"]]
            for row in store.list() {
                var status = row.status.description
                if let part = row.partialBytes { status += " (partial download \(HumanReadable.bytes(part)))" }
                rows.append([row.entry.id, HumanReadable.bytes(row.entry.size), status, row.entry.name])
            }
            for file in store.unknownFiles() { rows.append(["?", "", "not in catalog", file]) }
            TextTable.print(rows, to: context)
            return ExitStatus.success
        }
    }

    // MARK: verify

    enum Verify: Command {
        static let force = Option<Bool>(flag: "force", help: "Re-hash even if an earlier check still holds")
        static let spec = CommandSpec(name: "verify", abstract: "Re-hash checkpoints that changed since their last check (all, or one)",
                                      positionals: [.init("ID", "One checkpoint (default: every one in the store)", optional: true)],
                                      options: [force.spec],
                                      discussion: "Exits with status 1 when a checkpoint is corrupt (or the named one is absent).")

        static func run(_ arguments: ParsedArguments, in context: CommandContext) throws -> Int32 {
            let store = try CheckpointsSupport.store(context)
            let one = arguments.positionals.first
            if let one { try knownID(one, store) }
            var failed = false
            for id in one.map({ [$0] }) ?? store.catalog.entries.map(\.id) {
                let state = try store.verify(id, force: try arguments[force])
                if case .corrupt = state { failed = true }
                if one != nil, state == .absent { failed = true }
                context.print(TextTable.pad(id, 24) + state.description)
            }
            return failed ? ExitStatus.failure : ExitStatus.success
        }
    }

    // MARK: import

    enum Import: Command {
        static let asID = Option<String?>("id", value: "ID", help: "The checkpoint the file must be (default: identified by size and sha256)")
        static let spec = CommandSpec(name: "import", abstract: "Check a file you have and copy it into the store",
                                      positionals: [.init("FILE", "A checkpoint file (.pth, .onnx, .safetensors, …)")],
                                      options: [asID.spec])

        static func run(_ arguments: ParsedArguments, in context: CommandContext) throws -> Int32 {
            let store = try CheckpointsSupport.store(context)
            if let id = try arguments[asID] { try knownID(id, store) }
            let result = try store.importFile(arguments.positionals[0], id: try arguments[asID])
            context.print(result.alreadyPresent
                ? "\(result.entry.id): already in the store (verified) at \(result.path)"
                : "\(result.entry.id): imported and verified → \(result.path)")
            return ExitStatus.success
        }
    }

    // MARK: get

    enum Get: Command {
        static let spec = CommandSpec(
            name: "get", aliases: ["download"], abstract: "Download a checkpoint from its canonical URL and verify it",
            positionals: [CheckpointsCommand.id], options: DownloadOptionSet.specs,
            discussion: "The same download as the workbench's: MLWB_MIRROR (a directory or base URL) is tried first, "
                + "MLWB_OFFLINE=1 uses nothing else; bytes stream to FILE.part, are checked for size and sha256 while "
                + "they arrive, and only then renamed into the store. Ctrl-C keeps the .part; run again to resume.")

        static func run(_ arguments: ParsedArguments, in context: CommandContext) throws -> Int32 {
            let store = try CheckpointsSupport.store(context)
            let id = arguments.positionals[0]
            try knownID(id, store)
            let options = try DownloadOptionSet.options(arguments, environment: context.environment)
            let display = try DownloadOptionSet.display(arguments, context: context)
            let entry = try store.catalog.entry(id)
            if try store.status(id) != .verified { display?.note("\(entry.file) from \(entry.url)") }
            InterruptFlag.install()
            defer { InterruptFlag.uninstall() }
            let result: CheckpointDownload
            do {
                result = try BlockingTask.run { try await store.download(id, options: options, events: { display?.handle($0) }) }
            } catch RemoteError.paused {
                display?.finish()
                context.printError("interrupted; the partial download is kept and 'mlwb checkpoints get \(id)' resumes it")
                return ExitStatus.interrupted
            }
            display?.finish()
            context.print(result.fetched ? "\(id): downloaded and verified → \(result.path)"
                                         : "\(id): already in the store (verified) at \(result.path)")
            return ExitStatus.success
        }
    }

    // MARK: rm

    enum Remove: Command {
        static let spec = CommandSpec(name: "rm", aliases: ["remove"], abstract: "Delete a checkpoint (and any partial download)",
                                      positionals: [CheckpointsCommand.id])

        static func run(_ arguments: ParsedArguments, in context: CommandContext) throws -> Int32 {
            let store = try CheckpointsSupport.store(context)
            let id = arguments.positionals[0]
            try knownID(id, store)
            context.print(try store.remove(id) ? "\(id): removed" : "\(id): was not in the store")
            return ExitStatus.success
        }
    }

    // MARK: path

    enum Path: Command {
        static let spec = CommandSpec(name: "path", abstract: "Print where a checkpoint lives (status 1 if it is not there)",
                                      positionals: [CheckpointsCommand.id])

        static func run(_ arguments: ParsedArguments, in context: CommandContext) throws -> Int32 {
            let store = try CheckpointsSupport.store(context)
            let id = arguments.positionals[0]
            try knownID(id, store)
            context.print(try store.path(for: id))
            return try store.status(id) == .absent ? ExitStatus.failure : ExitStatus.success
        }
    }

    /// An unknown id is a usage mistake (exit 2) with a did-you-mean, not a failure.
    static func knownID(_ id: String, _ store: CheckpointStore) throws {
        let ids = store.catalog.entries.map(\.id)
        guard ids.contains(id) else {
            throw Suggestion.unknownID(id, kind: "checkpoint", among: ids, hint: "known: " + ids.joined(separator: ", "))
        }
    }
}
