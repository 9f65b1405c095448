import Glibc
import Foundation
import Datasets
import Remote
import Media

/// `mlwb datasets list|info|get|verify|split|rm`: the dataset catalog and local store.
enum DatasetsCommand: CommandGroup {
    static let spec = CommandSpec(
        name: "datasets",
        abstract: "List, download, extract, verify and remove datasets (omnizart's and ml4a-style image sets)",
        discussion: """
        The store is ${MLWB_HOME:-${XDG_CACHE_HOME:-~/.cache}/mlwb}/datasets/<id>/: archives in downloads/,
        the extracted tree in data/, digests in checksums.json. No dataset here publishes checksums, so the
        sha256 of each download is recorded on first download and checked by every later 'verify'.
        Downloads resume: after Ctrl-C or a dropped connection, run 'get' again. MLWB_MIRROR and
        MLWB_OFFLINE=1 work as for 'mlwb download'. Manual datasets (MAPS, Pop, TONAS, MedleyDB) print
        where to get them and where to put the files; 'verify' then checks what you placed.
        """,
        examples: ["mlwb datasets list", "mlwb datasets info maestro-v2", "mlwb datasets get mir-1k",
                   "mlwb datasets verify mir-1k", "mlwb datasets split mir-1k", "mlwb datasets rm mir-1k"])

    static let subcommands: [any Command.Type] = [List.self, Info.self, Get.self, Verify.self, Split.self, Remove.self]
    static let defaultSubcommand: (any Command.Type)? = List.self

    static let catalogPath = Option<String?>("catalog", value: "PATH", help: "Read this datasets.json instead of the one in the assets folder")
    static let id = CommandSpec.Positional("ID", "A dataset id from 'mlwb datasets list'")

    /// The store for these arguments, and the dataset id they name (checked against the catalog).
    static func store(_ arguments: ParsedArguments, _ context: CommandContext) throws -> DatasetStore {
        let catalog = try DatasetCatalog.load(path: try arguments[catalogPath], environment: context.environment)
        return DatasetStore(catalog: catalog, environment: context.environment)
    }

    static func knownID(_ arguments: ParsedArguments, _ store: DatasetStore) throws -> String {
        let id = arguments.positionals[0]
        let ids = store.catalog.entries.map(\.id)
        guard ids.contains(id) else {
            throw Suggestion.unknownID(id, kind: "dataset", among: ids, hint: "see 'mlwb datasets list'")
        }
        return id
    }

    enum List: Command {
        static let spec = CommandSpec(name: "list", aliases: ["ls"], abstract: "The catalog with sizes, licences and what is in the store",
                                      options: [catalogPath.spec])
        static func run(_ arguments: ParsedArguments, in context: CommandContext) throws -> Int32 {
            DatasetsCommand.list(try store(arguments, context), context)
            return ExitStatus.success
        }
    }

    enum Info: Command {
        static let spec = CommandSpec(name: "info", abstract: "Files, licence, layout and split rules of one dataset",
                                      positionals: [id], options: [catalogPath.spec])
        static func run(_ arguments: ParsedArguments, in context: CommandContext) throws -> Int32 {
            let store = try store(arguments, context)
            return try DatasetsCommand.info(try knownID(arguments, store), store, context)
        }
    }

    enum Get: Command {
        static let force = Option<Bool>(flag: "force", help: "Extract again even if data/ is complete")
        static let spec = CommandSpec(name: "get", aliases: ["download"], abstract: "Download, extract (guarded) and validate a dataset",
                                      positionals: [id], options: [force.spec] + DownloadOptionSet.specs + [catalogPath.spec])
        static func run(_ arguments: ParsedArguments, in context: CommandContext) throws -> Int32 {
            let store = try store(arguments, context)
            return try DatasetsCommand.get(try knownID(arguments, store), store, arguments, context)
        }
    }

    enum Verify: Command {
        static let quick = Option<Bool>(flag: "quick", help: "Check sizes and the layout only, without hashing")
        static let spec = CommandSpec(name: "verify", abstract: "Find missing, corrupt and unexpected files (status 1 if any)",
                                      positionals: [id], options: [quick.spec, catalogPath.spec])
        static func run(_ arguments: ParsedArguments, in context: CommandContext) throws -> Int32 {
            let store = try store(arguments, context)
            return try DatasetsCommand.verify(try knownID(arguments, store), store, hashing: !(try arguments[quick]), context)
        }
    }

    enum Split: Command {
        static let rule = Option<String?>("rule", value: "NAME", help: "The split rule to apply (default: the dataset's first)")
        static let files = Option<Bool>(flag: "files", help: "Print every file, not only the counts")
        static let spec = CommandSpec(name: "split", abstract: "omnizart's train/test split of what is on disk",
                                      positionals: [id], options: [rule.spec, files.spec, catalogPath.spec])
        static func run(_ arguments: ParsedArguments, in context: CommandContext) throws -> Int32 {
            let store = try store(arguments, context)
            return try DatasetsCommand.split(try knownID(arguments, store), store, rule: try arguments[rule],
                                             listFiles: try arguments[files], context)
        }
    }

    enum Remove: Command {
        static let spec = CommandSpec(name: "rm", aliases: ["remove"], abstract: "Delete a dataset's folder from the store",
                                      positionals: [id], options: [catalogPath.spec])
        static func run(_ arguments: ParsedArguments, in context: CommandContext) throws -> Int32 {
            let store = try store(arguments, context)
            let target = try knownID(arguments, store)
            let removed = try store.remove(target)
            context.print(removed ? "removed \(store.folder(target))" : "\(target) is not in the store (nothing to remove)")
            return ExitStatus.success
        }
    }

    // MARK: list

    private static func list(_ store: DatasetStore, _ context: CommandContext) {
        var rows = [["ID", "NAME", "SIZE", "LICENCE", "STATUS"]]
        for entry in store.catalog.entries {
            let size: String
            if entry.availability == .manual { size = "manual" }
            else if let total = entry.knownTotalSize { size = HumanReadable.bytes(total) }
            else { size = "unknown" }
            let status = (try? store.status(entry.id))?.name ?? "?"
            rows.append([entry.id, TextTable.truncate(entry.name, 40), size, TextTable.truncate(entry.licence, 28), status])
        }
        TextTable.print(rows, to: context)
        context.print("")
        context.print("Store: \(store.directory)  ·  'mlwb datasets info ID' for details")
    }

    // MARK: info

    private static func info(_ id: String, _ store: DatasetStore, _ context: CommandContext) throws -> Int32 {
        let entry = try store.catalog.entry(id)
        context.print("\(entry.name)  [\(entry.id)]")
        context.print(wrap(entry.description, indent: "  ", width: context.terminalSize.columns))
        context.print("")
        context.print("Homepage:  \(entry.homepage)")
        context.print("Licence:   \(entry.licence)")
        context.print("Origin:    \(entry.origin)")
        context.print("Status:    \(try store.status(id))")
        context.print("Folder:    \(store.folder(id))")
        if let approx = entry.approximateSize { context.print("Size:      \(approx)") }
        if entry.availability == .manual {
            context.print("")
            context.print("Manual download:")
            context.print(store.manualInstructions(entry))
        }
        if !entry.files.isEmpty {
            context.print("")
            context.print("Files:")
            let recorded = store.recordedChecksums(id)
            for file in entry.files {
                context.print("  \(file.filename)  (\(file.archive.rawValue))")
                context.print("    from:   \(file.displayURL)")
                context.print("    size:   \(file.size.map { HumanReadable.bytes($0) } ?? "unknown")")
                if let sha = file.sha256 {
                    context.print("    sha256: \(sha) (published)")
                } else if let rec = recorded.files[file.filename] {
                    context.print("    sha256: \(rec.sha256) (recorded \(rec.recorded), \(rec.origin))")
                } else {
                    context.print("    sha256: none published; recorded in checksums.json on first download")
                }
                if let md5 = file.md5 { context.print("    md5:    \(md5)") }
            }
        }
        let layout = entry.layout
        context.print("")
        context.print("Layout (under data/\(layout.root.map { $0 == DatasetLayout.anyRoot ? "<top folder>/" : $0 + "/" } ?? "")):")
        if !layout.folders.isEmpty { context.print("  folders: " + layout.folders.joined(separator: ", ")) }
        for rule in layout.files {
            context.print("  \(rule.pattern.text): \(rule.countText)" + (rule.note.map { " — \($0)" } ?? ""))
        }
        if layout.allowUnexpected { context.print("  (other files are allowed: the full layout is not known)") }
        context.print("")
        if entry.splits.isEmpty {
            context.print("Split rules: none")
        } else {
            context.print("Split rules:")
            for rule in entry.splits {
                context.print("  \(rule.name) (\(rule.kind.rawValue)): \(rule.summary)")
                if let note = rule.note { context.print("    note: \(note)") }
            }
        }
        if !entry.notes.isEmpty {
            context.print("")
            context.print("Notes:")
            for note in entry.notes { context.print(wrap("- " + note, indent: "  ", width: context.terminalSize.columns)) }
        }
        return ExitStatus.success
    }

    // MARK: get

    private static func get(_ id: String, _ store: DatasetStore, _ arguments: ParsedArguments, _ context: CommandContext) throws -> Int32 {
        let entry = try store.catalog.entry(id)
        if entry.availability == .manual {
            context.print("\(entry.name) cannot be downloaded automatically.")
            context.print(store.manualInstructions(entry))
            return ExitStatus.failure
        }
        let downloader = RemoteDatasetDownloader(options: try DownloadOptionSet.options(arguments, environment: context.environment))
        let display = try DownloadOptionSet.display(arguments, context: context)
        let force = try arguments[Get.force]
        InterruptFlag.install()
        defer { InterruptFlag.uninstall() }
        let report: ValidationReport
        do {
            report = try BlockingTask.run {
                try await store.get(id, downloader: downloader, force: force) { event in display?.handle(event) }
            }
        } catch {
            display?.finish()
            if InterruptFlag.isRaised || error is CancellationError {
                context.printError("mlwb datasets: interrupted; partial downloads (.part) are kept — run 'mlwb datasets get \(id)' again to resume.")
                return ExitStatus.interrupted
            }
            throw error
        }
        display?.finish()
        printReport(report, context)
        return report.isClean ? ExitStatus.success : ExitStatus.failure
    }

    // MARK: verify

    private static func verify(_ id: String, _ store: DatasetStore, hashing: Bool, _ context: CommandContext) throws -> Int32 {
        let entry = try store.catalog.entry(id)
        let status = try store.status(id)
        if status == .absent {
            context.printError("mlwb datasets: \(id) is not in the store.")
            if entry.availability == .manual {
                context.printError(store.manualInstructions(entry))
            } else {
                context.printError("Run 'mlwb datasets get \(id)' first.")
            }
            return ExitStatus.failure
        }
        let display = ProgressDisplay(interactive: context.stderrIsTTY, columns: context.terminalSize.columns)
        let report = try store.validate(id, hashing: hashing) { name, bytes in
            display.handle(DownloadEvent(id: DownloadID(-1), label: "hashing " + name,
                                         kind: .progress(DownloadProgress(bytesDone: bytes, bytesTotal: nil, bytesPerSecond: 0, secondsLeft: nil))))
        }
        display.finish()
        printReport(report, context)
        return report.isClean ? ExitStatus.success : ExitStatus.failure
    }

    private static func printReport(_ report: ValidationReport, _ context: CommandContext) {
        func section<T: CustomStringConvertible>(_ title: String, _ items: [T]) {
            guard !items.isEmpty else { return }
            context.print("\(title) (\(items.count)):")
            for item in items.prefix(20) { context.print("  \(item)") }
            if items.count > 20 { context.print("  … and \(items.count - 20) more") }
        }
        section("Missing", report.missing)
        section("Corrupt", report.corrupt)
        section("Unexpected", report.unexpected)
        section("Too many", report.surplus.map { "\($0.pattern): found \($0.found), expected \($0.expected)" })
        for note in report.notes { context.print("note: \(note)") }
        context.print("\(report.id): \(report.isClean ? "verified" : "problems") — \(report.summary)")
    }

    // MARK: split

    private static func split(_ id: String, _ store: DatasetStore, rule: String?, listFiles: Bool,
                              _ context: CommandContext) throws -> Int32 {
        let result = try store.split(id, rule: rule)
        context.print("train: \(result.train.count) files")
        if listFiles { for path in result.train { context.print("  \(path)") } }
        context.print("test:  \(result.test.count) files")
        if listFiles { for path in result.test { context.print("  \(path)") } }
        context.print("(paths relative to \(try store.layoutRoot(id)))")
        return ExitStatus.success
    }

    // MARK: Formatting

    private static func wrap(_ text: String, indent: String, width: Int) -> String {
        let limit = max(40, width - indent.count - 1)
        var lines: [String] = [], line = ""
        for word in text.split(separator: " ") {
            if !line.isEmpty && line.count + 1 + word.count > limit { lines.append(indent + line); line = "" }
            line += (line.isEmpty ? "" : " ") + word
        }
        if !line.isEmpty { lines.append(indent + line) }
        return lines.joined(separator: "\n")
    }
}

