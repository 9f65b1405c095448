import Datasets
import Dispatch
import Engine
import Foundation
import Media
import Remote

/// Processes one item: reads `input`, writes each of `outputs` (absolute paths, one per chosen format)
/// atomically, and returns one line about the result (`194 notes`).
typealias BatchWork = @Sendable (_ input: String, _ outputs: [String]) throws -> String

/// The one batch loop every app command runs: expand the inputs, plan against the manifests in the output
/// folder, load the model once (only when something is to do), process the items on `--jobs` threads with
/// the compute threads split between them, record each item in the manifest as it finishes (atomically),
/// show progress with throughput and ETA, stop after the current items on Ctrl-C, and exit 1 when an item
/// failed (130 when interrupted).
enum BatchRunner {
    // MARK: Running

    /// Runs `request`; `extensions` are the formats the command reads, `settings` what the outputs depend on,
    /// `load` loads the model and returns the per-item work.
    static func run(_ request: BatchOptions.Request, extensions: Set<String>, settings: BatchManifest.Settings,
                    context: CommandContext, load: () throws -> BatchWork) throws -> Int32 {
        let folder = request.out
        try FileTree.makeDirectories(folder)
        let items = try BatchInputs.expand(request.inputs, extensions: extensions, excluding: folder, environment: context.environment)
        var plan = try BatchPlan(items: items, request: request, settings: settings, folder: folder)
        let manifestPath = folder + "/" + BatchManifest.fileName(command: request.command, shard: request.shard)
        let scope = request.shard.map { shard in
            plan.todo.count + plan.current == 0 ? "shard \(shard) holds none of the \(plan.total) items"
                : "shard \(shard) has \(plan.todo.count + plan.current) of \(plan.total) items"
        } ?? "\(plan.total) items"
        if plan.todo.isEmpty {
            // Refreshed records (an input touched but unchanged) are worth writing, and a shard's first manifest
            // (even an empty one: merge then knows the shard ran); otherwise no new file for nothing.
            if plan.loaded.map({ $0.pruned() != plan.manifest.pruned() }) ?? (request.shard != nil) { try plan.manifest.write(to: manifestPath) }
            context.print("\(request.command): \(scope)" + (plan.current > 0 ? ", all current" : "") + " → \(folder) (nothing to do)")
            return ExitStatus.success
        }
        context.print("\(request.command): \(scope): \(plan.todo.count) to do, \(plan.current) current")
        context.flush()

        let work = try load()
        let threads = ComputeThreads.count
        let jobs = min(request.jobs, plan.todo.count)
        if jobs > 1 { ComputeThreads.set(max(1, threads / jobs)) }
        defer { if jobs > 1 { ComputeThreads.set(threads) } }
        if jobs > 1 { context.print("\(jobs) jobs × \(ComputeThreads.count) compute thread\(ComputeThreads.count == 1 ? "" : "s")") }

        InterruptFlag.install()
        defer { InterruptFlag.uninstall() }
        let progress = BatchProgress(label: request.command, total: plan.todo.count, context: context)
        let queue = BatchQueue(plan.todo)
        let group = DispatchGroup()
        let digest = plan.digest
        for _ in 0..<jobs {
            group.enter()
            let thread = Thread {
                while let entry = queue.next() {
                    queue.finish(process(entry, folder: folder, digest: digest, work: work))
                }
                group.leave()
            }
            thread.stackSize = 16 << 20
            thread.start()
        }

        var failed: [String] = [], done = 0
        func drain() throws {
            let finished = queue.takeFinished()
            guard !finished.isEmpty else { return }
            for outcome in finished {
                plan.manifest.items[outcome.key] = outcome.record
                done += 1
                if outcome.record.status == .failed {
                    failed.append(outcome.key)
                    progress.failure("mlwb \(request.command): \(outcome.key): error: \(outcome.record.error ?? "failed")")
                } else {
                    let written = outcome.record.outputs.map(\.path).joined(separator: ", ")
                    progress.line("\(outcome.key) → \(written)" + (outcome.record.summary.map { " (\($0))" } ?? ""))
                }
            }
            try plan.manifest.write(to: manifestPath)
            progress.update(done: done)
        }
        var writeError: (any Error)?
        while group.wait(timeout: .now() + .milliseconds(100)) == .timedOut {
            if InterruptFlag.isRaised, !queue.isStopping {
                queue.stop()
                progress.note("interrupted: finishing the current item\(jobs > 1 ? "s" : "") (the manifest stays consistent)")
            }
            do { try drain() } catch { writeError = error; queue.stop() }
        }
        do { try drain() } catch { writeError = writeError ?? error }
        progress.finish(done: done, stopped: queue.isStopping && done < plan.todo.count)
        if let writeError { throw writeError }

        let ok = done - failed.count
        var summary = "\(request.command): \(ok) done, \(failed.count) failed, \(plan.current) current"
        if queue.isStopping { summary += ", \(plan.todo.count - done) not started" }
        summary += " in " + (progress.elapsed < 60 ? String(format: "%.1f s", progress.elapsed) : HumanReadable.duration(progress.elapsed)) + " → \(folder) (manifest \(FileTree.name(of: manifestPath)))"
        context.print(summary)
        if !failed.isEmpty {
            context.printError("mlwb \(request.command): \(failed.count) item\(failed.count == 1 ? "" : "s") failed (recorded in the manifest; a rerun tries them again): "
                + failed.prefix(10).joined(separator: ", ") + (failed.count > 10 ? ", …" : ""))
        }
        if queue.isStopping && done < plan.todo.count {
            context.printError("interrupted: run the same command again to do the remaining \(plan.todo.count - done)")
            return ExitStatus.interrupted
        }
        return failed.isEmpty ? ExitStatus.success : ExitStatus.failure
    }

    // MARK: One item

    /// What became of one item.
    struct Outcome: Sendable {
        var key: String
        var record: BatchManifest.Record
    }

    /// Reads, processes and records one item; an error becomes a failed record, never an exception.
    static func process(_ entry: BatchPlan.Entry, folder: String, digest: String, work: BatchWork) -> Outcome {
        let source = entry.item.source
        var input = BatchManifest.Input(path: source, size: 0, mtime: "0", sha256: "")
        do {
            input = try BatchManifest.input(source)
            let paths = entry.outputs.map { folder + "/" + $0 }
            for path in paths { try FileTree.makeDirectories(FileTree.parent(of: path)) }
            let summary = try work(source, paths)
            let outputs = try zip(entry.outputs, paths).map { relative, path in
                guard let stamp = BatchManifest.stamp(path) else {
                    throw MediaError.writeFailed(path: path, reason: "the command did not write it")
                }
                return BatchManifest.Output(path: relative, size: stamp.size, sha256: try StreamingDigest.hex(file: path))
            }
            return Outcome(key: entry.item.key, record: .init(input: input, settings: digest, status: .ok, error: nil,
                                                              summary: summary, outputs: outputs))
        } catch {
            return Outcome(key: entry.item.key, record: .init(input: input, settings: digest, status: .failed,
                                                              error: "\(error)", summary: nil, outputs: []))
        }
    }
}
