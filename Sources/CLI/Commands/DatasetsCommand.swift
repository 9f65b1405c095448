#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Datasets
import Remote

/// `mlwb datasets list|info ID|get ID|verify ID|split ID|rm ID`: the dataset catalog and local store.
enum DatasetsCommand: Command {
    static let spec = CommandSpec(
        name: "datasets",
        abstract: "List, download, extract, verify and remove datasets (omnizart's and ml4a-style image sets)",
        positionals: [
            .init("SUBCOMMAND", "list, info, get, verify, split or rm"),
            .init("ID", "A dataset id from 'mlwb datasets list'", optional: true),
        ],
        options: [
            .init("catalog", value: "PATH", "Read this datasets.json instead of the one in the assets folder"),
            .init("force", "get: extract again even if data/ is complete"),
            .init("quick", "verify: check sizes and the layout only, without hashing"),
            .init("rule", value: "NAME", "split: the split rule to apply (default: the first)"),
            .init("files", "split: print every file, not only the counts"),
        ],
        discussion: """
        The store is ${MLWB_HOME:-${XDG_CACHE_HOME:-~/.cache}/mlwb}/datasets/<id>/: archives in downloads/,
        the extracted tree in data/, digests in checksums.json. No dataset here publishes checksums, so the
        sha256 of each download is recorded on first download and checked by every later 'verify'.
        Downloads resume: after Ctrl-C or a dropped connection, run 'get' again. MLWB_MIRROR and
        MLWB_OFFLINE=1 work as for 'mlwb download'. Manual datasets (MAPS, Pop, TONAS, MedleyDB) print
        where to get them and where to put the files; 'verify' then checks what you placed.
        'verify' exits with status 1 when anything is missing, corrupt or unexpected.
        """,
        examples: ["mlwb datasets list", "mlwb datasets info maestro-v2", "mlwb datasets get mir-1k",
                   "mlwb datasets verify mir-1k", "mlwb datasets split mir-1k", "mlwb datasets rm mir-1k"])

    static func run(_ arguments: ParsedArguments, in context: CommandContext) throws -> Int32 {
        let sub = arguments.positionals[0]
        let id = arguments.positionals.count > 1 ? arguments.positionals[1] : nil
        let catalog = try DatasetCatalog.load(path: arguments.value("catalog"), environment: context.environment)
        let store = DatasetStore(catalog: catalog, environment: context.environment)
        func requireID() throws -> String {
            guard let id else { throw UsageError("'datasets \(sub)' needs a dataset ID (see 'mlwb datasets list')") }
            _ = try catalog.entry(id)
            return id
        }
        switch sub {
        case "list":
            if id != nil { throw UsageError("'datasets list' takes no ID") }
            list(store, context)
            return ExitStatus.success
        case "info": return try info(try requireID(), store, context)
        case "get": return try get(try requireID(), store, force: arguments.flag("force"), context)
        case "verify": return try verify(try requireID(), store, hashing: !arguments.flag("quick"), context)
        case "split":
            return try split(try requireID(), store, rule: arguments.value("rule"), listFiles: arguments.flag("files"), context)
        case "rm", "remove":
            let target = try requireID()
            let removed = try store.remove(target)
            context.print(removed ? "removed \(store.folder(target))" : "\(target) is not in the store (nothing to remove)")
            return ExitStatus.success
        default:
            throw UsageError("unknown datasets subcommand '\(sub)' (expected list, info, get, verify, split or rm)")
        }
    }

    // MARK: list

    private static func list(_ store: DatasetStore, _ context: CommandContext) {
        var rows = [["ID", "NAME", "SIZE", "LICENCE", "STATUS"]]
        for entry in store.catalog.entries {
            let size: String
            if entry.availability == .manual { size = "manual" }
            else if let total = entry.knownTotalSize { size = formatBytes(total) }
            else { size = "unknown" }
            let status = (try? store.status(entry.id))?.name ?? "?"
            rows.append([entry.id, truncate(entry.name, 40), size, truncate(entry.licence, 28), status])
        }
        printTable(rows, context)
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
                context.print("    size:   \(file.size.map(formatBytes) ?? "unknown")")
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

    private static func get(_ id: String, _ store: DatasetStore, force: Bool, _ context: CommandContext) throws -> Int32 {
        let entry = try store.catalog.entry(id)
        if entry.availability == .manual {
            context.print("\(entry.name) cannot be downloaded automatically.")
            context.print(store.manualInstructions(entry))
            return ExitStatus.failure
        }
        let downloader = RemoteDatasetDownloader(options: DownloadOptions.from(environment: context.environment))
        let monitor = GetMonitor()
        let tty = context.stderrIsTTY
        let task = Task {
            try await store.get(id, downloader: downloader, force: force) { event in monitor.record(event) }
        }
        let outcome = ResultBox<ValidationReport>()
        Task {
            do { outcome.set(.success(try await task.value)) } catch { outcome.set(.failure(error)) }
        }
        InterruptFlag.install()
        defer { InterruptFlag.uninstall() }
        var interrupted = false
        var lastPlain = Date.distantPast
        while outcome.value == nil {
            usleep(100_000)
            if InterruptFlag.isRaised && !interrupted {
                interrupted = true
                task.cancel()
            }
            for line in monitor.takeLines() {
                if tty { context.writeError("\r\u{1B}[K") }
                context.printError(line)
            }
            if let status = monitor.statusLine() {
                if tty {
                    context.writeError("\r\u{1B}[K" + truncate(status, max(10, context.terminalSize.columns - 1)))
                } else if Date().timeIntervalSince(lastPlain) >= 5 {
                    context.printError(status)
                    lastPlain = Date()
                }
            }
        }
        if tty { context.writeError("\r\u{1B}[K") }
        for line in monitor.takeLines() { context.printError(line) }
        switch outcome.value! {
        case .success(let report):
            printReport(report, context)
            return report.isClean ? ExitStatus.success : ExitStatus.failure
        case .failure(let error):
            if interrupted || error is CancellationError {
                context.printError("mlwb datasets: interrupted; partial downloads (.part) are kept — run 'mlwb datasets get \(id)' again to resume.")
                return ExitStatus.interrupted
            }
            throw error
        }
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
        let tty = context.stderrIsTTY
        var lastDraw = Date.distantPast
        let report = try store.validate(id, hashing: hashing) { name, bytes in
            guard tty, Date().timeIntervalSince(lastDraw) > 0.1 else { return }
            lastDraw = Date()
            context.writeError("\r\u{1B}[Khashing \(name): \(formatBytes(bytes))")
        }
        if tty { context.writeError("\r\u{1B}[K") }
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

    static func formatBytes(_ bytes: Int64) -> String {
        let units = ["B", "KB", "MB", "GB", "TB"]
        var value = Double(bytes), unit = 0
        while value >= 1000 && unit < units.count - 1 { value /= 1000; unit += 1 }
        return unit == 0 ? "\(bytes) B" : String(format: "%.1f %@", value, units[unit])
    }

    private static func truncate(_ text: String, _ width: Int) -> String {
        text.count <= width ? text : String(text.prefix(max(1, width - 1))) + "…"
    }

    private static func printTable(_ rows: [[String]], _ context: CommandContext) {
        guard let first = rows.first else { return }
        var widths = [Int](repeating: 0, count: first.count)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        for row in rows {
            let cells = row.enumerated().map { i, cell in
                i == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[i] - cell.count)
            }
            context.print(cells.joined(separator: "  "))
        }
    }

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

// MARK: - Progress bridging

/// A value set once from another thread and polled by the command's main loop.
private final class ResultBox<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Result<T, any Error>?
    var value: Result<T, any Error>? { lock.lock(); defer { lock.unlock() }; return stored }
    func set(_ result: Result<T, any Error>) { lock.lock(); stored = result; lock.unlock() }
}

/// Collects `DatasetEvent`s from download and extraction threads; the main loop turns them into lines.
private final class GetMonitor: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    private var status: String?

    func record(_ event: DatasetEvent) {
        lock.lock(); defer { lock.unlock() }
        switch event {
        case .step(let text):
            lines.append(text)
        case .download(let event):
            switch event.kind {
            case .message(let text): lines.append("\(event.label): \(text)")
            case .state(let state):
                if case .failed(let reason) = state { lines.append("\(event.label): failed: \(reason)") }
                else if case .done = state { lines.append("\(event.label): downloaded"); status = nil }
                else { status = "\(event.label): \(state)" }
            case .progress(let p):
                var text = "\(event.label): \(DatasetsCommand.formatBytes(p.bytesDone))"
                if let total = p.bytesTotal { text += " / \(DatasetsCommand.formatBytes(total))" }
                if let f = p.fraction { text += String(format: " (%.0f%%)", f * 100) }
                if p.bytesPerSecond > 0 { text += "  \(DatasetsCommand.formatBytes(Int64(p.bytesPerSecond)))/s" }
                if let eta = p.secondsLeft, eta.isFinite { text += String(format: "  ETA %.0f s", eta) }
                status = text
            }
        case .extraction(let p):
            if p.finished {
                lines.append("extracted \(p.entries) entries, \(DatasetsCommand.formatBytes(p.bytesWritten)) from \(p.archive.split(separator: "/").last ?? "")")
                status = nil
            } else {
                status = String(format: "extracting: %.0f%%  %d entries  %@  %@", p.fraction * 100, p.entries,
                                DatasetsCommand.formatBytes(p.bytesWritten), p.entry)
            }
        }
    }

    func takeLines() -> [String] {
        lock.lock(); defer { lock.unlock() }
        let taken = lines
        lines.removeAll()
        return taken
    }

    func statusLine() -> String? {
        lock.lock(); defer { lock.unlock() }
        return status
    }
}
