/// How hard to try and how long to wait: retries, timeouts, mirrors, offline mode.
public struct DownloadOptions: Sendable {
    // MARK: Stored properties

    /// Retry policy for connection errors, stalls, 5xx and 429.
    public var retry: RetryPolicy
    /// Seconds allowed to establish a connection.
    public var connectTimeout: Double
    /// Seconds without a single byte before the attempt is abandoned and retried.
    public var stallTimeout: Double
    /// Maximum redirects followed.
    public var maxRedirects: Int
    /// `MLWB_MIRROR`: a directory or base URL tried first, by file name.
    public var mirror: String?
    /// `MLWB_OFFLINE=1`: use only mirrors and local copies.
    public var offline: Bool
    /// Base URL for Google Drive downloads (tests point it at a loopback server).
    public var driveBaseURL: String
    /// The User-Agent header.
    public var userAgent: String
    /// libcurl's receive buffer in bytes (larger = fewer write calls).
    public var bufferSize: Int
    /// Minimum seconds between two progress events.
    public var progressInterval: Double
    /// Extra bytes of free space required beyond the download itself.
    public var diskReserve: Int64
    /// Flush the file to disk before renaming it (fsync, with background writeback while
    /// downloading). Off by default, like curl and wget: the file is complete and verified when
    /// renamed, but a power cut soon after may leave it shorter on disk. Stores catch that by
    /// checking sizes on every use; turn this on for files nothing re-checks.
    public var syncToDisk: Bool

    // MARK: Creating

    /// Options with defaults suited to large files over flaky links.
    public init(retry: RetryPolicy = RetryPolicy(), connectTimeout: Double = 30, stallTimeout: Double = 60,
                maxRedirects: Int = 10, mirror: String? = nil, offline: Bool = false,
                driveBaseURL: String = "https://drive.google.com", userAgent: String = "mlwb/0.1 (libcurl)",
                bufferSize: Int = 512 << 10, progressInterval: Double = 0.1, diskReserve: Int64 = 16 << 20,
                syncToDisk: Bool = false) {
        self.retry = retry
        self.connectTimeout = connectTimeout
        self.stallTimeout = stallTimeout
        self.maxRedirects = maxRedirects
        self.mirror = mirror
        self.offline = offline
        self.driveBaseURL = driveBaseURL
        self.userAgent = userAgent
        self.bufferSize = bufferSize
        self.progressInterval = progressInterval
        self.diskReserve = diskReserve
        self.syncToDisk = syncToDisk
    }

    /// Defaults plus `MLWB_MIRROR`, `MLWB_OFFLINE` and `MLWB_SYNC_DOWNLOADS` from `environment`.
    public static func from(environment: [String: String]) -> DownloadOptions {
        var options = DownloadOptions()
        if let mirror = environment["MLWB_MIRROR"], !mirror.isEmpty { options.mirror = mirror }
        if let offline = environment["MLWB_OFFLINE"] { options.offline = ["1", "true", "yes"].contains(offline.lowercased()) }
        if let sync = environment["MLWB_SYNC_DOWNLOADS"] { options.syncToDisk = ["1", "true", "yes"].contains(sync.lowercased()) }
        return options
    }
}

/// Exponential backoff with jitter, honouring the server's Retry-After.
public struct RetryPolicy: Sendable {
    /// Attempts in a row without progress before giving up.
    public var maxAttempts: Int
    /// Attempts after the first failed one (`maxAttempts - 1`), as `--retries` counts them.
    public var retries: Int {
        get { maxAttempts - 1 }
        set { maxAttempts = newValue + 1 }
    }
    /// The first delay in seconds.
    public var baseDelay: Double
    /// The largest computed delay in seconds.
    public var maxDelay: Double
    /// The largest Retry-After mlwb waits for; longer requests fail with the status instead.
    public var maxRetryAfter: Double

    /// A policy; defaults: 6 attempts, 1 s doubling to 30 s, Retry-After up to 5 min.
    public init(maxAttempts: Int = 6, baseDelay: Double = 1, maxDelay: Double = 30, maxRetryAfter: Double = 300) {
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxRetryAfter = maxRetryAfter
    }

    /// The wait before retry number `attempt` (1 = first retry): half fixed, half random
    /// ("equal jitter"), so clients that failed together do not retry together.
    public func delay(beforeRetry attempt: Int, retryAfter: Double? = nil) -> Double {
        let exponent = min(max(attempt - 1, 0), 30)
        let ceiling = min(maxDelay, baseDelay * Double(1 << exponent))
        let jittered = ceiling / 2 + Double.random(in: 0...(ceiling / 2))
        if let retryAfter { return max(retryAfter, jittered) }
        return jittered
    }
}
