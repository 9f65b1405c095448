import Remote

/// What `DatasetStore.get` reports while it works.
public enum DatasetEvent: Sendable {
    /// A step began (a short sentence for logs and plain output).
    case step(String)
    /// An event from the download of one file.
    case download(DownloadEvent)
    /// Extraction progress of one archive.
    case extraction(ExtractionProgress)
}

/// Receives `DatasetEvent`s; may be called from any thread.
public typealias DatasetEventHandler = @Sendable (DatasetEvent) -> Void
