import Checkpoints
import Foundation

/// `mlwb checkpoints list|verify [ID]|import FILE|get ID|rm ID|path ID`: the local checkpoint store.
enum CheckpointsCommand: Command {
    static let spec = CommandSpec(
        name: "checkpoints",
        abstract: "List, verify, import, download and remove model checkpoints",
        positionals: [
            .init("ACTION", "list, verify [ID], import FILE, get ID, rm ID or path ID", optional: true),
            .init("ARG", "A checkpoint id or a file", optional: true),
        ],
        options: [
            .init("id", value: "ID", "With import: the checkpoint the file must be (else it is identified by size and sha256)"),
            .init("force", "With verify: re-hash even if an earlier check still holds"),
        ],
        discussion: "Checkpoints live in ${MLWB_HOME:-$XDG_CACHE_HOME/mlwb}/checkpoints (default ~/.cache/mlwb). "
            + "Every file is checked against the catalog's size and sha256 before it is used.",
        examples: ["mlwb checkpoints list", "mlwb checkpoints import ~/Downloads/mobilenet_v2-b0353104.pth",
                   "mlwb checkpoints get mobilenet_v2", "mlwb checkpoints verify"])

    static func run(_ arguments: ParsedArguments, in context: CommandContext) throws -> Int32 {
        let action = arguments.positionals.first ?? "list"
        let arg = arguments.positionals.count > 1 ? arguments.positionals[1] : nil
        let store = try CheckpointsSupport.store(context)
        func requireArg(_ what: String) throws -> String {
            guard let arg else { throw UsageError("'checkpoints \(action)' needs \(what)") }
            return arg
        }
        switch action {
        case "list", "ls":
            let rows = store.list()
            context.print("store: \(store.directory)")
            for row in rows {
                let size = String(format: "%.1f MB", Double(row.entry.size) / 1_048_576)
                var status = row.status.description
                if let part = row.partialBytes { status += String(format: " (partial download %.1f MB)", Double(part) / 1_048_576) }
                context.print(pad(row.entry.id, 24) + pad(size, 10) + pad(status, 24) + row.entry.name)
            }
            for file in store.unknownFiles() { context.print(pad("?", 24) + pad("", 10) + pad("not in catalog", 24) + file) }
            return ExitStatus.success

        case "verify":
            let ids = arg.map { [$0] } ?? store.catalog.entries.map(\.id)
            var failed = false
            for id in ids {
                let state = try store.verify(id, force: arguments.flag("force"))
                if case .corrupt = state { failed = true }
                if arg != nil, state == .absent { failed = true }
                context.print(pad(id, 24) + state.description)
            }
            return failed ? ExitStatus.failure : ExitStatus.success

        case "import":
            let file = try requireArg("a FILE to import")
            let result = try store.importFile(file, id: arguments.value("id"))
            context.print(result.alreadyPresent
                ? "\(result.entry.id): already in the store (verified) at \(result.path)"
                : "\(result.entry.id): imported and verified → \(result.path)")
            return ExitStatus.success

        case "get", "download":
            let id = try requireArg("a checkpoint ID")
            let entry = try store.catalog.entry(id)
            if try store.verify(id) == .verified {
                context.print("\(id): already in the store (verified) at \(try store.path(for: id))")
                return ExitStatus.success
            }
            let tty = context.stderrIsTTY
            let report: @Sendable (String) -> Void = { line in
                let out = CommandContext(environment: [:], stdoutIsTTY: false, stderrIsTTY: tty)
                out.writeError(tty ? "\r\u{1B}[2K" + line : line + "\n")
            }
            context.printError("downloading \(entry.file) from \(entry.url)")
            InterruptFlag.install()
            defer { InterruptFlag.uninstall() }
            let fetch = CheckpointsSupport.fetcher(report: report)
            let path: String
            do {
                path = try CheckpointsSupport.blocking { try await store.ensure(id, fetch: fetch) }
            } catch {
                if tty { context.writeError("\n") }
                if InterruptFlag.isRaised {
                    context.printError("interrupted; the partial download is kept and 'checkpoints get \(id)' resumes it")
                    return ExitStatus.interrupted
                }
                throw error
            }
            if tty { context.writeError("\n") }
            context.print("\(id): downloaded and verified → \(path)")
            return ExitStatus.success

        case "rm", "remove":
            let id = try requireArg("a checkpoint ID")
            let removed = try store.remove(id)
            context.print(removed ? "\(id): removed" : "\(id): was not in the store")
            return ExitStatus.success

        case "path":
            let id = try requireArg("a checkpoint ID")
            let path = try store.path(for: id)
            context.print(path)
            return try store.status(id) == .absent ? ExitStatus.failure : ExitStatus.success

        default:
            throw UsageError("unknown action '\(action)'; use list, verify, import, get, rm or path")
        }
    }

    static func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s + "  " : s + String(repeating: " ", count: width - s.count)
    }
}
