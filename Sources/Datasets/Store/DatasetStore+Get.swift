import Glibc
import Foundation
import Remote
import Synchronization

/// Getting a dataset: download every file, check it, extract, validate.
extension DatasetStore {
    // MARK: Getting

    /// Downloads `id`'s files into `downloads/` (skipping files already there), checks them against
    /// published or recorded digests (recording the digest of a first download in `checksums.json`),
    /// extracts every archive into a staging folder that replaces `data/` only when all succeeded,
    /// then validates. Throws `DatasetError.manualOnly` with instructions for manual datasets.
    /// `force` re-extracts even if `data/` is already complete.
    @discardableResult
    public func get(_ id: String, downloader: any DatasetDownloader, limits: ExtractionLimits = .standard,
                    force: Bool = false, events: DatasetEventHandler? = nil) async throws -> ValidationReport {
        let entry = try catalog.entry(id)
        if entry.availability == .manual {
            throw DatasetError.manualOnly(id: id, instructions: manualInstructions(entry))
        }
        try FileTree.makeDirectories(downloadsFolder(id))
        // A killed extraction leaves its staging folder (often hundreds of MB): remove those of dead processes.
        for stale in FileTree.removeStaleSiblings(of: dataFolder(id), tags: ["staging", "old"]) {
            events?(.step("removed \(stale), left by an interrupted extraction"))
        }
        var record = recordedChecksums(id)
        let alreadyExtracted = !force && FileTree.kind(extractedMarkerPath(id)) == .file
            && FileTree.kind(dataFolder(id)) == .directory
        for file in entry.files {
            let path = downloadsFolder(id) + "/" + file.filename
            var hashedWhileWriting = false
            if FileTree.kind(path) == .file {
                events?(.step("\(file.filename): already downloaded"))
                if alreadyExtracted { continue }
            } else {
                events?(.step("downloading \(file.filename) from \(file.displayURL)"))
                let expectedSHA = file.sha256?.lowercased() ?? record.files[file.filename]?.sha256
                let request = DownloadRequest(
                    url: file.url ?? "gdrive:\(file.driveID ?? "")", destination: path,
                    expectedSize: file.size ?? record.files[file.filename]?.size,
                    sha256: expectedSHA, md5: file.md5, computeSHA256: true, label: "\(id)/\(file.filename)")
                var handler: DownloadEventHandler?
                if let sink = events {
                    handler = { @Sendable (event: DownloadEvent) in sink(.download(event)) }
                }
                do {
                    let result = try await downloader.download(request, events: handler)
                    if let sha = result.sha256?.lowercased() {
                        if let expectedSHA, sha != expectedSHA {
                            throw DatasetError.checksumMismatch(path: path, algorithm: "sha256", expected: expectedSHA, actual: sha)
                        }
                        hashedWhileWriting = true
                        if record.files[file.filename] == nil {
                            record.files[file.filename] = .init(size: result.size, sha256: sha,
                                                                origin: file.sha256 == nil ? "first-download" : "catalog",
                                                                recorded: ChecksumRecord.now())
                            try record.write(to: checksumsPath(id))
                        }
                    }
                } catch let error as DatasetError {
                    throw error
                } catch is CancellationError {
                    throw CancellationError()
                } catch RemoteError.paused, RemoteError.cancelled {
                    // Interrupted: a paused download keeps its .part for the next run.
                    throw CancellationError()
                } catch {
                    throw DatasetError.downloadFailed(dataset: id, file: file.filename, reason: "\(error)")
                }
            }
            if !hashedWhileWriting {
                try await checkDownload(file, at: path, id: id, record: &record, events: events)
            }
        }
        if !alreadyExtracted {
            try await extractAll(entry, limits: limits, events: events)
        } else {
            events?(.step("data/ already extracted (use --force to extract again)"))
        }
        events?(.step("validating \(id)"))
        return try await Self.onThread { try self.validate(id) }
    }

    /// The printable instructions for a manual dataset, with its data folder filled in.
    public func manualInstructions(_ entry: DatasetEntry) -> String {
        guard let manual = entry.manual else { return "see \(entry.homepage)" }
        var text = manual.text(dataFolder: dataFolder(entry.id))
        text += "\nThen run 'mlwb datasets verify \(entry.id)'."
        return text
    }

    // MARK: Steps

    /// Hashes a downloaded file and compares it with the published or recorded digest; records a new one.
    private func checkDownload(_ file: DatasetFile, at path: String, id: String, record: inout ChecksumRecord,
                               events: DatasetEventHandler?) async throws {
        let size = FileTree.size(path) ?? 0
        if let expected = file.size, expected != size {
            throw DatasetError.checksumMismatch(path: path, algorithm: "size", expected: "\(expected)", actual: "\(size)")
        }
        let known = file.sha256?.lowercased() ?? record.files[file.filename]?.sha256
        events?(.step("checking \(file.filename)"))
        let sha = try await Self.onThread { try Self.digest(of: path) }
        if let known, sha != known {
            throw DatasetError.checksumMismatch(path: path, algorithm: "sha256", expected: known, actual: sha)
        }
        if record.files[file.filename] == nil {
            record.files[file.filename] = .init(size: size, sha256: sha, origin: file.sha256 == nil ? "first-download" : "catalog",
                                                recorded: ChecksumRecord.now())
            try record.write(to: checksumsPath(id))
        }
    }

    /// Extracts (or copies) every file of `entry` into a staging folder, then moves it to `data/`.
    private func extractAll(_ entry: DatasetEntry, limits: ExtractionLimits, events: DatasetEventHandler?) async throws {
        var limits = limits
        if let cap = entry.maxExtractedBytes { limits.maxTotalBytes = min(limits.maxTotalBytes, cap) }
        let stop = StopFlag()
        let extractor = ArchiveExtractor(limits: limits, shouldStop: { stop.isSet })
        let id = entry.id
        let data = dataFolder(id)
        let staging = FileTree.temporarySibling(of: data, tag: "staging")
        try? FileTree.remove(extractedMarkerPath(id))
        try? FileTree.remove(verifiedMarkerPath(id))
        try FileTree.makeDirectories(staging)
        do {
            for file in entry.files {
                let source = downloadsFolder(id) + "/" + file.filename
                let target = file.into.map { staging + "/" + $0 } ?? staging
                try FileTree.makeDirectories(target)
                if file.archive.isArchive {
                    events?(.step("extracting \(file.filename)"))
                    _ = try await withTaskCancellationHandler {
                        try await Self.onThread {
                            try extractor.extractContents(of: source, format: file.archive, into: target) { events?(.extraction($0)) }
                        }
                    } onCancel: {
                        stop.set()
                    }
                } else {
                    events?(.step("placing \(file.filename)"))
                    try Self.linkOrCopy(source, to: target + "/" + file.filename)
                }
            }
            try ArchiveExtractor.moveIntoPlace(staging, data)
        } catch {
            try? FileTree.remove(staging)
            throw error
        }
        try StoreMarker.writeJSON(StoreMarker.fingerprint(of: data), to: extractedMarkerPath(id))
    }

    /// Hard-links `source` to `destination`, or copies it when linking is not possible.
    static func linkOrCopy(_ source: String, to destination: String) throws {
        if link(source, destination) == 0 { return }
        do {
            try FileManager.default.copyItem(atPath: source, toPath: destination)
        } catch {
            throw DatasetError.file(path: destination, reason: "cannot copy \(source): \(error.localizedDescription)")
        }
    }

    /// Runs blocking work on a thread of its own so the cooperative pool stays free.
    static func onThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                do { continuation.resume(returning: try work()) } catch { continuation.resume(throwing: error) }
            }
            thread.name = "mlwb-datasets"
            thread.start()
        }
    }
}

/// A one-way flag set from a cancellation handler and polled by the extraction thread.
private final class StopFlag: Sendable {
    private let value = Mutex(false)
    var isSet: Bool { value.withLock { $0 } }
    func set() { value.withLock { $0 = true } }
}
