import Checkpoints
import Dispatch
import Models
import Remote
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Shared plumbing of the model commands (`checkpoints`, `classify`, `dream`, `bench dream`).
enum CheckpointsSupport {
    /// The checkpoint store for this process (`$MLWB_HOME`, catalog from the assets folder).
    static func store(_ context: CommandContext) throws -> CheckpointStore {
        let catalog = try CheckpointCatalog.load(environment: context.environment)
        return CheckpointStore(catalog: catalog, environment: context.environment)
    }

    /// The model context for this process.
    static func modelContext(_ context: CommandContext) throws -> ModelContext {
        ModelContext(store: try store(context), environment: context.environment)
    }

    /// Loads MobileNetV2 from the store; a missing checkpoint is an error naming it and how to get it.
    static func mobileNetV2(_ context: CommandContext) throws -> MobileNetV2 {
        try MobileNetV2.load(context: modelContext(context))
    }

    /// A fetcher that downloads a catalog entry with Remote's `Downloader` into the store's partial path;
    /// the store verifies and installs it. Progress goes to `report`.
    static func fetcher(report: @escaping @Sendable (String) -> Void) -> CheckpointFetcher {
        { entry, partialPath in
            // The downloader streams into `<destination>.part` and renames to `<destination>` when complete;
            // the store then checks size and sha256 and moves the file into place.
            let request = DownloadRequest(url: entry.url, destination: partialPath, expectedSize: Int64(entry.size),
                                          sha256: entry.sha256, expectBinary: true, label: entry.file)
            let result = try await Downloader.fetch(request) { event in
                if case .progress(let p) = event.kind {
                    let mb = Double(p.bytesDone) / 1_048_576
                    let total = p.bytesTotal.map { String(format: " / %.1f MB", Double($0) / 1_048_576) } ?? ""
                    report(String(format: "%@: %.1f MB", entry.file, mb) + total)
                } else if case .message(let m) = event.kind {
                    report(m)
                }
            }
            if let hex = result.sha256, let bytes = hexBytes(hex) { return Digest(algorithm: .sha256, bytes: bytes) }
            return nil
        }
    }

    static func hexBytes(_ hex: String) -> [UInt8]? {
        guard hex.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        var i = hex.startIndex
        while i < hex.endIndex {
            let j = hex.index(i, offsetBy: 2)
            guard let b = UInt8(hex[i..<j], radix: 16) else { return nil }
            out.append(b)
            i = j
        }
        return out
    }

    /// Runs async work from a synchronous command, cancelling it on Ctrl-C (then it throws `Interrupted`).
    static func blocking<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) throws -> T {
        let box = Mutex<Result<T, Error>?>(nil)
        let done = DispatchSemaphore(value: 0)
        let task = Task.detached {
            let r: Result<T, Error>
            do { r = .success(try await work()) } catch { r = .failure(error) }
            box.withLock { $0 = r }
            done.signal()
        }
        while done.wait(timeout: .now() + .milliseconds(100)) == .timedOut {
            if InterruptFlag.isRaised { task.cancel() }
        }
        return try box.withLock { $0! }.get()
    }
}

/// Ctrl-C stopped a command; the CLI exits with status 130.
struct Interrupted: Error, CustomStringConvertible {
    var description: String { "interrupted" }
}
