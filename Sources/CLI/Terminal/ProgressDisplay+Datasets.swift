import Datasets
import Media
import Remote

extension ProgressDisplay {
    /// Shows a dataset step: download events as bars, extraction as a bar of its own, steps as lines.
    func handle(_ event: DatasetEvent) {
        switch event {
        case .step(let text):
            note(text)
        case .download(let download):
            handle(download)
        case .extraction(let p):
            let name = p.archive.split(separator: "/").last.map(String.init) ?? p.archive
            let id = DownloadID(-1 - Int(truncatingIfNeeded: UInt32(truncatingIfNeeded: name.utf8.reduce(5381) { ($0 &* 33) &+ Int($1) })))
            let label = "extract " + name
            if p.finished {
                handle(DownloadEvent(id: id, label: label, kind: .state(.done(path: name))))
                note("extracted \(p.entries) entries, \(HumanReadable.bytes(p.bytesWritten)) from \(name)")
            } else {
                handle(DownloadEvent(id: id, label: label, kind: .state(.extracting)))
                handle(DownloadEvent(id: id, label: label, kind: .progress(DownloadProgress(
                    bytesDone: p.archiveBytesRead, bytesTotal: p.archiveSize, bytesPerSecond: 0, secondsLeft: nil))))
            }
        }
    }
}
