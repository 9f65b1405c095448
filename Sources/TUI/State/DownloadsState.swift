import Media
/// What a transfer fetches.
public enum TransferKind: String, Equatable, Sendable {
    case checkpoint, dataset
    /// A file from `:download URL` (its item id is the destination path).
    case url
}

/// A `:download URL [-o PATH]` from the workbench.
public struct URLDownload: Equatable, Sendable {
    public var url: String
    /// Where the file lands (`MLWB_HOME/downloads/NAME` unless `-o` was given).
    public var destination: String
    public var sha256: String?
    public var md5: String?

    public init(url: String, destination: String, sha256: String? = nil, md5: String? = nil) {
        self.url = url; self.destination = destination; self.sha256 = sha256; self.md5 = md5
    }
}

/// Where a transfer is in its life.
public enum TransferPhase: Equatable, Sendable {
    case queued
    case downloading
    case paused
    case verifying
    case finished
    case failed(String)
    case cancelled

    /// Whether the transfer is still using the network or may resume.
    public var isActive: Bool {
        switch self {
        case .queued, .downloading, .verifying: return true
        default: return false
        }
    }

    public var label: String {
        switch self {
        case .queued: return "queued"
        case .downloading: return "downloading"
        case .paused: return "paused"
        case .verifying: return "verifying"
        case .finished: return "verified"
        case .failed: return "failed"
        case .cancelled: return "cancelled"
        }
    }
}

/// One checkpoint or dataset transfer shown in the Downloads pane.
public struct Transfer: Equatable, Sendable {
    /// "checkpoint:ID" or "dataset:ID".
    public var id: String
    public var kind: TransferKind
    /// The catalog id of the checkpoint or dataset.
    public var itemID: String
    public var title: String
    public var bytes: Int
    public var total: Int?
    public var phase: TransferPhase
    /// Smoothed rate in bytes per second.
    public var rate: Double
    /// When the last progress sample arrived (seconds, monotonic) and its byte count.
    public var lastSample: (time: Double, bytes: Int)?
    /// A model to start once this transfer is verified.
    public var thenRun: String?
    /// What a `.url` transfer fetches (kept for retries).
    public var download: URLDownload?
    /// The last error or retry notice, shown in full under the row.
    public var note: String?

    public init(id: String, kind: TransferKind, itemID: String, title: String, total: Int?, thenRun: String? = nil) {
        self.id = id; self.kind = kind; self.itemID = itemID; self.title = title
        self.bytes = 0; self.total = total; self.phase = .queued; self.rate = 0; self.thenRun = thenRun
    }

    public static func == (a: Transfer, b: Transfer) -> Bool {
        a.id == b.id && a.bytes == b.bytes && a.total == b.total && a.phase == b.phase && a.rate == b.rate && a.thenRun == b.thenRun
            && a.download == b.download && a.note == b.note
    }

    /// Done fraction 0…1, if the size is known.
    public var fraction: Double? {
        guard let total, total > 0 else { return nil }
        return min(1, Double(bytes) / Double(total))
    }

    /// Seconds left at the current rate, if known.
    public var eta: Double? {
        guard let total, rate > 1, phase == .downloading else { return nil }
        return Double(max(0, total - bytes)) / rate
    }
}

/// A dataset's state on disk.
public enum DatasetState: Equatable, Sendable {
    case absent, partial, verified, checking
    /// Only obtainable by hand (licence or no public URL); `how` says where.
    case manual(String)
    case failed(String)

    public var label: String {
        switch self {
        case .absent: return "absent"
        case .partial: return "partial"
        case .verified: return "verified"
        case .checking: return "checking"
        case .manual: return "manual"
        case .failed: return "failed"
        }
    }
}

/// One dataset catalog row.
public struct DatasetRow: Equatable, Sendable {
    public var id: String
    public var name: String
    /// Download size in bytes, if known.
    public var bytes: Int?
    public var state: DatasetState
    /// The licence as the catalog states it ("CC-BY-NC-SA-4.0", "unknown (…)").
    public var licence: String
    /// The catalog's words on the size when the byte count is not known ("tens of GB …").
    public var approximateSize: String?

    public init(id: String, name: String, bytes: Int?, state: DatasetState, licence: String = "unknown", approximateSize: String? = nil) {
        self.id = id; self.name = name; self.bytes = bytes; self.state = state
        self.licence = licence; self.approximateSize = approximateSize
    }

    /// The size as a user reads it before agreeing to a download.
    public var sizeText: String {
        if let bytes { return HumanReadable.bytes(bytes) }
        return approximateSize ?? "size unknown"
    }
}

/// The Downloads pane: transfers first, then the dataset catalog; one selection over both.
public struct DownloadsState: Sendable {
    public var transfers: [Transfer] = []
    public var datasets: [DatasetRow] = []
    /// Row index: `0..<transfers.count` are transfers, the rest datasets.
    public var selected = 0

    public init() {}

    public var rowCount: Int { transfers.count + datasets.count }

    /// The selected transfer, if the selection is on one.
    public var currentTransfer: Transfer? { transfers.indices.contains(selected) ? transfers[selected] : nil }

    /// The selected dataset, if the selection is on one.
    public var currentDataset: DatasetRow? {
        let i = selected - transfers.count
        return datasets.indices.contains(i) ? datasets[i] : nil
    }

    /// The transfer with `id`, if any.
    public func transfer(_ id: String) -> Transfer? { transfers.first { $0.id == id } }

    /// How many transfers are still moving.
    public var activeCount: Int { transfers.filter { $0.phase.isActive }.count }
}
