import Datasets
import Media
import Remote

/// `mlwb batch merge`: checks the manifests of one command in several output folders (or a shared one
/// holding every shard's) and merges them into one `mlwb-CMD.json`: every shard of N present, one set of
/// settings, no item recorded with different outputs, every output there with its recorded sha256.
/// Outputs found in other folders are copied into the target (atomically); the target's shard manifests
/// are removed once merged.
struct BatchMerge {
    /// One manifest file found.
    struct Source {
        var folder: String
        var name: String
        var manifest: BatchManifest
    }

    /// What a merge found and did.
    struct Report {
        var command: String
        var sources: [Source] = []
        var problems: [String] = []
        var merged: BatchManifest?
        var failed: [String] = []
        var copied = 0
    }

    /// Merges the manifests of `command` in `folders` into `target` (nothing is written when a check fails).
    static func merge(command: String, folders: [String], into target: String) throws -> Report {
        var report = Report(command: command)
        for folder in folders {
            for (name, manifest) in try BatchManifest.readAll(in: folder, command: command) {
                report.sources.append(Source(folder: folder, name: name, manifest: manifest))
            }
        }
        report.problems += shardProblems(report.sources)

        // One record per item: an ok one over a failed one; two ok ones must agree on their outputs.
        var chosen: [String: (record: BatchManifest.Record, source: Source)] = [:]
        var settings: [String: BatchManifest.Settings] = [:]
        for source in report.sources {
            for (digest, value) in source.manifest.settings { settings[digest] = value }
            for (key, record) in source.manifest.items {
                guard let earlier = chosen[key] else { chosen[key] = (record, source); continue }
                switch (earlier.record.status, record.status) {
                case (.failed, .ok): chosen[key] = (record, source)
                case (.ok, .ok) where earlier.record.outputs.map(\.sha256) != record.outputs.map(\.sha256)
                                      || earlier.record.settings != record.settings:
                    report.problems.append("\(key): \(earlier.source.folder)/\(earlier.source.name) and \(source.folder)/\(source.name) "
                        + "record different results")
                default: break
                }
            }
        }
        let digests = Set(chosen.values.map(\.record.settings))
        if digests.count > 1 {
            let counts = digests.sorted().map { d in "\(chosen.values.filter { $0.record.settings == d }.count) items with settings \(d)" }
            report.problems.append("the items were made with different settings (\(counts.joined(separator: ", "))): "
                + differences(digests.sorted().compactMap { settings[$0] }) + "; rerun the stale ones with one set of options")
        }
        for key in chosen.keys.sorted() {
            let (record, source) = chosen[key]!
            guard record.status == .ok else { report.failed.append(key); continue }
            for output in record.outputs {
                let path = source.folder + "/" + output.path
                guard let stamp = BatchManifest.stamp(path) else { report.problems.append("\(key): output \(path) is missing"); continue }
                if stamp.size != output.size || (try? StreamingDigest.hex(file: path)) != output.sha256 {
                    report.problems.append("\(key): output \(path) is not the file the manifest records (size or sha256 differ)")
                }
            }
        }
        guard report.problems.isEmpty, !report.sources.isEmpty else { return report }

        // Copy outputs from other folders, then write the merged manifest and drop the target's shard files.
        var merged = BatchManifest(command: command, shard: nil)
        merged.settings = settings
        for (key, entry) in chosen {
            merged.items[key] = entry.record
            guard entry.record.status == .ok, BatchInputs.realPath(entry.source.folder) != BatchInputs.realPath(target) else { continue }
            for output in entry.record.outputs {
                let destination = target + "/" + output.path
                if BatchManifest.stamp(destination)?.size == output.size, (try? StreamingDigest.hex(file: destination)) == output.sha256 { continue }
                try FileTree.makeDirectories(FileTree.parent(of: destination))
                try AtomicFile.write(try FileAccess.readBytes(entry.source.folder + "/" + output.path), to: destination)
                report.copied += 1
            }
        }
        try FileTree.makeDirectories(target)
        let mergedName = BatchManifest.fileName(command: command, shard: nil)
        try merged.write(to: target + "/" + mergedName)
        for source in report.sources where source.name != mergedName && BatchInputs.realPath(source.folder) == BatchInputs.realPath(target) {
            try FileTree.remove(source.folder + "/" + source.name)
        }
        report.merged = merged
        return report
    }

    /// Missing shards: a run split N ways needs every K in 0..<N (and one N), unless a merged manifest is
    /// there already (a shard rerun after a merge).
    static func shardProblems(_ sources: [Source]) -> [String] {
        guard !sources.contains(where: { $0.manifest.shard == nil }) else { return [] }
        let shards = sources.compactMap { $0.manifest.shard }.compactMap { try? BatchShard(parsing: $0) }
        guard !shards.isEmpty else { return [] }
        let counts = Set(shards.map(\.count))
        guard counts.count == 1, let n = counts.first else {
            return ["the shard manifests split the items different ways (" + counts.sorted().map { "N = \($0)" }.joined(separator: ", ") + ")"]
        }
        let present = Set(shards.map(\.index))
        let missing = (0..<n).filter { !present.contains($0) }
        guard !missing.isEmpty else { return [] }
        return ["no manifest for shard " + missing.map { "\($0)/\(n)" }.joined(separator: ", ") + " (not run yet, still running, or in another folder)"]
    }

    /// The parameters and checkpoints that differ between settings, for the message.
    static func differences(_ all: [BatchManifest.Settings]) -> String {
        var names = Set<String>()
        for a in all { for b in all {
            for (k, v) in a.parameters where b.parameters[k] != v { names.insert("--" + k) }
            for (k, v) in a.checkpoints where b.checkpoints[k] != v { names.insert("checkpoint " + k) }
        } }
        return names.isEmpty ? "same parameters, other command version" : names.sorted().joined(separator: ", ") + " differ"
    }
}
