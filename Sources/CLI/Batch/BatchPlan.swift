import Media

/// What a batch run has to do: the items of its shard with their outputs, split into those whose outputs
/// are current (skipped) and those to (re)do, and the manifest this run writes.
struct BatchPlan: Sendable {
    /// An item with its outputs relative to the output folder.
    struct Entry: Sendable {
        var item: BatchItem
        var outputs: [String]
    }

    /// Items to process, in key order.
    var todo: [Entry]
    /// How many items of the shard are current.
    var current: Int
    /// Items of all shards.
    var total: Int
    /// The manifest this run updates (its own file), with the records of current items refreshed.
    var manifest: BatchManifest
    /// The digest of this run's settings.
    var digest: String
    /// This run's manifest as it was on disk (nil when there was none).
    var loaded: BatchManifest?

    /// Plans a run over `items` (every shard's) into `folder`, reading the manifests already there.
    init(items: [BatchItem], request: BatchOptions.Request, settings: BatchManifest.Settings, folder: String) throws {
        let names = BatchOutputNames.outputs(for: items, formats: request.formats)
        let mine = items.filter { request.shard?.contains($0.key) ?? true }
        let existing = try BatchManifest.readAll(in: folder, command: request.command)
        let ownName = BatchManifest.fileName(command: request.command, shard: request.shard)
        let loaded = existing.first { $0.name == ownName }?.manifest
        var own = loaded ?? BatchManifest(command: request.command, shard: request.shard)
        own.shard = request.shard?.description
        let digest = settings.digest(command: request.command)
        own.settings[digest] = settings
        // Own records first: they are this run's own history.
        let others = existing.filter { $0.name != ownName }.map(\.manifest)
        var todo: [Entry] = [], current = 0
        for item in mine {
            let outputs = names[item.key]!
            for output in outputs {
                if let real = BatchInputs.realPath(folder + "/" + output), real == BatchInputs.realPath(item.source) {
                    throw UsageError("the output \(folder)/\(output) would replace the input \(item.source); choose another --out folder")
                }
            }
            let candidates = [own.items[item.key]].compactMap { $0 } + others.compactMap { $0.items[item.key] }
            if let fresh = candidates.lazy.compactMap({ Self.current($0, item: item, outputs: outputs, digest: digest, folder: folder) }).first {
                current += 1
                own.items[item.key] = fresh
            } else {
                todo.append(Entry(item: item, outputs: outputs))
            }
        }
        self.todo = todo
        self.digest = digest
        self.loaded = loaded
        self.current = current
        self.total = items.count
        self.manifest = own
    }

    /// The record, refreshed, when the item's outputs are current: made with these settings, every output
    /// there with its recorded size, and the input unchanged (same size and mtime, or the same sha256 under
    /// a new mtime). Nil when the item must be redone.
    static func current(_ record: BatchManifest.Record, item: BatchItem, outputs: [String], digest: String,
                        folder: String) -> BatchManifest.Record? {
        guard record.status == .ok, record.settings == digest, record.outputs.map(\.path) == outputs else { return nil }
        for output in record.outputs {
            guard let stamp = BatchManifest.stamp(folder + "/" + output.path), stamp.size == output.size else { return nil }
        }
        guard let stamp = BatchManifest.stamp(item.source), stamp.size == record.input.size else { return nil }
        var fresh = record
        fresh.input.path = item.source
        if stamp.mtime == record.input.mtime { return fresh }
        guard let input = try? BatchManifest.input(item.source), input.sha256 == record.input.sha256 else { return nil }
        fresh.input = input
        return fresh
    }
}
