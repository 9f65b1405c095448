/// Identifies one download in a queue (or one `Downloader.fetch` call).
public struct DownloadID: Hashable, Sendable, CustomStringConvertible {
    /// The number, unique within the process.
    public let value: Int
    public init(_ value: Int) { self.value = value }
    public var description: String { "#\(value)" }
}

/// Where a download is in its life.
public enum DownloadState: Sendable, Equatable, CustomStringConvertible {
    case queued, connecting, downloading, verifying
    /// Reserved for Datasets: unpacking an archive after the download.
    case extracting
    case done(path: String)
    case failed(reason: String)
    case paused
    case cancelled

    /// Whether the download has ended (done, failed or cancelled).
    public var isFinal: Bool {
        switch self {
        case .done, .failed, .cancelled: return true
        default: return false
        }
    }

    public var description: String {
        switch self {
        case .queued: return "queued"
        case .connecting: return "connecting"
        case .downloading: return "downloading"
        case .verifying: return "verifying"
        case .extracting: return "extracting"
        case .done: return "done"
        case .failed: return "failed"
        case .paused: return "paused"
        case .cancelled: return "cancelled"
        }
    }
}

/// Bytes, smoothed rate and ETA of one download.
public struct DownloadProgress: Sendable, Equatable {
    /// Bytes on disk so far (including bytes resumed from an earlier run).
    public var bytesDone: Int64
    /// The total size, when known.
    public var bytesTotal: Int64?
    /// Smoothed transfer rate in bytes per second (exponentially weighted).
    public var bytesPerSecond: Double
    /// Estimated seconds left, when the total and a rate are known.
    public var secondsLeft: Double?

    public init(bytesDone: Int64, bytesTotal: Int64?, bytesPerSecond: Double, secondsLeft: Double?) {
        self.bytesDone = bytesDone; self.bytesTotal = bytesTotal
        self.bytesPerSecond = bytesPerSecond; self.secondsLeft = secondsLeft
    }

    /// The fraction done in 0...1, when the total is known.
    public var fraction: Double? {
        guard let total = bytesTotal, total > 0 else { return nil }
        return min(1, Double(bytesDone) / Double(total))
    }
}

/// Something that happened to one download.
public struct DownloadEvent: Sendable, Equatable {
    /// What kind of event.
    public enum Kind: Sendable, Equatable {
        /// The download moved to a new state.
        case state(DownloadState)
        /// Bytes arrived (at most ~10 per second, plus one at the end).
        case progress(DownloadProgress)
        /// A note for the log: a retry, a resume, a mirror used.
        case message(String)
    }

    /// Which download.
    public var id: DownloadID
    /// The request's label (file name).
    public var label: String
    /// What happened.
    public var kind: Kind

    public init(id: DownloadID, label: String, kind: Kind) {
        self.id = id; self.label = label; self.kind = kind
    }
}

/// Receives events; called on the transfer's thread.
public typealias DownloadEventHandler = @Sendable (DownloadEvent) -> Void
