import Foundation
import Checkpoints
import Datasets
import Remote
import Synchronization

/// Checkpoint and dataset transfers through the Remote downloader: resumable `.part` files,
/// verified against the catalogs, paused and cancelled through a `DownloadControl` per transfer.
public final class RemoteTransferService: TransferService {
    private let checkpoints: CheckpointStore?
    private let datasets: DatasetStore?
    private let options: DownloadOptions
    private let controls = Mutex<[String: DownloadControl]>([:])

    public init(checkpoints: CheckpointStore?, datasets: DatasetStore?, options: DownloadOptions) {
        self.checkpoints = checkpoints
        self.datasets = datasets
        self.options = options
    }

    // MARK: TransferService

    public func start(kind: TransferKind, itemID: String, report: @escaping @Sendable (TransferEvent) -> Void) async {
        let key = kind.rawValue + ":" + itemID
        let control = DownloadControl()
        controls.withLock { $0[key] = control }
        defer { controls.withLock { if $0[key] === control { $0[key] = nil } } }
        let handler: DownloadEventHandler = { event in
            switch event.kind {
            case .progress(let p): report(.progress(bytes: Int(p.bytesDone), total: p.bytesTotal.map { Int($0) }))
            case .state(.verifying), .state(.extracting): report(.verifying)
            case .message(let text): report(.note(text))
            default: break
            }
        }
        do {
            switch kind {
            case .checkpoint:
                guard let store = checkpoints else { throw TransferFailure("no checkpoint catalog found (set MLWB_ASSETS)") }
                let result = try await store.download(itemID, options: options, control: control, events: handler)
                report(.finished(path: result.path))
            case .url:
                throw TransferFailure("a URL download needs its address: use fetch")
            case .dataset:
                guard let store = datasets else { throw TransferFailure("no dataset catalog found (set MLWB_ASSETS)") }
                let downloader = ControlledDownloader(options: options, control: control)
                let validation = try await store.get(itemID, downloader: downloader) { event in
                    if case .download(let e) = event { handler(e) }
                    if case .extraction = event { report(.verifying) }
                }
                if validation.isClean {
                    report(.finished(path: store.dataFolder(itemID)))
                } else {
                    report(.failed(validation.summary))
                }
            }
        } catch {
            report(Self.outcome(of: error, control: control))
        }
    }

    public func fetch(_ download: URLDownload, report: @escaping @Sendable (TransferEvent) -> Void) async {
        let key = TransferKind.url.rawValue + ":" + download.destination
        let control = DownloadControl()
        controls.withLock { $0[key] = control }
        defer { controls.withLock { if $0[key] === control { $0[key] = nil } } }
        do {
            try Downloader.validate(url: download.url)
            let folder = (download.destination as NSString).deletingLastPathComponent
            if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
            let request = DownloadRequest(url: download.url, destination: download.destination, sha256: download.sha256, md5: download.md5)
            let result = try await Downloader.fetch(request, options: options, control: control) { event in
                switch event.kind {
                case .progress(let p): report(.progress(bytes: Int(p.bytesDone), total: p.bytesTotal.map { Int($0) }))
                case .state(.verifying): report(.verifying)
                case .message(let text): report(.note(text))
                default: break
                }
            }
            report(.finished(path: result.path))
        } catch {
            report(Self.outcome(of: error, control: control))
        }
    }

    /// What a transfer that threw ended as: paused or cancelled on request, else failed with the error.
    static func outcome(of error: any Error, control: DownloadControl) -> TransferEvent {
        switch control.request {
        case .pause: return .paused
        case .cancel: return .cancelled
        case .run:
            if case RemoteError.paused = error { return .paused }
            if case RemoteError.cancelled = error { return .cancelled }
            if error is CancellationError { return .paused }
            return .failed("\(error)")
        }
    }

    public func stop(kind: TransferKind, itemID: String, keepPartial: Bool) {
        let key = kind.rawValue + ":" + itemID
        guard let control = controls.withLock({ $0[key] }) else { return }
        if keepPartial { control.pause() } else { control.cancel() }
    }
}

/// A dataset downloader that honours a shared pause/cancel switch.
struct ControlledDownloader: DatasetDownloader {
    var options: DownloadOptions
    var control: DownloadControl

    func download(_ request: DownloadRequest, events: DownloadEventHandler?) async throws -> DownloadResult {
        try await Downloader.fetch(request, options: options, control: control, events: events)
    }
}

/// A transfer that cannot start; the message says why.
struct TransferFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// The dataset catalog and store behind the Downloads pane.
public struct StoreDatasetService: DatasetService {
    public let store: DatasetStore

    public init(store: DatasetStore) { self.store = store }

    public func list() -> [DatasetRow] {
        store.catalog.entries.map { entry in
            let sizes = entry.files.compactMap(\.size)
            let bytes = sizes.count == entry.files.count && !sizes.isEmpty ? Int(sizes.reduce(0, +)) : nil
            let state: DatasetState
            switch (try? store.status(entry.id)) ?? .absent {
            case .verified: state = .verified
            case .absent: state = entry.availability == .manual ? .manual(store.manualInstructions(entry)) : .absent
            case .partial, .downloaded, .extracted: state = .partial
            }
            return DatasetRow(id: entry.id, name: entry.name, bytes: bytes, state: state,
                              licence: entry.licence, approximateSize: entry.approximateSize)
        }
    }

    public func verify(_ id: String) async -> DatasetState {
        do {
            let report = try store.validate(id)
            return report.isClean ? .verified : .failed(report.summary)
        } catch {
            return .failed("\(error)")
        }
    }
}
